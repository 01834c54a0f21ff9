"""The evaluation scorer on tiny hand-made frames: a conflict matching the gold, one that does not, one
across events; conflicts with and without the `status` column; pairwise claim scores."""

from __future__ import annotations

import polars as pl
import pytest

from tests.eval.gold import parse_gold
from tests.eval.score import evaluate, false_conflict_lines, gold_doc_ids, map_items, missed_claim_causes, summary_markdown

GOLD = parse_gold({
    "scioperi": {
        "label": "due scioperi",
        "events": {"s1": {"date": "2026-10-16", "kind": "sciopero"}, "s2": {"date": "2026-11-13", "kind": "sciopero"}},
        "documents": {
            "a": {"path": "x/a.txt", "outlet": "A", "date": "2026-10-16", "dated": True, "event": "s1", "mentions": []},
            "b": {"path": "x/b.txt", "outlet": "B", "date": "2026-10-16", "dated": False, "event": "s1", "mentions": []},
            "c": {"path": "x/c.txt", "outlet": "C", "date": "2026-11-13", "dated": False, "event": "s2", "mentions": []},
        },
        "claims": [
            {"id": "s1_rome", "event": "s1", "measure": "partecipanti",
             "evidence": [["a", "erano 100mila"], ["b", "Questura ne conta 30mila"], ["b", "In piazza 100mila"]]},
            {"id": "s1_forecast", "event": "s1", "measure": "attesi", "evidence": [["a", "attesi 80mila"]]},
            {"id": "s2_rome", "event": "s2", "measure": "partecipanti", "evidence": [["c", "erano 50mila"]]},
        ],
        "conflicts": [
            {"id": "s1_unions_vs_questura", "kind": "quantity", "claim": "s1_rome",
             "a": [["b", "Questura ne conta 30mila"]], "b": [["a", "erano 100mila"]]},
        ],
        "must_not_conflict": [
            {"id": "s1_forecast_vs_final", "why": "forecast_vs_outcome",
             "a": [["a", "attesi 80mila"]], "b": [["b", "Questura ne conta 30mila"]]},
        ],
    },
})

DOCUMENTS = pl.DataFrame({"doc_id": ["da", "db", "dc"], "path": ["seeds/x/a.txt", "seeds/x/b.txt", "seeds/x/c.txt"]})
SENTENCES = pl.DataFrame({
    "sent_id": ["da:1", "da:2", "db:1", "db:2", "dc:1", "dc:2"],
    "doc_id": ["da", "da", "db", "db", "dc", "dc"],
    "text": ["Secondo i sindacati erano 100mila.", "Ieri sera erano attesi 80mila.",
             "La Questura ne conta 30mila.", "In piazza 100mila, dicono.", "A Roma erano 50mila.",
             "Una frase che il gold non nomina, 12 persone."],
})


def conflict(cid: str, sa: str, sb: str, **extra) -> dict:
    row = {"conflict_id": cid, "claim_id": "k", "kind": "quantity", "doc_id_a": sa.split(":")[0], "sent_id_a": sa,
           "value_a": "x", "doc_id_b": sb.split(":")[0], "sent_id_b": sb, "value_b": "y", "explanation": "because"}
    row.update(extra)
    return row


def results(rows: list[dict], claim_evidence: pl.DataFrame | None = None) -> dict:
    evidence = claim_evidence if claim_evidence is not None else pl.DataFrame(
        {"claim_id": [], "sent_id": []}, schema={"claim_id": pl.String, "sent_id": pl.String})
    columns = {k: pl.String for k in conflict("c", "a:1", "b:1")}
    return evaluate(GOLD, DOCUMENTS, SENTENCES, evidence, pl.DataFrame(rows) if rows else pl.DataFrame(schema=columns))


def test_true_false_and_cross_event_conflicts_without_status_column():
    out = results([
        conflict("c1", "da:1", "db:1"),  # 100mila (unions) against 30mila (Questura): the gold disagreement
        conflict("c2", "db:1", "da:2"),  # Questura's count against the forecast: a must-not pair
        conflict("c3", "da:1", "dc:1"),  # October against November: different events
        conflict("c4", "da:1", "db:2"),  # 100mila against 100mila: same claim, compatible
    ])
    assert out["has_status"] is False
    conf = out["conflicts"]["confirmed"]
    assert (conf["n"], conf["n_true"], conf["precision"]) == (4, 1, 0.25)
    assert conf["n_cross_event"] == 1
    assert conf["false_by_reason"] == {"different_events": 1, "must_not:forecast_vs_outcome": 1,
                                       "same_claim_compatible": 1}
    assert out["conflicts"]["recall"]["recall"] == 1.0
    verdicts = {r["conflict_id"]: r for r in out["conflict_rows"]}
    assert verdicts["c1"]["gold_conflicts"] == ["s1_unions_vs_questura"] and verdicts["c1"]["is_kind_right"]
    assert verdicts["c3"]["is_cross_event"] and verdicts["c3"]["events_a"] == ["s1"]
    assert any("different_events" in line and "a 'x' vs c 'y'" in line for line in false_conflict_lines(out))


def test_order_of_the_two_sentences_does_not_matter_and_an_unnamed_sentence_is_false():
    out = results([conflict("c1", "db:1", "da:1"), conflict("c2", "dc:2", "dc:1")])
    verdicts = {r["conflict_id"]: r for r in out["conflict_rows"]}
    assert verdicts["c1"]["is_true"]
    assert not verdicts["c2"]["is_true"] and verdicts["c2"]["reason"] == "sentence_not_in_gold"
    # a sentence the gold does not name takes its document's main event
    assert verdicts["c2"]["event_source"] == ["document_main_event", "gold_sentence"]


def test_to_check_conflicts_are_counted_apart_from_the_headline():
    out = results([
        conflict("c1", "da:1", "db:1", status="to_check", confidence=0.4),
        conflict("c2", "da:1", "dc:1", status="confirmed", confidence=0.95),
    ])
    c = out["conflicts"]
    assert out["has_status"] is True
    assert (c["confirmed"]["n"], c["confirmed"]["n_true"], c["confirmed"]["precision"]) == (1, 0, 0.0)
    assert (c["to_check"]["n"], c["to_check"]["n_true"]) == (1, 1)
    assert c["recall"]["found"] == 0 and c["recall"]["found_counting_to_check"] == 1
    assert c["recall"]["missed"] == ["s1_unions_vs_questura"]


def test_no_conflicts_reported():
    out = evaluate(
        GOLD, DOCUMENTS, SENTENCES, pl.DataFrame({"claim_id": ["k"], "sent_id": ["da:1"]}),
        pl.DataFrame(schema={k: pl.String for k in conflict("c", "a:1", "b:1")}))
    assert out["conflicts"]["confirmed"]["precision"] is None
    assert out["conflicts"]["recall"]["recall"] == 0.0
    assert "n/a" in summary_markdown(out, {"n_documents": 3, "n_outlets": 3, "n_stories": 1, "n_events": 2,
                                           "undated_share": 0.67, "n_claims": 3, "n_true_conflicts": 1,
                                           "n_must_not_sets": 1})


@pytest.mark.parametrize(("groups", "expected"), [
    # the three s1_rome sentences together: its two cross-document pairs are right; putting the forecast
    # and the November sentence in the same claim adds six wrong cross-document pairs
    ({"k1": ["da:1", "db:1", "db:2", "da:2", "dc:1"]}, (2, 8, 2)),
    # s1_rome split in two claims: one right pair found of two; an unnamed sentence is ignored
    ({"k1": ["da:1", "db:1", "dc:2"], "k2": ["db:2"]}, (1, 1, 2)),
])
def test_claim_pairwise_scores(groups, expected):
    evidence = pl.DataFrame([{"claim_id": k, "sent_id": s} for k, ss in groups.items() for s in ss])
    claims = results([], evidence)["claims"]
    assert (claims["tp"], claims["n_predicted"], claims["n_truth"]) == expected


def test_gold_items_are_mapped_by_folded_containment():
    sentences = SENTENCES.with_columns(pl.col("text").str.replace("La Questura", "La  Questura"))
    out = evaluate(GOLD, DOCUMENTS, sentences, pl.DataFrame({"claim_id": ["k"], "sent_id": ["da:1"]}),
                   pl.DataFrame([conflict("c1", "da:1", "db:1")]))
    assert out["items"]["n_unmapped"] == 0
    missing = evaluate(GOLD, DOCUMENTS.filter(pl.col("doc_id") != "dc"), SENTENCES,
                       pl.DataFrame({"claim_id": ["k"], "sent_id": ["da:1"]}), pl.DataFrame([conflict("c1", "da:1", "db:1")]))
    assert missing["documents"]["missing"] == ["c"]
    assert missing["items"]["unmapped"] == ["c: erano 50mila"]


def test_missed_claim_pairs_are_told_apart_by_cause():
    item_sents = map_items(GOLD, SENTENCES, gold_doc_ids(GOLD, DOCUMENTS))
    evidence = pl.DataFrame({"claim_id": ["k1", "k2", "k3"], "sent_id": ["da:1", "db:1", "db:2"]})
    claims = pl.DataFrame({"claim_id": ["k1", "k2", "k3"], "event_id": ["e1", "e1", "e2"]})

    def facts(modality_b: str) -> pl.DataFrame:
        return pl.DataFrame({"sent_id": ["da:1", "db:1", "db:2"], "event_id": ["e1", "e1", "e2"],
                             "kind": ["quantity"] * 3, "measure": ["persone"] * 3,
                             "modality": ["outcome", modality_b, "outcome"], "scope": [None, None, "piazza"]})

    # s1_rome: da:1 and db:1 in one event with equal keys yet two claims; da:1 and db:2 in two events
    causes = missed_claim_causes(GOLD, evidence, facts("outcome"), claims, SENTENCES, item_sents)
    assert causes == {"different_events": {"s1_rome": 1}, "same_key": {"s1_rome": 1}}
    assert missed_claim_causes(GOLD, evidence, facts("forecast"), claims, SENTENCES, item_sents)["modality"] == {"s1_rome": 1}
    # one claim for the two sentences of one event: that pair is no longer missed
    joined = evidence.with_columns(pl.when(pl.col("claim_id") == "k2").then(pl.lit("k1")).otherwise("claim_id").alias("claim_id"))
    assert missed_claim_causes(GOLD, joined, facts("outcome"), claims, SENTENCES, item_sents) == {
        "different_events": {"s1_rome": 1}}
