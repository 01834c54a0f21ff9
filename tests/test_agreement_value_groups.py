"""Two events joined by mistake show up in their figures: one event's values for one measure split
into separate groups, each stated by several articles. Such pairs are sent to checking, never
confirmed; a lone outlet's different figure, and police against organisers, stay confirmed."""

from __future__ import annotations

import polars as pl

from pipeline.agreement.conflicts import ConflictParams, find_conflicts, value_groups

# (doc, sentence, value, attributed_to): reports of "one" march in Bologna on one day
TWO_MARCHES = [
    ("d1", "La Questura ha stimato la presenza di 10mila persone al corteo per la sanità.", 10000, "questura"),
    ("d2", "Secondo la Questura al corteo per la sanità c'erano diecimila persone.", 10000, "questura"),
    ("d3", "La Questura ha stimato la presenza di 33mila persone al corteo per il clima.", 33000, "questura"),
    ("d4", "Per la Questura al corteo per il clima hanno sfilato trentatremila persone.", 33000, "questura"),
]
ONE_MARCH = [
    ("d1", "In piazza Maggiore si sono radunate 20mila persone, scrive l'agenzia.", 20000, None),
    ("d2", "Ventimila persone hanno sfilato per le vie del centro.", 20000, None),
    ("d3", "Al corteo hanno partecipato 20mila persone.", 20000, None),
    ("d4", "Hanno sfilato in 45mila, un numero mai visto.", 45000, None),
]
POLICE_AND_ORGANISERS = [
    ("d1", "La Questura parla di 12mila partecipanti.", 12000, "questura"),
    ("d2", "Per la Questura i partecipanti erano dodicimila.", 12000, "questura"),
    ("d3", "Gli organizzatori rivendicano 40mila presenze.", 40000, "organizzatori"),
    ("d4", "Secondo gli organizzatori i presenti erano quarantamila.", 40000, "organizzatori"),
]


def _facts(rows) -> pl.DataFrame:
    return pl.DataFrame([{
        "fact_id": f"f{i}", "event_id": "e1", "kind": "quantity", "measure": "partecipanti", "modality": "outcome",
        "doc_id": doc, "sent_id": f"s{i}", "value": text, "low": float(v), "high": float(v), "qualifier": None,
        "unit": "item", "scope": None, "attributed_to": who, "is_certain_speaker": False, "basis": "date",
        "is_relative": False,
    } for i, (doc, text, v, who) in enumerate(rows)])


def _conflicts(rows) -> pl.DataFrame:
    facts = _facts(rows)
    ids = facts["fact_id"].to_list()
    pairs = pl.DataFrame([{"fact_id": a, "fact_id_b": b, "kind": "quantity", "subject_dice": None}
                          for i, a in enumerate(ids) for b in ids[i + 1:]])
    return find_conflicts(pairs, facts, {f: "c1" for f in ids}, {}, ConflictParams())


def test_one_authority_giving_two_figures_each_echoed_is_two_events_not_a_dispute():
    out = _conflicts(TWO_MARCHES)
    assert out.height == 4  # every 10mila against every 33mila
    assert out["status"].to_list() == ["to_check"] * 4


def test_a_lone_outlets_different_figure_is_still_a_confirmed_conflict():
    out = _conflicts(ONE_MARCH)
    assert out.height == 3  # 45mila against each 20mila
    assert set(out["status"]) == {"confirmed"}


def test_police_against_organisers_each_echoed_stays_confirmed():
    out = _conflicts(POLICE_AND_ORGANISERS)
    assert out.height == 4
    assert set(out["status"]) == {"confirmed"}


def test_two_echoed_unattributed_figures_are_sent_to_checking():
    rows = ONE_MARCH[:3] + [("d4", "Hanno sfilato in 45mila.", 45000, None),
                            ("d5", "Erano quarantacinquemila in corteo.", 45000, None)]
    out = _conflicts(rows)
    assert out.height == 6
    assert set(out["status"]) == {"to_check"}


def test_value_groups_cut_only_where_the_widened_values_do_not_touch():
    facts = _facts(ONE_MARCH).with_columns(
        pl.Series("qualifier", [None, "circa", None, "circa"]))
    groups = value_groups(facts, min_sources=2)
    by_fact = dict(zip(groups["fact_id"], groups["value_group"]))
    assert by_fact["f0"] == by_fact["f1"] == by_fact["f2"] != by_fact["f3"]
    assert not groups["split_values"].any()  # 45mila is stated by one article only
    assert not groups["doubled_event"].any()
