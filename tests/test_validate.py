"""Tests of the `validate` stage: the quality gate catches each kind of corruption, and a valid set
of tables passes clean.

The valid set is a two-article corpus written here (two outlets reporting the same phone call, one
rejected binary file), built column by column so that every cross-table rule holds. Each test
corrupts one thing and asserts that exactly the expected check fails, with a message naming the
table, the expectation and the offending rows.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from pipeline import validate
from pipeline.common import conform
from pipeline.quality import GateSettings, evaluate, plan_checks
from pipeline.quality.page import render_page
from pipeline.quality.results import FAILED, PASSED, SKIPPED, failure_report, summarize
from pipeline.intake.inventory import INVENTORY_PATH, inventory_lines
from pipeline.schemas import TABLES

SETTINGS = GateSettings(min_entity_sentence_share=0.5, min_resolved_time_share=0.5, sample_rows=5)

DOC_A, DOC_B = "a1b2c3d4e5f60718", "0f1e2d3c4b5a6978"
TEXT_A = ("Telefonata tra Trump e Putin\n\n"
          "Il presidente Donald Trump ha parlato con Vladimir Putin per più di un'ora mercoledì 12 febbraio. "
          "Lo ha riferito il Cremlino.")
TEXT_B = ("Trump e Putin al telefono\n\n"
          "La conversazione è durata circa novanta minuti, secondo Dmitrij Peskov. "
          "«È stata una telefonata produttiva», ha detto Trump giovedì 13 febbraio. "
          "Non sono stati diffusi altri dettagli.")
INPUT_FILES = ["seeds/001_corriere.txt", "seeds/002_repubblica.txt", "seeds/003_foto.jpg"]


def _blocks(doc_id: str, text: str) -> list[dict]:
    title, body = text.split("\n\n")
    return [
        {"doc_id": doc_id, "block_no": 0, "kind": "title", "text": title, "raw": title},
        {"doc_id": doc_id, "block_no": 1, "kind": "paragraph", "text": body, "raw": body},
    ]


def _sentences(blocks: list[dict], splits: dict[tuple[str, int], list[str]]) -> list[dict]:
    rows, sent_no = [], {}
    for block in blocks:
        key = (block["doc_id"], block["block_no"])
        for n, sentence in enumerate(splits[key]):
            start = block["text"].index(sentence)
            no = sent_no.get(block["doc_id"], 0)
            sent_no[block["doc_id"]] = no + 1
            rows.append({"sent_id": f"{key[0]}:{key[1]}:{n}", "doc_id": key[0], "block_no": key[1], "sent_no": no,
                         "text": sentence, "start": start, "end": start + len(sentence)})
    return rows


def _span(sentences: dict[str, str], sent_id: str, surface: str) -> dict:
    start = sentences[sent_id].index(surface)
    return {"doc_id": sent_id.split(":")[0], "sent_id": sent_id, "surface": surface,
            "start": start, "end": start + len(surface)}


def valid_tables() -> dict[str, pl.DataFrame]:
    blocks = _blocks(DOC_A, TEXT_A) + _blocks(DOC_B, TEXT_B)
    sentences = _sentences(blocks, {
        (DOC_A, 0): ["Telefonata tra Trump e Putin"],
        (DOC_A, 1): ["Il presidente Donald Trump ha parlato con Vladimir Putin per più di un'ora mercoledì 12 febbraio.",
                     "Lo ha riferito il Cremlino."],
        (DOC_B, 0): ["Trump e Putin al telefono"],
        (DOC_B, 1): ["La conversazione è durata circa novanta minuti, secondo Dmitrij Peskov.",
                     "«È stata una telefonata produttiva», ha detto Trump giovedì 13 febbraio.",
                     "Non sono stati diffusi altri dettagli."],
    })
    text_of = {s["sent_id"]: s["text"] for s in sentences}
    a_title, a_call, a_kremlin = f"{DOC_A}:0:0", f"{DOC_A}:1:0", f"{DOC_A}:1:1"
    b_title, b_duration, b_quote = f"{DOC_B}:0:0", f"{DOC_B}:1:0", f"{DOC_B}:1:1"

    mention_specs = [
        (a_title, "Trump", "donald-trump"), (a_title, "Putin", "vladimir-putin"),
        (a_call, "Donald Trump", "donald-trump"), (a_call, "Vladimir Putin", "vladimir-putin"),
        (a_kremlin, "Cremlino", "cremlino"),
        (b_title, "Trump", "donald-trump"), (b_title, "Putin", "vladimir-putin"),
        (b_duration, "Dmitrij Peskov", "dmitrij-peskov"), (b_quote, "Trump", "donald-trump"),
    ]
    mentions = [{**_span(text_of, s, surface), "entity_id": e, "method": "alias", "is_uncertain": False}
                for s, surface, e in mention_specs]
    source_of = {DOC_A: "corriere-della-sera", DOC_B: "la-repubblica"}
    coverage: dict[tuple[str, str], dict] = {}
    sent_no = {s["sent_id"]: s["sent_no"] for s in sentences}
    for m in mentions:
        row = coverage.setdefault((m["entity_id"], source_of[m["doc_id"]]),
                                  {"entity_id": m["entity_id"], "source_id": source_of[m["doc_id"]],
                                   "n_mentions": 0, "first_sent_no": sent_no[m["sent_id"]]})
        row["n_mentions"] += 1
        row["first_sent_no"] = min(row["first_sent_no"], sent_no[m["sent_id"]])

    call_date = dt.date(2025, 2, 12)
    tables = {
        "documents": [
            {"doc_id": DOC_A, "path": INPUT_FILES[0], "sha256": DOC_A + "0" * 48, "n_bytes": len(TEXT_A.encode()),
             "encoding": "utf-8", "text": TEXT_A, "format": "text", "lang": "it",
             "outlet": "Corriere della Sera", "url": None, "published_date": None},
            {"doc_id": DOC_B, "path": INPUT_FILES[1], "sha256": DOC_B + "0" * 48, "n_bytes": len(TEXT_B.encode()),
             "encoding": "cp1252", "text": TEXT_B, "format": "text", "lang": "it",
             "outlet": "la Repubblica", "url": "https://www.repubblica.it/esteri/telefonata", "published_date": call_date},
        ],
        "rejected": [{"path": INPUT_FILES[2], "sha256": "f" * 64, "n_bytes": 2048, "reason": "binary",
                      "detail": "starts with the signature of a JPEG file"}],
        "articles": [
            {"doc_id": DOC_A, "source_id": "corriere-della-sera", "title": TEXT_A.split("\n\n")[0], "n_blocks": 2,
             "n_chars": len(TEXT_A), "published_date": None, "published_date_source": None},
            {"doc_id": DOC_B, "source_id": "la-repubblica", "title": TEXT_B.split("\n\n")[0], "n_blocks": 2,
             "n_chars": len(TEXT_B), "published_date": call_date, "published_date_source": "manifest"},
        ],
        "blocks": blocks,
        "links": [{"doc_id": DOC_B, "block_no": 1, "kind": "link", "text": "Dmitrij Peskov",
                   "target": "https://it.wikipedia.org/wiki/Dmitrij_Peskov"}],
        "sources": [{"source_id": "corriere-della-sera", "name": "Corriere della Sera", "n_docs": 1},
                    {"source_id": "la-repubblica", "name": "la Repubblica", "n_docs": 1}],
        "sentences": sentences,
        "entities": [
            {"entity_id": "donald-trump", "name": "Donald Trump", "type": "person", "aliases": ["Trump", "Donald Trump"]},
            {"entity_id": "vladimir-putin", "name": "Vladimir Putin", "type": "person", "aliases": ["Putin"]},
            {"entity_id": "cremlino", "name": "Cremlino", "type": "org", "aliases": ["Cremlino"]},
            {"entity_id": "dmitrij-peskov", "name": "Dmitrij Peskov", "type": "person", "aliases": ["Peskov"]},
        ],
        "mentions": mentions,
        "quotes": [{"quote_id": f"{b_quote}:q0", "doc_id": DOC_B, "sent_id": b_quote,
                    "text": "È stata una telefonata produttiva", "speaker_entity_id": "donald-trump", "cue": "ha detto"}],
        "time_expressions": [
            {**_span(text_of, a_call, "mercoledì 12 febbraio"), "value_date": call_date, "granularity": "day",
             "is_relative": False, "stated_weekday": "mercoledì", "is_weekday_consistent": True},
            {**_span(text_of, b_quote, "giovedì 13 febbraio"), "value_date": dt.date(2025, 2, 13),
             "granularity": "day", "is_relative": False, "stated_weekday": "giovedì", "is_weekday_consistent": True},
        ],
        "quantities": [
            {**_span(text_of, a_call, "più di un'ora"), "kind": "duration", "unit": "minute", "low": 60.0,
             "high": None, "qualifier": "more_than"},
            {**_span(text_of, b_duration, "circa novanta minuti"), "kind": "duration", "unit": "minute",
             "low": 90.0, "high": 90.0, "qualifier": "about"},
        ],
        "anomalies": [],
        "events": [{"event_id": "ev-call", "event_date": call_date, "label": "Telefonata Trump-Putin", "n_docs": 2,
                    "event_type": "call", "is_planned": False, "identified_by": "date"}],
        "claims": [
            {"claim_id": "cl-call", "event_id": "ev-call", "label": "Trump e Putin hanno parlato al telefono",
             "n_docs": 2, "n_sources": 2},
            {"claim_id": "cl-duration", "event_id": "ev-call", "label": "La telefonata è durata più di un'ora",
             "n_docs": 2, "n_sources": 2},
        ],
        "claim_evidence": [
            {"claim_id": "cl-call", "doc_id": DOC_A, "sent_id": a_call, "source_id": "corriere-della-sera",
             "similarity": 0.82, "stance": "supports"},
            {"claim_id": "cl-call", "doc_id": DOC_B, "sent_id": b_quote, "source_id": "la-repubblica",
             "similarity": 0.41, "stance": "conflicts"},
            {"claim_id": "cl-duration", "doc_id": DOC_A, "sent_id": a_call, "source_id": "corriere-della-sera",
             "similarity": 0.77, "stance": "supports"},
            {"claim_id": "cl-duration", "doc_id": DOC_B, "sent_id": b_duration, "source_id": "la-repubblica",
             "similarity": 0.69, "stance": "supports"},
        ],
        "conflicts": [{
            "conflict_id": "cf-date", "claim_id": "cl-call", "kind": "date",
            "doc_id_a": DOC_A, "sent_id_a": a_call, "value_a": "2025-02-12",
            "doc_id_b": DOC_B, "sent_id_b": b_quote, "value_b": "2025-02-13",
            "explanation": "mercoledì 12 febbraio e giovedì 13 febbraio non sono lo stesso giorno",
            "confidence": 0.9, "status": "confirmed",
        }],
        "source_agreement": [{
            "source_a": "corriere-della-sera", "source_b": "la-repubblica", "n_shared_claims": 2, "n_agreeing": 1,
            "n_conflicting": 1, "n_only_a": 0, "n_only_b": 0, "n_copied_claims": 0, "agreement_rate": 0.5,
            "coverage_jaccard": 1.0,
        }],
        "near_duplicates": [],
        "facts": [
            {"fact_id": "fa-duration-a", "event_id": "ev-call", "doc_id": DOC_A, "sent_id": a_call,
             "source_id": "corriere-della-sera", "kind": "quantity", "measure": "durata telefonata", "scope": None,
             "modality": "outcome", "attributed_to": None, "unit": "minute", "qualifier": "more_than", "low": 60.0,
             "high": None, "value": "più di un'ora", "is_comparable": True},
            {"fact_id": "fa-duration-b", "event_id": "ev-call", "doc_id": DOC_B, "sent_id": b_duration,
             "source_id": "la-repubblica", "kind": "quantity", "measure": "durata telefonata", "scope": None,
             "modality": "outcome", "attributed_to": "dmitrij-peskov", "unit": "minute", "qualifier": "about",
             "low": 90.0, "high": 90.0, "value": "circa novanta minuti", "is_comparable": True},
        ],
        "entity_coverage": list(coverage.values()),
    }
    return {name: _frame(name, rows) for name, rows in tables.items()}


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """The rows as the writer would store them: declared dtypes, declared column order, sorted."""
    schema = TABLES[name].polars_schema
    return conform(name, pl.DataFrame(rows, schema_overrides=schema) if rows else pl.DataFrame(schema=schema))


def run(tables: dict[str, pl.DataFrame], input_files=tuple(INPUT_FILES), settings=SETTINGS):
    if input_files is not None and not isinstance(input_files, dict):
        input_files = list(input_files)  # a dict also gives each collection's row count
    return {r.check.check_id: r for r in evaluate(tables, input_files, settings)}


@pytest.fixture(scope="module")
def valid():
    return valid_tables()


@pytest.fixture(scope="module")
def valid_results(valid):
    return run(valid)


def failed(results) -> dict:
    return {cid: r for cid, r in results.items() if r.status == FAILED}


def test_plan_is_generated_from_every_schema_declaration(valid):
    plan = plan_checks(valid, INPUT_FILES, SETTINGS)
    ids = {c.check_id for c in plan.checks}
    assert len(ids) == len(plan.checks)
    for t in TABLES.values():
        assert {f"{t.name}.columns", f"{t.name}.dtypes"} <= ids
        assert {f"{t.name}.{c.name}.not_null" for c in t.columns if not c.nullable} <= ids
        assert {f"{t.name}.{c.name}.in_set" for c in t.columns if c.values} <= ids
        assert {f"{t.name}.{c.name}.range" for c in t.columns if c.min is not None or c.max is not None} <= ids
        assert {f"{t.name}.{'_'.join(r.columns)}_in_{r.table}" for r in t.refs} <= ids
        assert (f"{t.name}.key_unique" in ids) == bool(t.key)
    assert {c.check_id for c in plan.checks if c.severity == "warning"} == {
        "sentences.every_document_has_sentences", "mentions.sentences_with_entity_share",
        "time_expressions.resolved_share", "mentions.surface_at_offsets", "time_expressions.surface_at_offsets",
        "quantities.surface_at_offsets"}
    # A batch carries only the columns its checks read: nullable free-text columns stay behind.
    documents = next(b for b in plan.batches if b.name == "documents")
    assert "outlet" not in documents.data.columns and "doc_id" in documents.data.columns


def test_valid_tables_pass_clean(valid_results):
    assert failed(valid_results) == {}
    assert [cid for cid, r in valid_results.items() if r.status == SKIPPED] == []
    assert all(r.status == PASSED for r in valid_results.values())


def with_table(tables: dict[str, pl.DataFrame], name: str, df: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {**tables, name: df}


def blocking(results) -> set[str]:
    return {cid for cid, r in results.items() if r.is_blocking}


def message(results, check_id: str) -> str:
    return failure_report([results[check_id]])


# --- corruptions the gate must catch -----------------------------------------------------------

def test_duplicate_key_is_an_error_naming_the_rows(valid):
    sentences = valid["sentences"]
    duplicated = pl.concat([sentences, sentences.filter(pl.col("sent_id") == f"{DOC_A}:1:1")])
    results = run(with_table(valid, "sentences", duplicated))
    assert blocking(results) == {"sentences.key_unique"}
    text = message(results, "sentences.key_unique")
    assert "[error] sentences: key sent_id is unique (ExpectColumnValuesToBeUnique" in text
    assert "2 of 8 rows fail" in text
    assert f"sent_id='{DOC_A}:1:1'" in text


def test_duplicate_compound_key(valid):
    blocks = valid["blocks"]
    results = run(with_table(valid, "blocks", pl.concat([blocks, blocks.head(1).with_columns(pl.lit("x").alias("raw"))])))
    assert blocking(results) == {"blocks.key_unique"}
    assert results["blocks.key_unique"].check.expectation == "ExpectCompoundColumnsToBeUnique"
    assert {"doc_id": DOC_B, "block_no": 0} == {k: results["blocks.key_unique"].sample_rows[0][k]
                                                 for k in ("doc_id", "block_no")}


def test_dangling_references_are_errors(valid):
    mentions = valid["mentions"].with_columns(
        pl.when(pl.col("surface") == "Cremlino").then(pl.lit(f"{DOC_A}:1:9")).otherwise(pl.col("sent_id")).alias("sent_id"))
    evidence = valid["claim_evidence"].with_columns(
        pl.when(pl.col("sent_id") == f"{DOC_B}:1:0").then(pl.lit("cl-vanished")).otherwise(pl.col("claim_id"))
        .alias("claim_id"))
    results = run(with_table(with_table(valid, "mentions", mentions), "claim_evidence", evidence))
    failures = blocking(results)
    assert {"mentions.sent_id_in_sentences", "claim_evidence.claim_id_in_claims"} <= failures
    # The dangling rows are also missing from the counts they feed: the reconciliation says so too.
    assert failures - {"mentions.sent_id_in_sentences", "claim_evidence.claim_id_in_claims"} <= {
        "claims.n_docs_matches_evidence", "claims.n_sources_matches_evidence",
        "entity_coverage.n_mentions_matches_mentions", "entity_coverage.first_sent_no_matches_mentions"}
    assert results["mentions.sent_id_in_sentences"].sample_rows == (
        # a sentence that is not there: its document, from its id, still names the input file
        {"sent_id": f"{DOC_A}:1:9", "start": 18, "end": 26, "entity_id": "cremlino", "in_sentences": False,
         "document_path": INPUT_FILES[0]},)
    assert "every sent_id exists in sentences (sent_id)" in message(results, "mentions.sent_id_in_sentences")


def test_sentence_of_another_document_is_an_error(valid):
    quotes = valid["quotes"].with_columns(pl.lit(DOC_A).alias("doc_id"))
    results = run(with_table(valid, "quotes", quotes))
    assert blocking(results) == {"quotes.sent_id_in_doc_id"}


def test_value_out_of_range_and_out_of_set(valid):
    evidence = valid["claim_evidence"].with_columns(
        pl.when(pl.col("sent_id") == f"{DOC_A}:1:0").then(1.3).otherwise(pl.col("similarity")).alias("similarity"),
        pl.when(pl.col("stance") == "conflicts").then(pl.lit("neutral")).otherwise(pl.col("stance")).alias("stance"),
    )
    results = run(with_table(valid, "claim_evidence", evidence))
    assert blocking(results) == {"claim_evidence.similarity.range", "claim_evidence.stance.in_set"}
    assert results["claim_evidence.similarity.range"].unexpected_count == 2
    assert results["claim_evidence.stance.in_set"].sample_rows == (
        {"claim_id": "cl-call", "sent_id": f"{DOC_B}:1:1", "stance": "neutral", "document_path": INPUT_FILES[1],
         "sentence": "«È stata una telefonata produttiva», ha detto Trump giovedì 13 febbraio."},)


def test_offsets_outside_their_text(valid):
    first = pl.int_range(pl.len()) == 0
    mentions = valid["mentions"].with_columns(pl.when(first).then(pl.lit(500)).otherwise(pl.col("end")).alias("end"))
    quantities = valid["quantities"].with_columns(
        pl.when(pl.col("qualifier") == "about").then(pl.lit(120.0)).otherwise(pl.col("low")).alias("low"))
    results = run(with_table(with_table(valid, "mentions", mentions), "quantities", quantities))
    assert {"mentions.end_within_text", "quantities.low_le_high"} <= blocking(results)
    assert results["mentions.end_within_text"].sample_rows[0]["end"] == 500
    assert results["mentions.surface_at_offsets"].status == FAILED  # a warning, recorded too


def test_a_failure_names_the_input_file_and_quotes_the_sentence(valid, tmp_path):
    # "circa novanta minuti" read as the range 120..90: the row a scraped "2025-04" once produced.
    quantities = valid["quantities"].with_columns(
        pl.when(pl.col("qualifier") == "about").then(pl.lit(120.0)).otherwise(pl.col("low")).alias("low"))
    results = run(with_table(valid, "quantities", quantities))
    assert blocking(results) == {"quantities.low_le_high"}
    sentence = "La conversazione è durata circa novanta minuti, secondo Dmitrij Peskov."
    [row] = results["quantities.low_le_high"].sample_rows
    assert (row["sent_id"], row["low"], row["high"]) == (f"{DOC_B}:1:0", 120.0, 90.0)
    assert (row["document_path"], row["sentence"]) == (INPUT_FILES[1], sentence)
    text = message(results, "quantities.low_le_high")
    assert f'in {INPUT_FILES[1]}: "{sentence}"' in text
    assert "document_path=" not in text  # the context has its own line, not repeated in the row
    [failure] = summarize(list(results.values()))["failures"]
    assert failure["sample_rows"][0]["document_path"] == INPUT_FILES[1]
    assert failure["sample_rows"][0]["sentence"] == sentence
    page = render_page(list(results.values()))
    assert INPUT_FILES[1] in page and sentence in page


def test_a_failure_on_a_pair_of_sentences_names_both(valid):
    conflicts = valid["conflicts"].with_columns(pl.lit("umore").alias("kind"))
    results = run(with_table(valid, "conflicts", conflicts))
    assert blocking(results) == {"conflicts.kind.in_set"}
    [row] = results["conflicts.kind.in_set"].sample_rows
    # The sample row holds the key; the sentences come from the conflict's own row.
    assert {k: row[k] for k in ("conflict_id", "kind")} == {"conflict_id": "cf-date", "kind": "umore"}
    assert (row["document_path_a"], row["document_path_b"]) == tuple(INPUT_FILES[:2])
    assert row["sentence_a"].startswith("Il presidente Donald Trump ha parlato con Vladimir Putin")
    assert row["sentence_b"] == "«È stata una telefonata produttiva», ha detto Trump giovedì 13 febbraio."
    text = message(results, "conflicts.kind.in_set")
    assert f"a: in {INPUT_FILES[0]}: " in text and f"b: in {INPUT_FILES[1]}: " in text


def test_context_is_looked_up_without_great_expectations_and_never_fails(valid):
    from pipeline.quality.checks import Check
    from pipeline.quality.context import add_context
    from pipeline.quality.results import CheckResult

    check = Check("quantities.low_le_high", "quantities", "error", "low <= high where both are given",
                  "ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "high", "column_B": "low"})
    long_sentence = "Il sindaco ha detto che " + "la città crescerà ancora " * 10 + "nei prossimi anni."
    sentences = valid["sentences"].with_columns(
        pl.when(pl.col("sent_id") == f"{DOC_A}:1:0").then(pl.lit(long_sentence)).otherwise(pl.col("text")).alias("text"))
    failed_result = CheckResult(check, FAILED, 2, 1, sample_rows=({"sent_id": f"{DOC_A}:1:0", "start": 0},))
    [with_context] = add_context([failed_result], {**valid, "sentences": sentences})
    quoted = with_context.sample_rows[0]["sentence"]
    assert len(quoted) == 120 and quoted.endswith("…") and long_sentence.startswith(quoted[:-1])
    assert with_context.sample_rows[0]["document_path"] == INPUT_FILES[0]
    # Without documents and sentences (or with unreadable ones) there is simply no context.
    assert add_context([failed_result], {}) == [failed_result]
    broken = {**valid, "sentences": valid["sentences"].with_columns(pl.col("text").cast(pl.Categorical)),
              "documents": valid["documents"].drop("path")}
    assert add_context([failed_result], broken)[0].sample_rows[0] == {
        "sent_id": f"{DOC_A}:1:0", "start": 0, "sentence": "Il presidente Donald Trump ha parlato con Vladimir Putin "
        "per più di un'ora mercoledì 12 febbraio."}
    passed_result = CheckResult(check, PASSED, 2, 0)
    assert add_context([passed_result], valid) == [passed_result]


def test_sentence_offsets_checked_against_block_text(valid):
    sentences = valid["sentences"].with_columns(
        pl.when(pl.col("sent_id") == f"{DOC_B}:0:0").then(pl.lit(0)).otherwise(pl.col("end")).alias("end"))
    results = run(with_table(valid, "sentences", sentences))
    assert blocking(results) == {"sentences.start_lt_end"}
    sentences = valid["sentences"].with_columns((pl.col("end") + 1000).alias("end"))
    assert blocking(run(with_table(valid, "sentences", sentences))) == {"sentences.end_within_text"}


def test_lost_input_file_is_an_error(valid):
    lost = "seeds/nested/005_lost.txt"
    results = run(valid, input_files=[*INPUT_FILES, lost])
    assert blocking(results) == {"documents.inputs_accounted"}
    assert results["documents.inputs_accounted"].sample_rows == ({"path": lost, "is_accounted": False},)


def test_file_both_accepted_and_rejected_is_an_error(valid):
    rejected = pl.concat([valid["rejected"], valid["rejected"].with_columns(pl.lit(INPUT_FILES[0]).alias("path"))])
    results = run(with_table(valid, "rejected", rejected))
    assert blocking(results) == {"documents.path_once"}
    assert {row["path"] for row in results["documents.path_once"].sample_rows} == {INPUT_FILES[0]}


def test_phantom_path_not_among_inputs_is_an_error(valid):
    results = run(valid, input_files=INPUT_FILES[:2])
    assert blocking(results) == {"documents.paths_are_inputs"}


def test_document_without_sentences_is_a_warning(valid):
    sentences = valid["sentences"].filter(pl.col("doc_id") != DOC_B)
    # keep the rest consistent: drop what pointed into the removed sentences
    tables = with_table(valid, "sentences", sentences)
    results = run(tables)
    check = results["sentences.every_document_has_sentences"]
    assert check.status == FAILED and check.check.severity == "warning" and not check.is_blocking
    assert check.sample_rows == ({"doc_id": DOC_B, "path": INPUT_FILES[1], "n_sentences": 0},)


def test_empty_sentences_table_is_an_error(valid):
    results = run(with_table(valid, "sentences", valid["sentences"].clear()))
    assert "sentences.not_empty" in blocking(results)
    assert results["mentions.sentences_with_entity_share"].status == SKIPPED


def test_wrong_column_type_is_an_error_and_dependent_checks_are_skipped(valid):
    sentences = valid["sentences"].with_columns(pl.col("start").cast(pl.Float64))
    results = run(with_table(valid, "sentences", sentences))
    assert blocking(results) == {"sentences.dtypes"}
    assert results["sentences.dtypes"].sample_rows == (
        {"column": "start", "declared_dtype": "Int64", "actual_dtype": "Float64"},)
    assert results["sentences.start.not_null"].status == SKIPPED
    assert "column sentences.start is Float64, not Int64" in results["sentences.start.not_null"].note


def test_missing_table_and_column_order(valid):
    tables = {k: v for k, v in valid.items() if k != "conflicts"}
    tables["events"] = valid["events"].select(list(reversed(valid["events"].columns)))
    results = run(tables)
    assert blocking(results) == {"conflicts.columns", "events.columns"}
    assert results["conflicts.columns"].observed == []
    assert results["conflicts.conflict_id.not_null"].status == SKIPPED
    assert "table conflicts is missing" in results["conflicts.conflict_id.not_null"].note


def test_count_reconciliation(valid):
    claims = valid["claims"].with_columns(pl.when(pl.col("claim_id") == "cl-call").then(3).otherwise(pl.col("n_docs"))
                                          .alias("n_docs"))
    sources = valid["sources"].with_columns(pl.lit(2, dtype=pl.Int64).alias("n_docs"))
    agreement = valid["source_agreement"].with_columns(pl.lit(2, dtype=pl.Int64).alias("n_agreeing"))
    tables = with_table(with_table(with_table(valid, "claims", claims), "sources", sources), "source_agreement", agreement)
    results = run(tables)
    assert blocking(results) == {"claims.n_docs_matches_evidence", "sources.n_docs_matches_articles",
                                 "source_agreement.shared_split"}
    assert results["claims.n_docs_matches_evidence"].sample_rows == (
        {"claim_id": "cl-call", "n_docs": 3, "evidence_n_docs": 2},)


def test_unordered_pair_stored_twice_is_an_error(valid):
    agreement = valid["source_agreement"].rename({"source_a": "source_b", "source_b": "source_a"}).select(
        valid["source_agreement"].columns)
    results = run(with_table(valid, "source_agreement", agreement))
    assert blocking(results) == {"source_agreement.source_a_lt_source_b"}


def test_health_thresholds_are_warnings(valid):
    strict = GateSettings(min_entity_sentence_share=0.95, min_resolved_time_share=1.0, sample_rows=5)
    times = valid["time_expressions"].with_columns(pl.lit(None, dtype=pl.Date).alias("value_date"),
                                                   pl.lit(None, dtype=pl.Boolean).alias("is_weekday_consistent"))
    results = run(with_table(valid, "time_expressions", times), settings=strict)
    assert blocking(results) == set()
    share = results["mentions.sentences_with_entity_share"]
    assert share.status == FAILED and share.observed == pytest.approx(6 / 7, abs=1e-6)
    assert results["time_expressions.resolved_share"].observed == 0.0


# --- outputs -----------------------------------------------------------------------------------

def test_summary_counts_and_is_deterministic(valid, valid_results):
    corrupted = run(with_table(valid, "sources", valid["sources"].with_columns(pl.lit(9, dtype=pl.Int64).alias("n_docs"))))
    summary = summarize(list(corrupted.values()))
    assert summary["is_passing"] is False
    assert summary["totals"]["failed"] == 1 == summary["by_table"]["sources"]["failed"]
    assert summary["by_severity"]["error"]["failed"] == 1
    assert summary["totals"]["evaluated"] == len(corrupted)
    assert [f["check_id"] for f in summary["failures"]] == ["sources.n_docs_matches_articles"]
    assert summarize(list(valid_results.values()))["is_passing"] is True


def test_page_is_self_contained_and_escaped(valid):
    evil = "<script>alert('x')</script>"
    evidence = valid["claim_evidence"].with_columns(pl.lit(evil).alias("stance"))
    page = render_page(list(run(with_table(valid, "claim_evidence", evidence)).values()))
    assert evil not in page and "&lt;script&gt;" in page
    assert "<script" not in page.lower()
    for external in ("http://", "https://", "src=", "@import", "url("):
        assert external not in page
    assert page.count("<section") == len(TABLES)
    assert 'id="table-claim_evidence"' in page and "claim_evidence.stance.in_set" in page


# --- the stage shell ---------------------------------------------------------------------------

def test_list_input_files_follows_ingest_rules(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "nested").mkdir(parents=True)
    (seeds / ".git").mkdir()
    for rel in ("001.txt", "nested/002.html", ".DS_Store", ".git/config", "sources.csv"):
        (seeds / rel).write_text("x", encoding="utf-8")
    (seeds / "outside.txt").symlink_to(tmp_path / "elsewhere.txt")  # listed, never followed
    (seeds / "manifest_link.csv").symlink_to("sources.csv")
    (seeds / "loop_a").symlink_to("loop_b")
    (seeds / "loop_b").symlink_to("loop_a")
    assert validate.list_input_files(tmp_path, "seeds", "seeds/sources.csv") == [
        "seeds/001.txt", "seeds/loop_a", "seeds/loop_b", "seeds/nested/002.html", "seeds/outside.txt"]


def _write_repo(root, tables, input_files):
    from pipeline.common import write_table

    for name, df in tables.items():
        write_table(name, df, root)
    for rel in input_files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (root / INVENTORY_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / INVENTORY_PATH).write_text(inventory_lines(root / "seeds"), encoding="utf-8")  # as stage scan does
    (root / "params.yaml").write_text(
        "ingest:\n  seeds_dir: seeds\n  manifest: seeds/sources.csv\n"
        "validate:\n  min_entity_sentence_share: 0.3\n  min_resolved_time_share: 0.5\n  sample_rows: 5\n",
        encoding="utf-8")


def test_main_writes_outputs_then_fails_on_errors(tmp_path, monkeypatch, caplog, valid):
    from pipeline import common

    _write_repo(tmp_path, with_table(valid, "mentions", valid["mentions"].with_columns(
        pl.lit("nessuno").alias("entity_id"))), INPUT_FILES)
    monkeypatch.setattr(common, "ROOT", tmp_path)
    monkeypatch.setattr(validate, "ROOT", tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        validate.main()
    assert exit_info.value.code == 1
    err = caplog.text  # the failure report is an ERROR record (stderr outside pytest)
    assert "[error] mentions: every entity_id exists in entities (entity_id)" in err
    assert "entity_id='nessuno'" in err
    assert f'in {INPUT_FILES[0]}: "Telefonata tra Trump e Putin"' in err
    assert f"mentions (rows from {INPUT_FILES[1]}, {INPUT_FILES[0]}): stopping the pipeline" in caplog.text
    summary = json.loads((tmp_path / validate.SUMMARY_PATH).read_text(encoding="utf-8"))
    assert summary["is_passing"] is False
    assert "mentions.entity_id_in_entities" in {f["check_id"] for f in summary["failures"]}
    assert (tmp_path / validate.PAGE_PATH).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_main_passes_on_valid_tables_with_identical_outputs(tmp_path, monkeypatch, valid):
    from pipeline import common

    _write_repo(tmp_path, valid, INPUT_FILES)
    monkeypatch.setattr(common, "ROOT", tmp_path)
    monkeypatch.setattr(validate, "ROOT", tmp_path)
    validate.main()
    first = [(tmp_path / p).read_bytes() for p in (validate.SUMMARY_PATH, validate.PAGE_PATH)]
    validate.main()
    assert first == [(tmp_path / p).read_bytes() for p in (validate.SUMMARY_PATH, validate.PAGE_PATH)]
    assert json.loads(first[0])["totals"]["failed"] == 0


# --- on the real pipeline output (the full `dvc repro` of tests/conftest.py) -------------------

def test_real_pipeline_output_passes_the_gate(pipeline_run):
    summary = json.loads((pipeline_run / validate.SUMMARY_PATH).read_text(encoding="utf-8"))
    assert summary["is_passing"] is True
    assert summary["by_severity"]["error"] == {**summary["by_severity"]["error"], "failed": 0, "skipped": 0}
    assert set(summary["by_table"]) == set(TABLES)
    page = (pipeline_run / validate.PAGE_PATH).read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "https://" not in page


def test_real_tables_with_a_lost_document_fail(pipeline_run):
    tables = validate.read_tables(pipeline_run)
    kinds = validate.input_entries(validate.read_inventory(pipeline_run), "seeds", "seeds/sources.csv")
    assert list(kinds) == validate.list_input_files(pipeline_run, "seeds", "seeds/sources.csv")
    inputs = validate.input_row_counts(pipeline_run, list(kinds), kinds)
    lost = sorted(p for p in tables["documents"]["path"] if "#" not in p)[-1]  # a single file, not a row
    assert lost in inputs
    results = run(with_table(tables, "documents", tables["documents"].filter(pl.col("path") != lost)),
                  input_files=inputs)
    assert "documents.inputs_accounted" in blocking(results)
    assert results["documents.inputs_accounted"].sample_rows == ({"path": lost, "is_accounted": False},)
    # its article, blocks and sentences now point at a document that is not there
    assert {"articles.doc_id_in_documents", "blocks.doc_id_in_documents"} <= blocking(results)


def test_a_batch_ge_cannot_evaluate_fails_its_checks_without_crashing(valid):
    from pipeline.quality.checks import Batch, Check, Plan
    from pipeline.quality.gx_runner import run_plan

    # A column the expectation names is absent from the frame: GE cannot evaluate it.
    check = Check("sources.n_docs.range", "sources", "error", "n_docs is >= 1", "ExpectColumnValuesToBeBetween",
                  {"column": "n_docs", "min_value": 1, "max_value": None})
    plan = Plan((Batch("broken", valid["sources"].select("source_id"), ("source_id",), (check,)),), (), (check,))
    [result] = run_plan(plan)
    assert result.status == FAILED and result.is_blocking
    assert result.note.startswith("could not be evaluated")


def test_one_suite_per_table_and_frame_gives_the_results_of_one_run_per_batch(valid, monkeypatch):
    from pipeline.quality import gx_runner

    # Corruptions across merged suites: a dangling reference, a value out of set, offsets outside the text.
    mentions = valid["mentions"].with_columns(
        pl.when(pl.col("surface") == "Cremlino").then(pl.lit(f"{DOC_A}:1:9")).otherwise(pl.col("sent_id")).alias("sent_id"),
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(500)).otherwise(pl.col("end")).alias("end"))
    evidence = valid["claim_evidence"].with_columns(
        pl.when(pl.col("stance") == "conflicts").then(pl.lit("neutral")).otherwise(pl.col("stance")).alias("stance"))
    tables = with_table(with_table(valid, "mentions", mentions), "claim_evidence", evidence)
    plan = plan_checks(tables, INPUT_FILES, SETTINGS)
    merged = gx_runner.suites(plan.batches)
    # Positive control: batches were merged, so the comparison below compares two different runs.
    assert len(merged) < len(plan.batches)
    assert any(len(s.batches) > 1 and s.batches[0].name == "mentions" for s in merged)
    together = run(tables)
    monkeypatch.setattr(gx_runner, "suites", lambda batches: [
        gx_runner.Suite((b,), b.data, b.index_columns) for b in batches])
    apart = run(tables)
    assert {"mentions.sent_id_in_sentences", "mentions.end_within_text", "claim_evidence.stance.in_set"} <= set(
        failed(together))
    assert together == apart
