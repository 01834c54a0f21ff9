"""Two events joined by mistake show up in their figures: over two or more measures, the event's
articles fall into camps that keep stating the same values. Pairs across camps are sent to
checking, never confirmed; one disputed measure (police against organisers, outlets echoing two
figures) stays a confirmed conflict."""

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


def test_one_disputed_measure_echoed_on_both_sides_stays_confirmed():
    out = _conflicts(TWO_MARCHES)
    assert out.height == 4  # every 10mila against every 33mila
    assert set(out["status"]) == {"confirmed"}
    assert value_groups(_facts(TWO_MARCHES), min_sources=2)["split_values"].all()


def test_a_lone_outlets_different_figure_is_still_a_confirmed_conflict():
    out = _conflicts(ONE_MARCH)
    assert out.height == 3  # 45mila against each 20mila
    assert set(out["status"]) == {"confirmed"}


def test_police_against_organisers_each_echoed_stays_confirmed():
    out = _conflicts(POLICE_AND_ORGANISERS)
    assert out.height == 4
    assert set(out["status"]) == {"confirmed"}


def test_value_groups_cut_where_the_stated_values_do_not_touch():
    facts = _facts(ONE_MARCH[:3] + [("d4", "Hanno sfilato in circa 22mila.", 22000, None)])
    groups = value_groups(facts, min_sources=2)
    by_fact = dict(zip(groups["fact_id"], groups["value_group"]))
    assert by_fact["f0"] == by_fact["f1"] == by_fact["f2"] != by_fact["f3"]  # "circa 22mila" is its own figure
    assert not groups["split_values"].any()  # 22mila is stated by one article only
    assert groups["event_side"].is_null().all()


def _two_measures(rows):
    """rows: (doc, sentence, value, attributed_to, measure)"""
    facts = pl.concat([_facts([r[:4]]).with_columns(pl.lit(r[4]).alias("measure"), pl.lit(f"f{i}").alias("fact_id"),
                                                    pl.lit(f"s{i}").alias("sent_id"))
                       for i, r in enumerate(rows)])
    ids = facts["fact_id"].to_list()
    measure = dict(zip(ids, facts["measure"]))
    pairs = pl.DataFrame([{"fact_id": a, "fact_id_b": b, "kind": "quantity", "subject_dice": None}
                          for i, a in enumerate(ids) for b in ids[i + 1:] if measure[a] == measure[b]])
    return facts, find_conflicts(pairs, facts, {f: "c1" for f in ids}, {}, ConflictParams())


def test_two_marches_joined_by_mistake_fall_into_two_camps_and_no_pair_across_them_is_confirmed():
    rows = [
        ("d1", "Per gli organizzatori al corteo per la sanità erano 19mila.", 19000, "organizzatori", "partecipanti"),
        ("d1", "Piazza delle Erbe può contenere 30mila persone.", 30000, None, "capienza"),
        ("d2", "Gli organizzatori del corteo per la sanità contano diciannovemila presenze.", 19000, "organizzatori", "partecipanti"),
        ("d2", "La capienza di piazza delle Erbe è di 30mila persone.", 30000, None, "capienza"),
        ("d3", "Secondo la Questura al corteo per il clima c'erano 33mila persone.", 33000, "questura", "partecipanti"),
        ("d3", "Piazza dei Tessitori ha una capienza di 11mila persone.", 11000, None, "capienza"),
        ("d4", "La Questura stima in trentatremila i partecipanti al corteo per il clima.", 33000, "questura", "partecipanti"),
        ("d4", "La capienza di piazza dei Tessitori è di undicimila persone.", 11000, None, "capienza"),
    ]
    facts, out = _two_measures(rows)
    sides = value_groups(facts, min_sources=2)
    side_of = dict(zip(sides["doc_id"], sides["event_side"]))
    assert side_of["d1"] == side_of["d2"] != side_of["d3"] == side_of["d4"]
    # police against organisers would be a confirmed dispute; across two camps it is only to check
    assert out.height == 8 and set(out["status"]) == {"to_check"}


def test_a_real_dispute_echoed_across_measures_forms_no_camps():
    rows = [  # the outlets that echo one figure do not echo the same side of the other measure
        ("d1", "Al corteo hanno partecipato 20mila persone.", 20000, None, "partecipanti"),
        ("d1", "La marcia è durata due ore.", 120, None, "durata"),
        ("d2", "Hanno sfilato ventimila persone.", 20000, None, "partecipanti"),
        ("d2", "Il corteo è durato quattro ore.", 240, None, "durata"),
        ("d3", "I partecipanti erano 45mila.", 45000, None, "partecipanti"),
        ("d3", "Dopo due ore il corteo si è sciolto.", 120, None, "durata"),
        ("d4", "In 45mila hanno attraversato il centro.", 45000, None, "partecipanti"),
        ("d4", "La manifestazione è durata quattro ore.", 240, None, "durata"),
    ]
    facts, _ = _two_measures(rows)
    assert value_groups(facts, min_sources=2)["event_side"].is_null().all()


def test_an_open_bound_is_read_as_its_figure_and_does_not_join_every_group():
    rows = [("d1", "Erano attese più di 3mila persone.", 3000, None),
            ("d2", "Sono arrivate 8mila persone.", 8000, None),
            ("d3", "In piazza c'erano 20mila persone.", 20000, None)]
    facts = _facts(rows).with_columns(pl.Series("high", [None, 8000.0, 20000.0]))
    groups = value_groups(facts, min_sources=1)
    assert groups["value_group"].n_unique() == 3


def test_outlets_siding_with_authorities_on_every_split_measure_form_no_camps():
    # the strike's coverage: two outlets give the Questura's crowd and the government's adhesion,
    # two the unions' on both. Every split measure is a dispute between authorities: one event
    rows = [
        ("d1", "Per la Questura erano 15mila i manifestanti.", 15000, "questura", "partecipanti"),
        ("d1", "Secondo il governo l'adesione si è fermata al 10%.", 10, "governo", "adesione"),
        ("d2", "La Questura ha contato 15mila persone in corteo.", 15000, "questura", "partecipanti"),
        ("d2", "Il governo parla di un'adesione del 10%.", 10, "governo", "adesione"),
        ("d3", "Secondo i sindacati hanno sfilato 50mila persone.", 50000, "sindacati", "partecipanti"),
        ("d3", "Per i sindacati l'adesione è stata del 60%.", 60, "sindacati", "adesione"),
        ("d4", "I sindacati rivendicano 50mila partecipanti.", 50000, "sindacati", "partecipanti"),
        ("d4", "L'adesione è al 60%, dicono i sindacati.", 60, "sindacati", "adesione"),
    ]
    facts, out = _two_measures(rows)
    assert value_groups(facts, min_sources=2)["event_side"].is_null().all()
    assert out.height == 8 and set(out["status"]) == {"confirmed"}
    # control: the same figures given by the outlets themselves are two events' camps
    facts, out = _two_measures([(d, t, v, None, m) for d, t, v, _, m in rows])
    assert value_groups(facts, min_sources=2)["event_side"].drop_nulls().n_unique() == 2
    assert set(out["status"]) == {"to_check"}


def test_a_figure_naming_no_city_against_one_naming_it_in_a_many_city_event_is_to_check():
    facts = _facts([
        ("d1", "A Milano hanno sfilato in 20mila.", 20000, None),
        ("d2", "A Roma i manifestanti erano 50mila.", 50000, None),
        ("d3", "Erano 15mila i manifestanti del corteo.", 15000, None),
    ]).with_columns(pl.Series("place", ["milano", "roma", None]))
    ids = facts["fact_id"].to_list()
    pairs = pl.DataFrame([{"fact_id": a, "fact_id_b": b, "kind": "quantity", "subject_dice": None}
                          for i, a in enumerate(ids) for b in ids[i + 1:]])
    out = find_conflicts(pairs, facts, {f: "c1" for f in ids}, {}, ConflictParams())
    status = {frozenset((a, b)): s for a, b, s in zip(out["sent_id_a"], out["sent_id_b"], out["status"])}
    # Milan's and Rome's counts are two places, never compared; the unplaced one may be either city's
    assert status == {frozenset(("s0", "s2")): "to_check", frozenset(("s1", "s2")): "to_check"}
    # control: in an event counted in one place only, the unplaced figure is compared as usual
    one_city = facts.with_columns(pl.Series("place", ["roma", "roma", None]))
    out = find_conflicts(pairs, one_city, {f: "c1" for f in ids}, {}, ConflictParams())
    assert set(out["status"]) == {"confirmed"}
