"""The aggregate logic on the real seed tables, as the end-to-end run (`pipeline_run`) builds them.

What we know of the seeds: several articles report the Trump–Putin call of 12 February 2025
(one dates it, "mercoledì"; the others give no date and may abstain); one (the article with
the 18 August reference) reports a later call and must never share an event or a claim with
the February reports; one article's mistranslation ("non era irrealistica") states the
opposite of the others on NATO membership for Ukraine.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.agreement.build import INPUT_TABLES, AggregateParams, aggregate
from pipeline.common import load_params, read_table, settings_from_params


@pytest.fixture(scope="module")
def seeds(pipeline_run):
    inputs = {name: read_table(name, root=pipeline_run) for name in INPUT_TABLES}
    return inputs, aggregate(inputs, settings_from_params(AggregateParams, load_params("aggregate", root=pipeline_run), "aggregate"))


def _docs_with(sentences: pl.DataFrame, phrase: str) -> set[str]:
    return set(sentences.filter(pl.col("text").str.contains(phrase, literal=True))["doc_id"])


def test_the_twelfth_february_call_is_an_event_dated_by_its_article(seeds):
    _, out = seeds
    calls = out["events"].filter((pl.col("event_type") == "call") & (pl.col("event_date") == dt.date(2025, 2, 12)))
    assert calls.height == 1 and calls["identified_by"][0] == "date"


def test_the_october_call_is_never_the_february_one(seeds):
    inputs, out = seeds
    later = _docs_with(inputs["sentences"], "18 agosto")
    february = _docs_with(inputs["sentences"], "12 febbraio") | _docs_with(inputs["sentences"], "mercoledì")
    facts = out["facts"].filter(pl.col("event_id").is_not_null())
    for docs in facts.group_by("event_id").agg(pl.col("doc_id").unique())["doc_id"].to_list():
        assert not (set(docs) & later and set(docs) & february), docs


def test_the_later_call_never_shares_a_claim_with_february_reports(seeds):
    inputs, out = seeds
    later = _docs_with(inputs["sentences"], "18 agosto")
    february = _docs_with(inputs["sentences"], "12 febbraio") | _docs_with(inputs["sentences"], "mercoledì")
    assert later and february and not (later & february)
    docs_by_claim = out["claim_evidence"].group_by("claim_id").agg(pl.col("doc_id").unique())
    for docs in docs_by_claim["doc_id"]:
        assert not (set(docs) & later and set(docs) & february), docs


def _nato_conflict(inputs, out) -> bool:
    """A polarity conflict puts the mistranslated sentence against another on NATO membership."""
    odd = _docs_with(inputs["sentences"], "non era irrealistica")
    pol = out["conflicts"].filter(pl.col("kind") == "polarity")
    return bool(odd) and any(
        (a in odd) != (b in odd) and "realistico" in va + vb
        for a, b, va, vb in pol.select("doc_id_a", "doc_id_b", "value_a", "value_b").rows()
    )


def test_the_nato_double_negative_is_a_polarity_conflict(seeds):
    inputs, out = seeds
    assert _nato_conflict(inputs, out)


def test_positive_control_with_conflict_detection_off_the_nato_conflict_is_gone(seeds, pipeline_run, monkeypatch):
    # The tests of this module must depend on conflict detection: switched off, the conflict disappears.
    from pipeline.agreement import build

    real = build.find_conflicts
    monkeypatch.setattr(build, "find_conflicts", lambda *args, **kwargs: real(*args, **kwargs).head(0))
    inputs, _ = seeds
    off = aggregate(inputs, settings_from_params(AggregateParams, load_params("aggregate", root=pipeline_run), "aggregate"))
    assert off["conflicts"].height == 0
    assert not _nato_conflict(inputs, off)


def test_the_call_durations_are_one_measure_of_one_call_and_do_not_conflict(seeds):
    # "circa un'ora e mezza" (003, undated: it joins the 12 February call by what it says of it) and
    # "più di un'ora" (004, which dates the call): the same measure of the same event, compared, compatible.
    inputs, out = seeds
    durations = out["facts"].filter((pl.col("kind") == "quantity") & pl.col("measure").str.starts_with("durata"))
    by_value = {r["value"]: r for r in durations.iter_rows(named=True)}
    about, more = by_value["circa un'ora e mezza"], by_value["più di un'ora"]
    assert (about["low"], about["high"], more["low"], more["high"]) == (90.0, 90.0, 60.0, None)
    assert about["event_id"] == more["event_id"] and about["measure"] == more["measure"]
    events = {r["event_id"]: r for r in out["events"].iter_rows(named=True)}
    assert events[more["event_id"]]["event_date"] == dt.date(2025, 2, 12)
    assert about["is_comparable"] and more["is_comparable"]
    pair = {about["sent_id"], more["sent_id"]}
    assert not [r for r in out["conflicts"].iter_rows(named=True) if {r["sent_id_a"], r["sent_id_b"]} == pair]
