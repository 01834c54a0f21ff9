"""Article collections in seeds/: CSV, JSON Lines and Parquet files with one article per row.

Every collection here is written by the test itself, with Italian sentences of our own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.common import load_params, stable_id
from pipeline.intake.classify import IngestConfig
from pipeline.intake.outcomes import ingest_folder
from pipeline.intake.collections import (
    CollectionError,
    NoTextColumn,
    column_aliases,
    count_rows,
    iter_rows,
    open_collection,
    parse_row_date,
    resolve_columns,
)

CONFIG = IngestConfig.from_params({**load_params("ingest"), "max_bytes": 20_000})

BODY = ("Il Consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità cittadina, dopo una seduta "
        "durata più di cinque ore. Il piano prevede nuove piste ciclabili, più corse dei bus notturni e una zona a "
        "traffico limitato più ampia, con una spesa di circa dodici milioni di euro nei prossimi tre anni.")
BODY_2 = ("I commercianti del centro si sono detti preoccupati per le possibili ripercussioni sulle vendite, mentre "
          "il sindaco ha promesso un tavolo di confronto già dalla prossima settimana con tutte le associazioni.")
ENGLISH = ("City council approved the new urban mobility plan last night after a meeting that lasted more than five "
           "hours, and the opposition said it would appeal to the regional administrative court next week. The plan "
           "includes new cycle lanes, more night buses and a larger limited traffic zone, at a cost of about twelve "
           "million euros over the next three years.")


def ingest(tmp_path: Path, files: dict[str, bytes], config: IngestConfig = CONFIG) -> tuple[pl.DataFrame, pl.DataFrame]:
    seeds = tmp_path / "seeds"
    for name, content in files.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_bytes(content)
    return ingest_folder(seeds, None, config, tmp_path)


def outcomes(documents: pl.DataFrame, rejected: pl.DataFrame) -> dict[str, str]:
    """path -> "document" or the rejection reason."""
    return dict.fromkeys(documents["path"], "document") | dict(zip(rejected["path"], rejected["reason"]))


def csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_quoted_newlines(tmp_path):
    text = f"{BODY}\n\n«Una scelta che cambierà la città; ne siamo certi», ha detto l'assessora.\n\n{BODY_2}"
    content = ("\ufeffid;titolo;data;testata;url;testo\n"
               f"a1;Mobilità, il piano approvato;12/02/2025;Gazzetta di Prova;https://g.example/a1;{csv_field(text)}\n")
    documents, rejected = ingest(tmp_path, {"export.csv": content.encode()})
    assert rejected.height == 0
    row = documents.row(0, named=True)
    assert row["path"] == "seeds/export.csv#a1" and row["row_id"] == "a1"
    assert row["text"] == text  # the quoted newlines and the semicolon inside stay in the text
    assert (row["title"], row["outlet"], row["url"], row["published_date"]) == (
        "Mobilità, il piano approvato", "Gazzetta di Prova", "https://g.example/a1", dt.date(2025, 2, 12))
    assert row["encoding"] == "utf-8-sig" and row["lang"] == "it" and row["format"] == "text"
    sha = __import__("hashlib").sha256((tmp_path / "seeds/export.csv").read_bytes()).hexdigest()
    assert row["doc_id"] == stable_id(sha, "a1")


def test_csv_in_cp1252_is_read(tmp_path):
    content = f"title,text\nPiano città,{csv_field(BODY + ' “Costa 12 €”.')}\n".encode("cp1252")
    documents, rejected = ingest(tmp_path, {"export.csv": content})
    assert rejected.height == 0
    assert documents["encoding"][0] == "cp1252" and documents["text"][0].endswith("“Costa 12 €”.")
    assert documents["path"][0] == "seeds/export.csv#1"  # no id column: the row number


def test_missing_and_extra_columns(tmp_path):
    """Columns nobody maps are ignored, absent ones are null; a record with fewer fields is read
    with the rest null, one with more non-empty fields than the header is malformed."""
    content = ("text,colore,id\n"
               f"{csv_field(BODY)},rosso,r1\n"
               f"{csv_field(BODY_2)}\n"
               f"{csv_field(BODY + ' Seconda versione.')},verde,r3,in più,ancora\n"
               f"{csv_field(BODY_2 + ' Terza versione.')},blu,r4,,\n")
    documents, rejected = ingest(tmp_path, {"x.csv": content.encode()})
    assert outcomes(documents, rejected) == {"seeds/x.csv#r1": "document", "seeds/x.csv#2": "document",
                                             "seeds/x.csv#r3": "malformed_row", "seeds/x.csv#r4": "document"}
    assert documents["outlet"].is_null().all() and documents["published_date"].is_null().all()
    assert "5 fields where the header has 3" in rejected["detail"][0]


def test_duplicate_rows_and_repeated_ids(tmp_path):
    row = f"7,Gazzetta,{csv_field(BODY)}\n"
    other_outlet = f"7,Corriere,{csv_field(BODY)}\n"
    documents, rejected = ingest(tmp_path, {"x.csv": f"id,outlet,text\n{row}{row}{other_outlet}".encode()})
    assert outcomes(documents, rejected) == {"seeds/x.csv#7": "document", "seeds/x.csv#7@2": "duplicate",
                                             "seeds/x.csv#7@3": "document"}
    assert "seeds/x.csv#7, which is kept" in rejected["detail"][0]
    assert documents["doc_id"].n_unique() == 2


def test_null_empty_and_huge_rows(tmp_path):
    huge = (BODY + " ") * 200  # about 60 KB, over max_bytes
    content = ("id,text\n"
               "vuoto,\n"
               'spazi,"   \n  "\n'
               f"enorme,{csv_field(huge)}\n"
               f"buono,{csv_field(BODY)}\n"
               f"inglese,{csv_field(ENGLISH)}\n")
    documents, rejected = ingest(tmp_path, {"x.csv": content.encode()})
    assert outcomes(documents, rejected) == {
        "seeds/x.csv#vuoto": "empty", "seeds/x.csv#spazi": "empty", "seeds/x.csv#enorme": "too_large",
        "seeds/x.csv#buono": "document", "seeds/x.csv#inglese": "unsupported_language"}
    too_large = rejected.filter(pl.col("path") == "seeds/x.csv#enorme").row(0, named=True)
    assert too_large["n_bytes"] == len(huge.encode()) and "ingest.max_bytes" in too_large["detail"]


def test_a_collection_without_a_text_column_is_rejected_whole_naming_its_columns(tmp_path):
    documents, rejected = ingest(tmp_path, {"x.csv": b"id,titolo,data\n1,Un titolo,2025-02-12\n"})
    assert documents.height == 0
    assert rejected.select("path", "reason", "row_id").rows() == [("seeds/x.csv", "no_text_column", None)]
    detail = rejected["detail"][0]
    assert "'id', 'titolo', 'data'" in detail and "ingest.collection_columns" in detail


def test_collection_columns_override_maps_other_names(tmp_path):
    config = IngestConfig.from_params({**load_params("ingest"), "max_bytes": 20_000,
                                       "collection_columns": {"text": "corpo_articolo", "outlet": ["giornale"]}})
    content = f"corpo_articolo,giornale,text\n{csv_field(BODY)},Eco di Prova,non questo\n".encode()
    documents, rejected = ingest(tmp_path, {"x.csv": content}, config)
    assert rejected.height == 0
    assert (documents["text"][0], documents["outlet"][0]) == (BODY, "Eco di Prova")
    with pytest.raises(ValueError, match="unknown field"):
        column_aliases({"testo_completo": "x"})


def test_header_names_match_case_and_separator_insensitively():
    mapping = resolve_columns(["ID", "Media Name", "Publish-Date", "Full Text"], column_aliases(None))
    assert mapping == {"id": "ID", "outlet": "Media Name", "published_date": "Publish-Date", "text": "Full Text"}
    with pytest.raises(NoTextColumn):
        resolve_columns(["id", "title"], column_aliases(None))


def test_a_header_only_collection_is_one_empty_entry(tmp_path):
    documents, rejected = ingest(tmp_path, {"x.csv": b"id,text\n", "y.jsonl": b"\n\n"})
    assert outcomes(documents, rejected) == {"seeds/x.csv": "empty", "seeds/y.jsonl": "empty"}


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_with_a_malformed_line_in_the_middle(tmp_path):
    lines = [
        json.dumps({"id": 1, "title": "Primo", "date_publish": "2025-02-12 10:00:00", "source_domain": "Eco",
                    "maintext": BODY, "authors": ["Anna Neri", "Luca Blu"]}, ensure_ascii=False),
        '{"id": 2, "maintext": "una riga tagliata',
        "[1, 2, 3]",
        "",
        json.dumps({"id": 4, "title": "Quarto", "text": BODY_2, "date": "Wed, 12 Feb 2025 18:40:00 +0100"}),
        json.dumps({"id": 5, "text": None}),
        json.dumps({"id": 6, "titolo": "Senza testo"}),
    ]
    documents, rejected = ingest(tmp_path, {"scrape.jsonl": "\n".join(lines).encode()})
    assert outcomes(documents, rejected) == {
        "seeds/scrape.jsonl#1": "document", "seeds/scrape.jsonl#2": "malformed_row",
        "seeds/scrape.jsonl#3": "malformed_row", "seeds/scrape.jsonl#4": "document",
        "seeds/scrape.jsonl#5": "empty", "seeds/scrape.jsonl#6": "malformed_row"}
    first = documents.filter(pl.col("row_id") == "1").row(0, named=True)
    assert (first["author"], first["outlet"], first["published_date"]) == ("Anna Neri, Luca Blu", "Eco", dt.date(2025, 2, 12))
    assert documents.filter(pl.col("row_id") == "4")["published_date"][0] == dt.date(2025, 2, 12)
    details = dict(zip(rejected["path"], rejected["detail"]))
    assert "line 2 is not valid JSON" in details["seeds/scrape.jsonl#2"]
    assert "not an object" in details["seeds/scrape.jsonl#3"]
    assert "titolo" in details["seeds/scrape.jsonl#6"]


def test_jsonl_whose_first_article_has_no_text_field_is_rejected_whole(tmp_path):
    content = json.dumps({"id": 1, "titolo": "x", "corpo": None}).replace('"corpo"', '"body_text"') + "\n"
    documents, rejected = ingest(tmp_path, {"x.ndjson": content.encode()})
    assert rejected.select("path", "reason").rows() == [("seeds/x.ndjson", "no_text_column")]
    assert "body_text" in rejected["detail"][0]


def test_jsonl_html_column_is_read_as_a_page(tmp_path):
    page = f"<html><body><h1>Piano della mobilità approvato</h1><p>{BODY}</p></body></html>"
    documents, _ = ingest(tmp_path, {"x.jsonl": json.dumps({"html": page, "url": "https://e.example/p"}).encode()})
    assert documents["format"][0] == "html" and documents["text"][0] == page


# --- Parquet -----------------------------------------------------------------------------------


def test_parquet_rows_with_typed_columns(tmp_path):
    frame = pl.DataFrame({
        "stories_id": [10, 11, 12],
        "title": ["Uno", "Due", None],
        "text": [BODY, None, BODY_2],
        "media_name": ["Radio Prova", "Radio Prova", None],
        "publish_date": [dt.datetime(2025, 2, 12, 23, 30), None, dt.datetime(2025, 2, 13, 8, 0)],
        "other": [[1], [2], [3]],
    })
    frame.write_parquet(tmp_path / "dump.parquet")
    documents, rejected = ingest(tmp_path, {"dump.parquet": (tmp_path / "dump.parquet").read_bytes()})
    assert outcomes(documents, rejected) == {"seeds/dump.parquet#10": "document", "seeds/dump.parquet#11": "empty",
                                             "seeds/dump.parquet#12": "document"}
    assert documents.sort("row_id")["published_date"].to_list() == [dt.date(2025, 2, 12), dt.date(2025, 2, 13)]
    assert count_rows(tmp_path / "seeds" / "dump.parquet") == 3


def test_a_file_named_parquet_that_is_not_one_is_rejected(tmp_path):
    documents, rejected = ingest(tmp_path, {"x.parquet": b"not a parquet file at all"})
    assert rejected.select("path", "reason").rows() == [("seeds/x.parquet", "undecodable")]
    assert "Parquet" in rejected["detail"][0]


def test_parquet_is_read_in_batches_of_the_mapped_columns_only(tmp_path):
    n = 1200
    pl.DataFrame({"id": list(range(n)), "text": [f"{BODY} Numero {i}." for i in range(n)],
                  "blob": ["x" * 1000] * n}).write_parquet(tmp_path / "big.parquet", row_group_size=300)
    collection = open_collection(tmp_path / "big.parquet")
    rows = list(iter_rows(collection))
    assert [r.row_no for r in rows] == list(range(1, n + 1))
    assert all("blob" not in r.fields for r in rows)
    assert collection.mapping == {"text": "text", "id": "id"}


# --- every row exactly once --------------------------------------------------------------------


def test_count_rows_agrees_with_ingest_on_every_shape(tmp_path):
    files = {
        "a.csv": ("id;text\n" + "".join(f"{i};{csv_field(BODY + f' {i}.')}\n" for i in range(5)) + "\n\n").encode(),
        "b.jsonl": ("\n".join([json.dumps({"text": BODY}), "{rotto", "", json.dumps({"text": BODY_2})]) + "\n").encode(),
    }
    documents, rejected = ingest(tmp_path, files)
    for name in files:
        n_outcomes = sum(1 for p in [*documents["path"], *rejected["path"]] if p.startswith(f"seeds/{name}#"))
        assert count_rows(tmp_path / "seeds" / name) == n_outcomes
    assert count_rows(tmp_path / "seeds" / "a.csv") == 5


def test_binary_file_named_csv_is_rejected(tmp_path):
    documents, rejected = ingest(tmp_path, {"x.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4})
    assert rejected.select("path", "reason").rows() == [("seeds/x.csv", "binary")]
    with pytest.raises(CollectionError):
        open_collection(tmp_path / "seeds" / "x.csv")


@pytest.mark.parametrize("value, expected", [
    ("2025-02-12", dt.date(2025, 2, 12)),
    ("2025-02-12T23:30:00Z", dt.date(2025, 2, 12)),  # the date as written, not moved to another zone
    ("2025-02-12 10:00:00+01:00", dt.date(2025, 2, 12)),
    ("12/02/2025", dt.date(2025, 2, 12)),
    ("12.02.2025", dt.date(2025, 2, 12)),
    ("Wed, 12 Feb 2025 18:40:00 +0100", dt.date(2025, 2, 12)),
    (dt.datetime(2025, 2, 12, 8), dt.date(2025, 2, 12)),
    (1739350800, dt.date(2025, 2, 12)),
    ("ieri", None), ("", None), (None, None), ("2025-02-30", None),
])
def test_row_dates(value, expected):
    assert parse_row_date(value) == expected


# --- the quality gate counts rows of collections -----------------------------------------------


def test_the_gate_reconciles_collection_rows_with_their_count(tmp_path):
    from pipeline.common import conform
    from pipeline.quality.checks import GateSettings, plan_checks

    files = {"x.csv": f"id,text\n1,{csv_field(BODY)}\n2,\n3,{csv_field(BODY_2)}\n".encode(),
             "nocol.csv": b"id,titolo\n1,a\n", "a.txt": (BODY + "\n").encode()}
    documents, rejected = ingest(tmp_path, files)
    counts = {"seeds/x.csv": count_rows(tmp_path / "seeds/x.csv"), "seeds/nocol.csv": count_rows(tmp_path / "seeds/nocol.csv"),
              "seeds/a.txt": None}
    assert counts == {"seeds/x.csv": 3, "seeds/nocol.csv": None, "seeds/a.txt": None}

    def accounted(docs: pl.DataFrame, rej: pl.DataFrame) -> dict[str, bool]:
        tables = {"documents": conform("documents", docs), "rejected": conform("rejected", rej)}
        plan = plan_checks(tables, counts, GateSettings())
        batch = next(b for b in plan.batches if b.name == "inputs")
        return dict(zip(batch.data["path"], batch.data["is_accounted"]))

    assert accounted(documents, rejected) == {"seeds/x.csv": True, "seeds/nocol.csv": True, "seeds/a.txt": True}
    lost_row = rejected.filter(pl.col("path") != "seeds/x.csv#2")
    assert accounted(documents, lost_row)["seeds/x.csv"] is False
    whole_and_rows = pl.concat([rejected, rejected.filter(pl.col("path") == "seeds/nocol.csv")
                                .with_columns(pl.lit("seeds/x.csv").alias("path"))])
    assert accounted(documents, whole_and_rows)["seeds/x.csv"] is False
