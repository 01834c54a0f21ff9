"""End to end: the real `dvc repro` on the seeds plus problem files (fixture `pipeline_run`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polars as pl
import pytest

from pipeline.common import read_table
from tests.helpers import (
    COLLECTION_PATHS,
    COLLECTION_REJECTED_ROWS,
    EXPECTED_ARTICLES,
    HIDDEN_FILE,
    PROBLEM_FILES,
    PROBLEM_LINKS,
    pipeline_env,
)

SEED_TITLES = {
    "seeds/000_bb284bd7276bec07.txt": "Si sarebbe svolto il primo colloquio telefonico tra Trump e Putin",
    "seeds/001_b4a61009c6d04b47.txt": "Nuova telefonata tra Donald Trump e Vladimir Putin prevista per la prossima settimana",
    "seeds/002_3a156c9b6a9015f6.txt": "Telefonata tra Trump e Putin: l'ultima interlocuzione è stata lo scorso 18 agosto",
    "seeds/003_e53c9e50c8586f4d.txt": "Ucraina, oggi telefonata Trump-Putin: “Abbiamo concordato l’inizio negoziati su Kiev”, "
                                      "poi parla con Zelensky",
    "seeds/004_a20f8b0bb33cd452.txt": None,
}


@pytest.fixture(scope="module")
def tables(pipeline_run: Path) -> dict[str, pl.DataFrame]:
    names = ("documents", "rejected", "articles", "blocks", "links", "sources")
    return {name: read_table(name, root=pipeline_run) for name in names}


def _articles_by_path(tables) -> pl.DataFrame:
    return tables["articles"].join(tables["documents"].select("doc_id", "path", "encoding"), on="doc_id")


def _input_entries(seeds: Path, root: Path) -> set[str]:
    """Every non-hidden entry under seeds/ but the manifest, links listed and never followed."""
    entries = set()
    for dirpath, dirnames, filenames in os.walk(seeds):  # os.walk does not descend into linked folders
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if not name.startswith(".") and rel != "seeds/sources.csv":
                entries.add(rel)
    return entries


def _input_of(frame: pl.DataFrame) -> set[str]:
    """The input entry each row comes from: its path, without "#<row id>" for a collection row."""
    return {path if row_id is None else path[: -len(row_id) - 1] for path, row_id in zip(frame["path"], frame["row_id"])}


def test_every_input_file_is_in_exactly_one_table(pipeline_run: Path, tables):
    inputs = _input_entries(pipeline_run / "seeds", pipeline_run)
    assert {link.path for link in PROBLEM_LINKS} <= inputs
    assert COLLECTION_PATHS <= inputs
    accepted, rejected = set(tables["documents"]["path"]), set(tables["rejected"]["path"])
    assert accepted.isdisjoint(rejected)
    assert _input_of(tables["documents"]) | _input_of(tables["rejected"]) == inputs
    # A collection is accounted for by its rows (every row once), never as a file.
    assert not COLLECTION_PATHS & (accepted | rejected)
    assert HIDDEN_FILE not in accepted | rejected
    assert tables["documents"]["path"].n_unique() == tables["documents"].height
    assert tables["rejected"]["path"].n_unique() == tables["rejected"].height


def test_rejections_have_the_right_reason(tables):
    reasons = dict(zip(tables["rejected"]["path"], tables["rejected"]["reason"]))
    expected = ({p.path: p.reason for p in PROBLEM_FILES if p.reason} | {link.path: link.reason for link in PROBLEM_LINKS}
                | COLLECTION_REJECTED_ROWS)
    assert reasons == expected
    assert "export.csv#c1, which is kept" in details_of(tables, "seeds/collections/export.csv#c1@2")
    assert "not valid JSON" in details_of(tables, "seeds/collections/scrape.jsonl#2")
    details = dict(zip(tables["rejected"]["path"], tables["rejected"]["detail"]))
    assert "seeds/003_e53c9e50c8586f4d.txt" in details["seeds/problems/copy_of_003.txt"]
    assert "seeds/003_e53c9e50c8586f4d.txt" in details["seeds/adversarial/to_seed_003.txt"]
    assert "outside/secret.txt" in details["seeds/adversarial/to_outside_file.txt"]
    assert "20,000 bytes" in details["seeds/problems/oversize.txt"]
    assert "'en'" in details["seeds/problems/english.txt"]


def details_of(tables, path: str) -> str:
    return tables["rejected"].filter(pl.col("path") == path)["detail"][0]


def test_italian_problem_files_are_accepted_and_parsed(tables):
    articles = _articles_by_path(tables)
    for problem in (p for p in PROBLEM_FILES if p.reason is None and p.path not in COLLECTION_PATHS):
        row = articles.filter(pl.col("path") == problem.path)
        assert row.height == 1, problem.path
        if problem.encoding is not None:
            assert row["encoding"][0] == problem.encoding, problem.path
        if problem.title is not None:
            assert row["title"][0] == problem.title, problem.path


def test_text_is_clean_of_crs_boms_scripts_and_mojibake(tables):
    for frame, column in ((tables["documents"], "text"), (tables["blocks"], "text")):
        texts = frame[column]
        assert not texts.str.contains("\r").any()
        assert not texts.str.contains("\ufeff").any()
        assert not texts.str.contains("Ã").any()
    assert not tables["blocks"]["raw"].str.contains("TRACCIAMENTO SEGRETO").any()
    assert not tables["blocks"]["text"].str.contains("dataLayer").any()


def test_collection_rows_and_web_pages_carry_their_own_metadata(tables):
    """Every row of the CSV, JSON Lines and Parquet collections and the page with JSON-LD is an
    article with the outlet, URL, date and title its own metadata gives."""
    articles = (
        _articles_by_path(tables)
        .join(tables["sources"].select("source_id", pl.col("name").alias("outlet")), on="source_id")
    )
    for expected in EXPECTED_ARTICLES:
        rows = articles.filter(pl.col("path") == expected.path)
        assert rows.height == 1, expected.path
        row = rows.row(0, named=True)
        assert (row["outlet"], row["url"], str(row["published_date"]), row["published_date_source"], row["title"]) == (
            expected.outlet, expected.url, expected.published_date, expected.date_source, expected.title), expected.path
    page = articles.filter(pl.col("path") == "seeds/collections/ciclabili.html").row(0, named=True)
    assert page["byline"] == "Paola Blu"
    blocks = tables["blocks"].filter(pl.col("doc_id") == page["doc_id"])
    paragraphs = blocks.filter(pl.col("kind") == "paragraph")["text"].to_list()
    assert len(paragraphs) == 2 and not any("Franco" in p or "Home" in p for p in paragraphs)
    jsonl = articles.filter(pl.col("path") == "seeds/collections/scrape.jsonl#j1").row(0, named=True)
    assert jsonl["byline"] == "Anna Neri"


def test_html_page_blocks(tables):
    doc_id = tables["documents"].filter(pl.col("path") == "seeds/problems/page.html")["doc_id"][0]
    blocks = tables["blocks"].filter(pl.col("doc_id") == doc_id).sort("block_no")
    assert blocks["kind"].to_list() == ["title", "paragraph", "paragraph", "boilerplate"]
    assert "«È una scelta che cambierà la città»" in blocks["text"][1]


def test_manifest_outlet_gives_a_shared_source(tables):
    sources = tables["sources"].filter(pl.col("source_id") == "gazzetta-di-prova")
    assert sources.rows() == [("gazzetta-di-prova", "Gazzetta di Prova", 2)]
    articles = _articles_by_path(tables)
    cp1252 = articles.filter(pl.col("path") == "seeds/problems/cp1252.txt").row(0, named=True)
    assert str(cp1252["published_date"]) == "2025-02-13" and cp1252["published_date_source"] == "manifest"


def test_seeds_give_five_articles_with_their_titles(tables):
    articles = _articles_by_path(tables).filter(pl.col("path").is_in(list(SEED_TITLES)))
    assert dict(zip(articles["path"], articles["title"])) == SEED_TITLES
    assert articles["source_id"].str.starts_with("doc-").all()


def test_seed_structure(tables):
    articles = _articles_by_path(tables)
    blocks = tables["blocks"].join(tables["documents"].select("doc_id", "path"), on="doc_id")

    def kinds_of(seed: str) -> list[str]:
        return blocks.filter(pl.col("path").str.starts_with(f"seeds/{seed}")).sort("block_no")["kind"].to_list()

    def article(seed: str) -> dict:
        return articles.filter(pl.col("path").str.starts_with(f"seeds/{seed}")).row(0, named=True)

    assert article("000")["byline"] == "Dario Lucisano"
    assert kinds_of("000").count("boilerplate") == 1  # the title repeated by a page break
    paragraphs_000 = blocks.filter(pl.col("path").str.starts_with("seeds/000"), pl.col("kind") == "paragraph")["text"]
    assert any("non sono ancora stati annunciati." in t for t in paragraphs_000)
    assert article("001")["section"] == "Notizia"
    assert kinds_of("001")[-2:] == ["boilerplate", "boilerplate"]
    assert (article("002")["section"], article("002")["subtitle"]) == (
        "Esteri", "Domani l'incontro alla Casa Bianca con Zelensky")
    assert kinds_of("002")[-1] == "boilerplate"
    assert kinds_of("003").count("image") == 2 and kinds_of("003").count("heading") == 2
    assert kinds_of("004")[0] == "paragraph" and "embed" in kinds_of("004") and "heading" in kinds_of("004")


def test_no_boilerplate_in_paragraphs(tables):
    paragraphs = tables["blocks"].filter(pl.col("kind") == "paragraph")["text"]
    for residue in ("(in aggiornamento)", "Riproduzione riservata", "al piano di sopra"):
        assert not paragraphs.str.contains(residue, literal=True).any()
    assert not paragraphs.str.contains(r"^\W*$").any()


def test_links_point_at_existing_blocks(tables):
    keys = tables["links"].select("doc_id", "block_no").join(
        tables["blocks"].select("doc_id", "block_no"), on=["doc_id", "block_no"], how="anti")
    assert keys.height == 0
    assert set(tables["links"]["kind"]) == {"link", "image", "embed"}


def test_dvc_status_is_clean_after_the_run(pipeline_run: Path):
    done = subprocess.run(["dvc", "status", "--json"], cwd=pipeline_run, env=pipeline_env(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # `scan` re-reads seeds/ on every run (DVC cannot hash a folder with links safely); nothing else is due.
    assert json.loads(done.stdout or "{}") == {"scan": ["always changed"]}, done.stdout


def test_the_seed_weekday_that_does_not_match_its_date_is_flagged(pipeline_run: Path, tables):
    # 000 says "lo scorso venerdì 8 febbraio"; 8 February 2025 (the corpus's year) was a Saturday.
    doc_id = _articles_by_path(tables).filter(pl.col("path") == "seeds/000_bb284bd7276bec07.txt")["doc_id"][0]
    anomalies = read_table("anomalies", root=pipeline_run).filter(pl.col("doc_id") == doc_id)
    mismatches = anomalies.filter(pl.col("kind") == "weekday_mismatch")
    assert mismatches.height == 1
    assert "venerdì 8 febbraio" in mismatches["detail"][0] and "Saturday" in mismatches["detail"][0]


def test_every_contract_table_is_a_view_in_the_warehouse(pipeline_run: Path, tables, monkeypatch):
    import duckdb

    from pipeline.schemas import TABLES

    monkeypatch.chdir(pipeline_run)  # the views read Parquet paths relative to the repository root
    con = duckdb.connect("data/warehouse.duckdb", read_only=True)
    try:
        views = {name for (name,) in con.sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'VIEW'"
        ).fetchall()}
        assert set(TABLES) <= views
        assert con.sql("SELECT count(*) FROM articles").fetchall() == [(tables["articles"].height,)]
    finally:
        con.close()
