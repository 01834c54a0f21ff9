"""The evaluation gold is internally consistent and the corpus has what the brief asks of it (fast: no
pipeline run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.eval.gold import CORPUS_DIR, GOLD_PATH, check_gold, corpus_summary, sentence_key, load_gold, parse_gold


@pytest.fixture(scope="module")
def gold():
    return load_gold()


def test_gold_is_consistent(gold):
    """Every substring once in its document, every conflict inside its claim, manifest = gold."""
    assert check_gold(gold) == []


def test_corpus_meets_the_floors(gold):
    summary = corpus_summary(gold)
    assert summary["n_documents"] >= 40
    assert summary["n_outlets"] >= 8
    assert summary["n_stories"] >= 3
    assert all(n >= 2 for n in summary["events_per_story"].values()), summary["events_per_story"]
    assert summary["undated_share"] >= 0.5
    assert summary["n_markdown"] >= 1


def test_every_kind_of_true_conflict_and_of_trap_is_present(gold):
    assert {c.kind for c in gold.conflicts} >= {"quantity", "date", "polarity", "attribution"}
    assert {m.why for m in gold.must_not} >= {
        "different_events", "forecast_vs_outcome", "capacity_vs_attendance", "subset_vs_total",
        "per_side_vs_total", "snapshot_vs_final", "approximate_values_overlap",
    }


def test_undated_documents_state_no_publication_date(gold):
    """An undated article's text never gives its own publication day as a full date."""
    months = ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
              "dicembre").split()
    for d in gold.documents.values():
        if d.dated:
            continue
        year, month, day = d.date.split("-")
        text = sentence_key((CORPUS_DIR / d.path).read_text(encoding="utf-8")).lower()
        assert f"{int(day)} {months[int(month) - 1]} {year}" not in text, d.path
        assert d.date not in text, d.path


def test_check_gold_finds_a_broken_item_and_a_conflict_outside_its_claim(tmp_path: Path):
    """The consistency check can fail: a substring that is not in its document, one that occurs twice,
    and a conflict item that is not evidence of the conflict's claim are all reported."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    data = yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))
    story = data["telefonate"]
    story["claims"][0]["evidence"].append(["t01", "una frase che non esiste"])
    story["claims"][0]["evidence"].append(["t01", "Putin"])
    story["conflicts"][0]["a"].append(["t03", "moratoria di 30 giorni sui raid"])
    problems = check_gold(parse_gold(data), corpus)
    assert any("una frase che non esiste" in p and "0 times" in p for p in problems)
    assert any("'Putin'" in p and "times" in p for p in problems)
    assert any("moratoria di 30 giorni sui raid" in p and "not evidence of claim" in p for p in problems)


def test_fold_matches_pipeline_quote_normalisation():
    assert sentence_key("l’ex  «tycoon» **ha** detto") == 'l\'ex "tycoon" ha detto'
