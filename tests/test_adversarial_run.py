"""The real run on adversarial input (fixture `pipeline_run`: seeds plus `PROBLEM_FILES` and
`PROBLEM_LINKS`): it completes, reads nothing outside seeds/, and writes only valid rows."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from pipeline.common import read_table
from pipeline.schemas import TABLES
from tests.helpers import OUTSIDE_SENTINEL

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


@pytest.fixture(scope="module")
def all_tables(pipeline_run: Path) -> dict[str, pl.DataFrame]:
    return {name: read_table(name, root=pipeline_run) for name in TABLES}


def _path_of(all_tables, path: str) -> str:
    return all_tables["documents"].filter(pl.col("path") == path)["doc_id"][0]


def test_nothing_from_outside_seeds_reaches_any_output(pipeline_run: Path, all_tables):
    for name, frame in all_tables.items():
        for column, dtype in frame.schema.items():
            if dtype == pl.Utf8:
                assert not frame[column].str.contains(OUTSIDE_SENTINEL, literal=True).any(), (name, column)
    for path in (pipeline_run / "reports").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".md", ".json"):
            assert OUTSIDE_SENTINEL not in path.read_text(encoding="utf-8"), path


def test_no_block_carries_markup(all_tables):
    blocks = all_tables["blocks"]
    tagged = blocks.filter(pl.col("text").str.contains(TAG.pattern))
    assert tagged.height == 0, tagged.select("doc_id", "text").head(3).rows()


def test_deeply_nested_html_gives_its_paragraph(all_tables):
    doc_id = _path_of(all_tables, "seeds/adversarial/deep.html")
    texts = all_tables["blocks"].filter(pl.col("doc_id") == doc_id)["text"].to_list()
    assert any("Il Consiglio comunale ha approvato" in t for t in texts)


def test_markdown_with_a_data_uri_is_read_as_italian(all_tables):
    row = all_tables["documents"].filter(pl.col("path") == "seeds/adversarial/data_uri.md").row(0, named=True)
    assert row["lang"] == "it" and row["format"] == "markdown"


def test_letter_spaced_copy_reads_as_words(all_tables):
    doc_id = _path_of(all_tables, "seeds/adversarial/letter_spaced.txt")
    text = all_tables["documents"].filter(pl.col("doc_id") == doc_id)["text"][0]
    assert "Il Consiglio comunale ha approvato" in text


def test_quantity_intervals_are_ordered_and_odd_ranges_are_not_quantities(all_tables):
    quantities = all_tables["quantities"]
    assert quantities.filter(pl.col("low") > pl.col("high")).height == 0
    doc_id = _path_of(all_tables, "seeds/adversarial/scraped_ranges.txt")
    here = quantities.filter(pl.col("doc_id") == doc_id)
    for surface in ("2025-04", "2024-25", "3-1", "10/12"):
        assert not here["surface"].str.contains(surface, literal=True).any(), surface
    assert here.filter((pl.col("low") == 300) & (pl.col("high") == 200)).height == 0


def test_offsets_match_the_text_they_name(all_tables):
    sentences = all_tables["sentences"].select("sent_id", pl.col("text").alias("sentence"))
    for name in ("mentions", "time_expressions", "quantities"):
        frame = all_tables[name].join(sentences, on="sent_id")
        cut = frame.with_columns(pl.col("sentence").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
                                 .alias("cut"))
        bad = cut.filter(pl.col("cut") != pl.col("surface"))
        assert bad.height == 0, (name, bad.select("surface", "cut").head(3).rows())
