"""The synthetic corpus generator: Italian surface forms, determinism, truth consistency, messy files."""

from __future__ import annotations

import csv
import html
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipeline.synthetic import (
    CorpusConfig,
    date_surface,
    intervals_disjoint,
    iter_corpus,
    main,
    number_words,
    quantity_surface,
    write_corpus,
)


@pytest.mark.parametrize("n, words", [
    (3, "tre"), (17, "diciassette"), (21, "ventuno"), (28, "ventotto"), (33, "trentatré"),
    (40, "quaranta"), (100, "cento"), (108, "centotto"), (180, "centottanta"), (312, "trecentododici"),
    (1001, "milleuno"), (2000, "duemila"), (12500, "dodicimilacinquecento"),
])
def test_number_words(n, words):
    assert number_words(n) == words


def test_date_surfaces_relative_and_absolute():
    tuesday = date(2025, 3, 4)
    assert date_surface(tuesday, tuesday, "relative") == "oggi"
    assert date_surface(tuesday, date(2025, 3, 5), "relative") == "ieri"
    assert date_surface(tuesday, date(2025, 3, 8), "relative") == "martedì scorso"
    assert date_surface(date(2025, 3, 2), date(2025, 3, 5), "relative") == "domenica scorsa"
    # too far back for "scorso": the weekday and the date
    assert date_surface(tuesday, date(2025, 3, 20), "relative") == "martedì 4 marzo"
    assert date_surface(date(2025, 3, 8), tuesday, "article") == "l'8 marzo"
    assert date_surface(date(2025, 3, 1), tuesday, "article") == "il 1° marzo"
    assert date_surface(date(2024, 11, 11), tuesday, "year") == "l'11 novembre 2024"


def test_quantity_surfaces_state_intervals_that_contain_the_value():
    exact = quantity_surface("minutes", 90, "", "exact", words=True)
    assert exact.fields["q"] == "un'ora e mezza" and (exact.low, exact.high) == (90, 90)
    about = quantity_surface("minutes", 90, "", "about", words=False)
    assert about.fields["q"] == "circa 90 minuti" and about.low < 90 < about.high
    more = quantity_surface("minutes", 90, "", "more_than", words=False)
    assert more.fields["q"] == "più di un'ora" and more.low == 60 and more.high is None
    pct = quantity_surface("percent", 80, "", "exact", words=False)
    assert pct.fields == {"il_pct": "l'80%", "del_pct": "dell'80%"}
    count = quantity_surface("count", 312, "voti favorevoli", "about", words=False)
    assert count.fields["q"] == "circa 310 voti favorevoli" and count.low <= 312 <= count.high
    # too small to round: stated exactly
    assert quantity_surface("count", 4, "droni", "about", words=True).fields["q"] == "quattro droni"


def test_intervals_disjoint():
    assert intervals_disjoint(40, 40, 76.5, 103.5)
    assert not intervals_disjoint(90, 90, 76.5, 103.5)
    assert not intervals_disjoint(60, None, 180, 180)  # "più di un'ora" and "tre ore" can both hold
    assert intervals_disjoint(60, None, 45, 45)


def _corpus(n: int, seed: int) -> list:
    return list(iter_corpus(CorpusConfig(n_files=n, seed=seed)))


def test_same_seed_same_bytes_other_seed_other_corpus():
    first, again, other = _corpus(300, 3), _corpus(300, 3), _corpus(300, 4)
    assert [(f.path, f.data) for f in first] == [(f.path, f.data) for f in again]
    assert [f.data for f in first] != [f.data for f in other]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("synthetic")
    summary = write_corpus(CorpusConfig(n_files=2500, seed=11), root / "seeds", root / "truth", show_progress=False)
    return root / "seeds", root / "truth", summary


def _decoded(path: Path, kind: str, encoding: str) -> str:
    text = path.read_bytes().decode(encoding)
    if kind == "markdown":
        text = text.replace("**", "")
    if kind == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def test_every_truth_sentence_is_written_in_its_file(corpus):
    seeds, truth, _ = corpus
    files = pl.read_parquet(truth / "files.parquet").filter(pl.col("expected_status") == "accepted")
    sentences = pl.read_parquet(truth / "sentences.parquet")
    assert set(sentences["path"]) == set(files["path"])
    by_path = sentences.group_by("path").agg("sentence")
    info = {r["path"]: r for r in files.iter_rows(named=True)}
    for path, texts in by_path.iter_rows():
        decoded = _decoded(seeds / path, info[path]["kind"], info[path]["encoding"])
        for text in texts:
            assert text in decoded, (path, text)
            assert "{" not in text and "}" not in text  # every placeholder filled


def test_body_sentences_carry_their_event_claim(corpus):
    _, truth, _ = corpus
    sentences = pl.read_parquet(truth / "sentences.parquet")
    body = sentences.filter(pl.col("role") == "body")
    assert body["claim_id"].null_count() == 0
    assert (body["claim_id"].str.split(":").list.first() == body["event_id"]).all()
    assert sentences.filter(pl.col("role") != "body")["claim_id"].null_count() == sentences.height - body.height
    # outlets word the same claim differently
    wordings = body.group_by("claim_id").agg(pl.col("sentence").n_unique().alias("n"))
    assert wordings["n"].max() >= 3


def test_messy_files_are_there_and_truth_says_what_ingest_should_do(corpus):
    seeds, truth, summary = corpus
    files = pl.read_parquet(truth / "files.parquet")
    kinds = set(files["kind"])
    assert {"article", "wire_copy", "cp1252", "html", "markdown", "empty", "binary", "duplicate", "english"} <= kinds
    expected = dict(files.select("kind", "expected_reason").unique().iter_rows())
    assert expected["empty"] == "empty" and expected["binary"] == "binary"
    assert expected["duplicate"] == "duplicate" and expected["english"] == "unsupported_language"
    assert expected["cp1252"] is None and expected["html"] is None
    for row in files.filter(pl.col("kind") == "duplicate").iter_rows(named=True):
        assert (seeds / row["path"]).read_bytes() == (seeds / row["duplicate_of"]).read_bytes()
        assert row["duplicate_of"] < row["path"]  # the copy comes later, the original is kept
    accepted = files.filter(pl.col("expected_status") == "accepted")["path"].to_list()
    assert len({(seeds / p).read_bytes() for p in accepted}) == len(accepted)
    cp = files.filter(pl.col("encoding") == "cp1252")["path"].to_list()
    assert cp and any(b"\xe8" in (seeds / p).read_bytes() for p in cp)  # 'è' in cp1252
    with open(seeds / "sources.csv", encoding="utf-8", newline="") as fh:
        manifest = list(csv.DictReader(fh))
    assert [r["path"] for r in manifest] == files["path"].to_list()
    assert summary["n_files"] == files.height == 2500


def test_wire_copies_repeat_an_article_under_another_outlet(corpus):
    _, truth, _ = corpus
    sentences = pl.read_parquet(truth / "sentences.parquet")
    files = pl.read_parquet(truth / "files.parquet")
    wire = files.filter(pl.col("kind") == "wire_copy")
    assert wire.height > 0
    body = sentences.filter(pl.col("role") == "body").join(files.select("path", "outlet", "kind"), on="path")
    signature = body.group_by("path", "outlet", "kind").agg(pl.col("sentence").sort().str.join("\n").alias("text"))
    originals = signature.filter(pl.col("kind") != "wire_copy")
    for row in signature.filter(pl.col("kind") == "wire_copy").head(20).iter_rows(named=True):
        # the same body text exists under some other outlet
        assert signature.filter((pl.col("text") == row["text"]) & (pl.col("outlet") != row["outlet"])).height >= 1
    assert originals.height > 0


def test_conflicts_are_incompatible_statements_of_one_claim(corpus):
    _, truth, summary = corpus
    conflicts = pl.read_parquet(truth / "conflicts.parquet")
    sentences = pl.read_parquet(truth / "sentences.parquet")
    assert set(conflicts["kind"]) == {"quantity", "date", "polarity", "attribution"}
    assert (conflicts["path_a"] < conflicts["path_b"]).all()
    assert (conflicts["value_a"] != conflicts["value_b"]).all()
    side = sentences.select("path", "sentence", "claim_id", "low", "high", "is_variant")
    joined = (conflicts
              .join(side.rename({"path": "path_a", "sentence": "sentence_a", "claim_id": "claim_a"}), on=["path_a", "sentence_a"])
              .join(side.rename({"path": "path_b", "sentence": "sentence_b", "claim_id": "claim_b"}),
                    on=["path_b", "sentence_b"], suffix="_b"))
    assert joined.height == conflicts.height
    assert (joined["claim_a"] == joined["claim_id"]).all() and (joined["claim_b"] == joined["claim_id"]).all()
    assert (joined["is_variant"] | joined["is_variant_b"]).all()  # a conflict needs a misreport
    for r in joined.filter(pl.col("kind") == "quantity").iter_rows(named=True):
        assert intervals_disjoint(r["low"], r["high"], r["low_b"], r["high_b"])
    assert summary["n_conflict_pairs"] == conflicts.height


def test_truth_must_live_outside_the_corpus(tmp_path):
    with pytest.raises(SystemExit):
        main(["--n", "5", "--out", str(tmp_path / "seeds"), "--truth", str(tmp_path / "seeds" / "truth")])
    main(["--n", "5", "--out", str(tmp_path / "seeds")])
    assert (tmp_path / "truth" / "sentences.parquet").exists()
    assert not any(p.suffix == ".parquet" for p in (tmp_path / "seeds").rglob("*"))
