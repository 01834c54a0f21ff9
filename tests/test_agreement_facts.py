"""Unit tests of the rules that decide which values are compared: the dating of an article's event
(events: Frame dating, _time_excludes, read_sentence), and what a fact measures (facts). Each
rule has a positive case and a control that must not change. Every sentence here was written
for these tests."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.agreement import events as ev

MASS = dt.date(2026, 5, 2)
FUNERAL = dt.date(2026, 4, 11)


def _frame(doc, kind="mass", date=None, published=None, content=(), **kw):
    return ev.Frame(doc, kind, date, published, frozenset({"rossi"}), frozenset(), frozenset(),
                    content=frozenset(content), **kw)


def _funeral_and_mass():
    return {
        "f1": _frame("f1", "funeral", FUNERAL, FUNERAL, {"bara", "feretro", "#count:250000.0"}),
        "f2": _frame("f2", "funeral", FUNERAL, FUNERAL + dt.timedelta(days=1), {"bara", "corteo", "#count:250000.0"}),
        "m1": _frame("m1", "mass", MASS, MASS, {"messa", "trigesimo", "#count:15000.0"}),
        "m2": _frame("m2", "mass", MASS, MASS, {"messa", "duomo", "#count:15000.0"}),
    }


# --- a publication day guessed from the corpus --------------------------------------------------

def test_a_guessed_publication_day_the_text_gives_to_another_occasion_rules_nothing_out():
    # "Tre settimane dopo i funerali dell'11 aprile, la messa…": the latest day the text names is the
    # funeral's, read as the publication day; it says nothing of when the Mass article was written
    frames = _funeral_and_mass()
    frames["u"] = _frame("u", content={"messa", "trigesimo", "#count:15000.0"}, published_day_month=(4, 11),
                         other_days=frozenset({(4, 11)}))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["m1"]


def test_a_guessed_publication_day_of_the_text_itself_still_rules_out_events_far_from_it():
    # control: the same day, not given to another occasion ("ROMA, 11 APR –"): the May Mass is ruled out
    frames = _funeral_and_mass()
    frames["u"] = _frame("u", content={"messa", "trigesimo", "#count:15000.0"}, published_day_month=(4, 11))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["m1"]


def _frames_of(sentences_with_dates, published=None, guessed=None, kind_doc="d"):
    rows = list(range(len(sentences_with_dates)))
    sentences = pl.DataFrame({"sid": rows, "doc_id": [kind_doc] * len(rows), "sent_no": rows})
    readings = {i: ev.read_sentence(text, dates) for i, (text, dates) in enumerate(sentences_with_dates)}
    return ev.document_frames(sentences, readings, {kind_doc: published}, {}, {}, {}, lead_sentences=4,
                              guessed_dates=guessed or {})[kind_doc]


def test_a_pronoun_quello_before_a_date_does_not_mark_it_as_another_occasion():
    text = "Il presidente francese e quello tedesco si sono visti giovedì 5 marzo a Parigi."
    at = text.index("giovedì")
    assert not ev.read_sentence(text, [(at, dt.date(2026, 3, 5))]).dates[0][2]
    # control: "quella del 5 marzo" is another occasion's day
    text = "Il vertice, il primo dopo quello del 5 marzo, è durato tre ore."
    assert ev.read_sentence(text, [(text.index("5 marzo"), dt.date(2026, 3, 5))]).dates[0][2]


def test_a_relative_day_resolved_against_a_guessed_publication_is_no_other_occasion():
    # "lunedì" resolved against a publication day guessed from the corpus rests on nothing: even in a
    # sentence about another occasion it marks no day as that occasion's
    title = "Vertice Rossi-Bianchi a Bruxelles"
    other = "La riunione precedente si era tenuta lunedì."
    d = dt.date(2026, 3, 9)
    f = _frames_of([(title, []), (other, [(other.index("lunedì"), d)])], guessed={(1, other.index("lunedì")): None})
    assert (3, 9) not in f.other_days
    # control: an explicit day in that sentence is another occasion's
    other = "La riunione precedente si era tenuta il 9 marzo."
    f = _frames_of([(title, []), (other, [(other.index("9 marzo"), d)])])
    assert (3, 9) in f.other_days


def test_the_day_named_for_the_article_s_own_event_is_never_another_occasion_s():
    title = "Vertice Rossi-Bianchi, tre ore di colloquio"
    own = "Il vertice di martedì 10 marzo è durato tre ore."
    other = "Già il 10 marzo, prima del vertice, i ministri avevano preparato il testo."
    d = dt.date(2026, 3, 10)
    f = _frames_of([(title, []), (own, [(own.index("10 marzo"), d)]), (other, [(other.index("10 marzo"), d)])],
                   guessed={(1, own.index("10 marzo")): (3, 10), (2, other.index("10 marzo")): (3, 10)})
    assert f.day_month == (3, 10) and (3, 10) not in f.other_days


def test_a_day_beside_the_own_event_word_stays_its_own_in_a_sentence_naming_aftershocks_too():
    # a follow-up a week on: the day belongs to "la scossa" (the article's own), not to the aftershocks
    title = "Una settimana dopo il terremoto, nel Teramano la terra trema ancora"
    body = "Il terremoto di martedì ha fatto crollare un campanile, e i sismografi hanno poi contato 90 repliche."
    d = dt.date(2026, 3, 3)
    f = _frames_of([(title, []), (body, [(body.index("martedì"), d)])], published=dt.date(2026, 3, 10))
    assert f.date == d and (3, 3) not in f.other_days


def test_a_day_beside_another_occasion_s_word_stays_that_occasion_s():
    # controls: the day next to the aftershocks, or marked as another occasion's, is not the event's
    title = "Terremoto nel Teramano, scuole chiuse"
    d = dt.date(2026, 3, 3)
    body = "Il terremoto ha fatto crollare due case, e le repliche di martedì hanno spaventato il paese."
    f = _frames_of([(title, []), (body, [(body.index("martedì"), d)])], published=dt.date(2026, 3, 10))
    assert f.date is None and (3, 3) in f.other_days
    body = "Il terremoto di ieri è il secondo dopo quello del 3 marzo, che aveva avuto 90 repliche."
    f = _frames_of([(title, []), (body, [(body.index("3 marzo"), d)])], published=dt.date(2026, 3, 10))
    assert (3, 3) in f.other_days


def test_a_day_of_last_week_is_the_time_of_the_event_reported_not_another_occasion():
    for text in ("I due ministri si sono parlati al telefono venerdì scorso, per un'ora.",
                 "Il vertice dello scorso giovedì è finito senza un accordo."):
        assert not any(other for *_, other, _ in ev.read_sentence(text, []).words), text
    # controls: "scorso" of the occasion itself, or of a month, still names another occasion
    for text in ("Dopo la scorsa telefonata di venerdì, i due ministri non si erano più sentiti.",
                 "Il corteo del mese scorso era stato più piccolo."):
        assert any(other for *_, other, _ in ev.read_sentence(text, []).words), text


def test_own_event_dates_are_only_unmarked_days_nearest_an_own_event_word():
    text = "Dalla scossa di lunedì, l'istituto ha registrato 40 repliche."
    at = text.index("lunedì")
    r = ev.read_sentence(text, [(at, dt.date(2026, 3, 2))])
    assert ev._own_event_dates(r, "earthquake", None) == {at}
    assert ev._own_event_dates(r, "earthquake", dt.date(2026, 3, 5)) == frozenset()  # not the event's known day
    assert ev._own_event_dates(r, "strike", None) == frozenset()  # a quake is no strike's own event word


# --- modality ------------------------------------------------------------------------------------

def test_a_figure_for_tomorrow_is_a_forecast():
    from pipeline.agreement.facts import modality_of
    text = "Sciopero dei trasporti, domani il Paese si ferma: presìdi in 60 città"
    at = text.index("60 città")
    assert modality_of(text[max(0, at - 60):at].lower(), text[at + 8:].lower(), True) == "forecast"
    # control: the same figure told after the day is an outcome
    text = "Sciopero dei trasporti, ieri il Paese si è fermato: presìdi in 60 città"
    at = text.index("60 città")
    assert modality_of(text[max(0, at - 60):at].lower(), text[at + 8:].lower(), True) == "outcome"


# --- what a percentage measures, and who gives it ----------------------------------------------

def test_a_percentage_measures_the_rate_noun_before_it_or_the_population_after_it():
    from pipeline.agreement.facts import percent_measure
    text = "Per la Fiom l'adesione allo sciopero dei metalmeccanici è stata dell'85%."
    at = text.index("85%")
    assert percent_measure(text[max(0, at - 60):at].lower(), text[at + 3:].lower()) == "adesione"
    text = "Alle urne è andato il 48% degli elettori."
    at = text.index("48%")
    assert percent_measure(text[max(0, at - 60):at].lower(), text[at + 3:].lower()) == "elettore"
    # control: a share of nothing named is no measure (listed, never compared)
    text = "Il titolo ha chiuso in rialzo, poi è sceso del 3% in serata."
    at = text.index("3%")
    assert percent_measure(text[max(0, at - 30):at].lower(), text[at + 2:].lower()) is None


def test_an_authority_speaking_in_the_present_tense_gives_the_figure():
    from pipeline.agreement.facts import attribution_in
    assert attribution_in("La Prefettura parla invece di un'affluenza del 40%.", [])[0] == "prefettura"
    assert attribution_in("L'affluenza, dicono gli organizzatori, ha superato il 60%.", [])[0] == "organizzatori"
    # control: an authority named as the subject of something else gives nothing
    assert attribution_in("Il Comune ha chiuso tre scuole; l'affluenza è stata del 40%.", [])[0] is None


def test_not_above_and_not_below_are_bounds():
    from pipeline.nlp.quantities import find_quantities
    (q,) = find_quantities("Il ministero stima un'affluenza non superiore al 30%.")
    assert (q.kind, q.low, q.high, q.qualifier) == ("percent", None, 30.0, "at_most")
    (q,) = find_quantities("Un'adesione non inferiore al 55 per cento.")
    assert (q.low, q.high, q.qualifier) == (55.0, None, "at_least")
    (q,) = find_quantities("Un'adesione del 55 per cento.")  # control
    assert (q.low, q.high, q.qualifier) == (55.0, 55.0, "exact")


# --- counts and measures the quantities table used to miss -------------------------------------

def test_an_earthquakes_magnitude_is_a_measure_with_its_scale():
    from pipeline.nlp.quantities import find_quantities
    (q,) = find_quantities("Una scossa di magnitudo 3.8 è stata avvertita a Rieti.")
    assert (q.kind, q.unit, q.noun, q.low, q.high) == ("other", "magnitude", "magnitudo", 3.8, 3.8)
    (q,) = find_quantities("Rivista la stima: magnitudo momento 3,6.")
    assert (q.noun, q.low) == ("magnitudo momento", 3.6)
    # control: "magnitudo" without a figure beside it is no value
    assert find_quantities("La magnitudo, ricalcolata in serata, è stata abbassata.") == []


def test_a_count_after_the_copula_or_before_its_noun():
    from pipeline.nlp.quantities import find_quantities

    def counts(text):
        return [(q.noun, q.low, q.qualifier) for q in find_quantities(text) if q.kind == "count"]

    assert counts("I dispersi sono tre, tutti escursionisti.") == [("dispersi", 3.0, "exact")]
    assert counts("Gli evacuati sono ancora 150, ospiti di una scuola.") == [("evacuati", 150.0, "exact")]
    assert counts("Sono 40 gli evacuati nella frazione.") == [("evacuati", 40.0, "exact")]
    assert counts("Erano 12mila i tifosi allo stadio.") == [("tifosi", 12000.0, "exact")]
    # control: a number that is not what the subject counts
    assert counts("I tifosi sono arrivati alle 18 allo stadio.") == []


def test_a_toll_after_a_definite_article_still_states_its_count():
    from pipeline.agreement.facts import TOLL_NOUNS, fold_noun, is_set_phrase
    assert is_set_phrase("dopo il crollo, i ", 4, 4)
    assert fold_noun("feriti") in TOLL_NOUNS and fold_noun("sfollati") in TOLL_NOUNS
    assert fold_noun("paesi") not in TOLL_NOUNS  # "i due Paesi" stays a set phrase


# --- a weak join that agrees with its event on nothing -------------------------------------------

def _fact(i, doc, measure, value, basis, who=None):
    return {"fact_id": f"f{i}", "event_id": "e1", "kind": "quantity", "measure": measure, "modality": "outcome",
            "doc_id": doc, "sent_id": f"s{i}", "value": str(value), "low": float(value), "high": float(value),
            "qualifier": "exact", "unit": "item", "scope": None, "attributed_to": who, "is_certain_speaker": False,
            "basis": basis, "is_relative": False}


def _conflicts_of(rows):
    from pipeline.agreement.conflicts import ConflictParams, find_conflicts
    facts = pl.DataFrame(rows)
    by_measure = {}
    for r in rows:
        by_measure.setdefault(r["measure"], []).append(r["fact_id"])
    pairs = pl.DataFrame([{"fact_id": a, "fact_id_b": b, "kind": "quantity", "subject_dice": None}
                          for ids in by_measure.values() for i, a in enumerate(ids) for b in ids[i + 1:]])
    # the weak join alone is one doubt (0.75, as in params.yaml): confirmed unless a second one adds up
    params = ConflictParams(weak_content_event_factor=0.75, unanchored_join_factor=0.8)
    return find_conflicts(pairs, facts, {r["fact_id"]: "c1" for r in rows}, {}, params)


def test_a_weakly_joined_report_agreeing_on_nothing_is_to_check():
    # "Frana a Sarno: 40 sfollati, 3 feriti" joined by its words to a landslide whose reports say 12 and 1
    rows = [_fact(0, "d1", "sfollati", 12, "date"), _fact(1, "d2", "sfollati", 12, "date"),
            _fact(2, "d1", "feriti", 1, "date"), _fact(3, "u", "sfollati", 40, "weak_content"),
            _fact(4, "u", "feriti", 3, "weak_content")]
    out = _conflicts_of(rows)
    assert out.height > 0 and set(out["status"]) == {"to_check"}


def test_a_weakly_joined_report_agreeing_on_one_figure_is_a_dissent():
    # control: it agrees on the injured (1) and differs on the displaced: a confirmed conflict
    rows = [_fact(0, "d1", "sfollati", 12, "date"), _fact(1, "d2", "sfollati", 12, "date"),
            _fact(2, "d1", "feriti", 1, "date"), _fact(3, "u", "sfollati", 40, "weak_content"),
            _fact(4, "u", "feriti", 1, "weak_content")]
    out = _conflicts_of(rows)
    assert out.height == 2 and set(out["status"]) == {"confirmed"}


def _polarity(i, doc, sign, basis):
    return {**_fact(i, doc, "polarità parlare", sign, basis), "kind": "polarity", "unit": "truth",
            "value": ("non " if sign < 0 else "") + "parlare"}


def _with_polarity(rows):
    """`_conflicts_of` with the polarity facts of `rows` paired too (same subject, Dice 0.8)."""
    from pipeline.agreement.conflicts import ConflictParams, find_conflicts
    facts = pl.DataFrame(rows)
    pairs = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if a["measure"] == b["measure"] and a["doc_id"] != b["doc_id"]:
                pairs.append({"fact_id": a["fact_id"], "fact_id_b": b["fact_id"], "kind": a["kind"],
                              "subject_dice": 0.8 if a["kind"] == "polarity" else None})
    params = ConflictParams(weak_content_event_factor=0.75, unanchored_join_factor=0.8)
    return find_conflicts(pl.DataFrame(pairs), facts, {r["fact_id"]: "c1" for r in rows}, {}, params)


def test_a_weak_join_agreeing_on_a_total_of_both_sides_is_as_sure_as_a_join_by_its_words():
    # "uno scambio di 350 prigionieri" (undated, joined by its words) agrees with "175 per parte":
    # its "non è stata discussa la questione degli aiuti" against "hanno parlato degli aiuti" is confirmed
    rows = [{**_fact(0, "d1", "prigionieri", 175, "date"), "scope": "per_parte"},
            _fact(1, "u", "prigionieri", 350, "weak_content"),
            _polarity(2, "d1", 1, "date"), _polarity(3, "u", -1, "weak_content")]
    out = _with_polarity(rows)
    assert out["kind"].to_list() == ["polarity"] and out["status"].to_list() == ["confirmed"]


def test_a_weak_join_whose_total_is_not_both_sides_keeps_its_polarity_to_check():
    # control: "500 prigionieri" is not 175 per side: the weak join agrees on nothing, two doubts
    rows = [{**_fact(0, "d1", "prigionieri", 175, "date"), "scope": "per_parte"},
            _fact(1, "u", "prigionieri", 500, "weak_content"),
            _polarity(2, "d1", 1, "date"), _polarity(3, "u", -1, "weak_content")]
    out = _with_polarity(rows)
    assert set(out["status"]) == {"to_check"} and "polarity" in set(out["kind"])


def test_a_relative_day_after_a_speech_verb_dates_the_statement_not_the_event():
    from pipeline.agreement.facts import STATEMENT_DAY_RE
    for before in ("Il consigliere Ushakov ha dato ", "Il portavoce ha detto ", "I sindacati hanno dichiarato "):
        assert STATEMENT_DAY_RE.search(before), before
    # controls: the day of the event itself
    for before in ("I due leader si sono sentiti ", "Trump e Putin hanno parlato ", "La scossa è avvenuta "):
        assert not STATEMENT_DAY_RE.search(before), before


# --- the term of a comparison is another occasion ------------------------------------------------

def test_the_event_a_sentence_compares_with_is_another_occasion():
    text = "Meno partecipanti rispetto al corteo di settembre, ammettono gli organizzatori."
    assert ev.sentence_relation(ev.read_sentence(text, []), "demonstration", None, False) == "other"
    text = "A differenza del vertice di Ginevra, stavolta c'è un comunicato comune."
    assert ev.sentence_relation(ev.read_sentence(text, []), "meeting", None, False) == "other"
    # control: the event itself, no comparison
    text = "Al corteo di settembre hanno partecipato in migliaia."
    assert ev.sentence_relation(ev.read_sentence(text, []), "demonstration", None, False) == "main"


# --- who gives a day, and who "secondo quanto riferito" names ------------------------------------

def test_according_to_what_was_reported_names_only_the_authority_after_it():
    from pipeline.agreement.facts import attribution_in
    assert attribution_in("Secondo quanto riferito dalla Prefettura, gli evacuati sono 40.", [])[0] == "prefettura"
    assert attribution_in("Secondo le imprese, l'adesione è stata del 12%.", [])[0] == "imprese"
    # control: nobody is named
    assert attribution_in("Secondo quanto riferito, gli evacuati sono 40.", [])[0] is None
    assert attribution_in("Secondo le stime, si è fermato il 40% del personale.", [])[0] is None


def _one_event_facts(texts_by_doc, places=(), event_dates=()):
    from pipeline.agreement.facts import build_facts
    rows = [(i, f"{doc}:0:{i}", doc, doc, text, "e1") for i, (doc, text) in enumerate(texts_by_doc)]
    sentences = pl.DataFrame(rows, schema={"sid": pl.UInt32, "sent_id": pl.Utf8, "doc_id": pl.Utf8, "source_id": pl.Utf8,
                                           "text": pl.Utf8, "event_id": pl.Utf8}, orient="row")
    from pipeline.nlp.quantities import extract_quantities
    quantities = extract_quantities(sentences.select("sent_id", "doc_id", "text"))
    mention_rows = []
    for sid, sent_id, doc, _, text, _ in rows:
        for name in places:
            at = text.find(name)
            if at >= 0:
                mention_rows.append((doc, sent_id, name.lower(), name, at, at + len(name), "alias", False))
    mentions = pl.DataFrame(mention_rows, schema={"doc_id": pl.Utf8, "sent_id": pl.Utf8, "entity_id": pl.Utf8,
                                                  "surface": pl.Utf8, "start": pl.Int64, "end": pl.Int64,
                                                  "method": pl.Utf8, "is_uncertain": pl.Boolean}, orient="row")
    quotes = pl.DataFrame(schema={"sent_id": pl.Utf8, "text": pl.Utf8, "speaker_entity_id": pl.Utf8})
    tokens = pl.DataFrame(schema={"sid": pl.UInt32, "word": pl.Utf8, "lemma": pl.Utf8, "is_break": pl.Boolean,
                                  "term": pl.Utf8})
    types = {p.lower(): "place" for p in places}
    return build_facts(sentences, quantities.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_")), quotes, mentions,
                       types, {"e1": "demonstration"}, tokens, event_dates=list(event_dates))


def test_a_count_takes_the_place_named_nearest_it():
    facts = _one_event_facts([("a", "A Bari hanno sfilato in 8mila, a Lecce in 3mila.")], places=("Bari", "Lecce"))
    place_of = dict(zip(facts["value"].to_list(), facts["place"].to_list()))
    assert place_of["8mila"] == "bari" and place_of["3mila"] == "lecce"


def test_counts_of_two_places_never_conflict_but_one_unplaced_still_does():
    from pipeline.agreement.conflicts import ConflictParams, find_conflicts
    rows = [_fact(0, "d1", "persone", 8000, "date"), _fact(1, "d2", "persone", 3000, "date"),
            _fact(2, "d3", "persone", 20000, "date")]
    rows[0]["place"], rows[1]["place"], rows[2]["place"] = "bari", "lecce", None
    facts = pl.DataFrame(rows)
    pairs = pl.DataFrame([{"fact_id": a, "fact_id_b": b, "kind": "quantity", "subject_dice": None}
                          for a, b in (("f0", "f1"), ("f0", "f2"))])
    out = find_conflicts(pairs, facts, {r["fact_id"]: "c1" for r in rows}, {}, ConflictParams())
    assert {(r["fact_id_a"], r["fact_id_b"]) for r in out.iter_rows(named=True)} == {("f0", "f2")}


def test_a_day_is_given_by_whoever_the_clause_names_not_by_an_attribution_of_another_figure():
    text = "Mercoledì 4 marzo i due ministri si sono parlati al telefono, per un'ora secondo il governo."
    facts = _one_event_facts([("a", text)], event_dates=[(0, 0, "Mercoledì 4 marzo", dt.date(2026, 3, 4), False)])
    who = {r["kind"]: r["attributed_to"] for r in facts.iter_rows(named=True)}
    assert who["date"] is None and who["quantity"] == "governo"
    # control: an attribution in the day's own clause gives the day
    text = "Secondo il governo i due ministri si sono parlati mercoledì 4 marzo."
    at = text.index("mercoledì")
    facts = _one_event_facts([("a", text)], event_dates=[(0, at, "mercoledì 4 marzo", dt.date(2026, 3, 4), False)])
    assert facts.filter(pl.col("kind") == "date")["attributed_to"].to_list() == ["governo"]


def test_a_share_after_a_verb_of_striking_is_the_adhesion_and_a_sectors_share_is_apart():
    from pipeline.agreement.facts import percent_measure
    for text in ("Ha aderito allo sciopero il 55% dei ferrovieri.", "Secondo le stime si è fermato il 40% del personale."):
        at = text.index("%") - 2
        assert percent_measure(text[max(0, at - 60):at].lower(), text[at + 3:].lower()) == "adesione"
    # a sector's adhesion against the whole's: both adhesion, never a conflict
    facts = _one_event_facts([("a", "Nella scuola ha scioperato il 12% dei docenti."),
                              ("b", "L'adesione allo sciopero è stata del 65%.")])
    by_doc = {r["doc_id"]: r for r in facts.iter_rows(named=True)}
    assert by_doc["a"]["measure"] == by_doc["b"]["measure"] == "adesione (%)"
    assert by_doc["a"]["scope"] == "settore scuola" and by_doc["b"]["scope"] is None
    from pipeline.agreement.conflicts import ConflictParams, find_conflicts
    f = facts.with_columns(pl.lit("date").alias("basis"))
    ids = f["fact_id"].to_list()
    pairs = pl.DataFrame([{"fact_id": ids[0], "fact_id_b": ids[1], "kind": "quantity", "subject_dice": None}])
    assert find_conflicts(pairs, f, {i: "c1" for i in ids}, {}, ConflictParams()).height == 0
    # control: two outlets giving the whole's adhesion differently do conflict
    facts = _one_event_facts([("a", "L'adesione allo sciopero è stata del 20%."),
                              ("b", "L'adesione allo sciopero è stata del 65%.")])
    f = facts.with_columns(pl.lit("date").alias("basis"))
    ids = f["fact_id"].to_list()
    pairs = pl.DataFrame([{"fact_id": ids[0], "fact_id_b": ids[1], "kind": "quantity", "subject_dice": None}])
    assert find_conflicts(pairs, f, {i: "c1" for i in ids}, {}, ConflictParams()).height == 1


# --- cue words typed with one slip, numbers inside names ------------------------------------------

def _quantity_facts(text, kind="demonstration"):
    facts = _one_event_facts([("a", text)])
    return {r["value"]: (r["measure"], r["modality"]) for r in facts.filter(pl.col("kind") == "quantity").iter_rows(named=True)}


def test_a_forecast_cue_typed_with_one_slip_still_makes_the_figure_a_forecast():
    for text in ("Per il corteo di sabato si attendvano 40mila persone.",
                 "Per il corteo di sabato sono atttese 40mila persone.",
                 "Le previsoni della vigilia parlavano di 40mila persone."):
        assert _quantity_facts(text)["40mila persone"][1] == "forecast", text
    # control: the figure counted afterwards is an outcome
    assert _quantity_facts("Al corteo di sabato hanno sfilato 40mila persone.")["40mila persone"][1] == "outcome"


def test_forecasts_spoken_of_as_previsioni_are_forecasts():
    assert _quantity_facts("Secondo le previsioni in piazza ci saranno 40mila persone.")["40mila persone"][1] == "forecast"
    assert _quantity_facts("Le previsioni parlavano di 40mila persone.")["40mila persone"][1] == "forecast"


def test_a_capacity_cue_typed_with_one_slip_still_makes_the_figure_a_capacity():
    for text in ("Piazza del Plebiscito può contnere 25mila persone.",
                 "Piazza del Plebiscito ha una capiemza di 25mila persone."):
        measure, modality = _quantity_facts(text)["25mila persone"]
        assert measure.startswith("capienza") and modality == "outcome", text
    # control: a square that held the crowd gives the attendance
    assert _quantity_facts("Piazza del Plebiscito ha accolto 25mila persone.")["25mila persone"][0] == "persone"


def test_a_real_word_one_slip_from_a_cue_keeps_its_own_meaning():
    from pipeline.agreement.facts import with_cue_slips_read
    assert with_cue_slips_read("secondo i vigili del fuoco alla sapienza") == "secondo i vigili del fuoco alla sapienza"
    assert with_cue_slips_read("la vigiia del corteo") == "la vigilia del corteo"
    assert _quantity_facts("Secondo i vigili del fuoco in piazza c'erano 12mila persone.")["12mila persone"][1] == "outcome"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdeilmnorst", min_size=3, max_size=12), st.integers(0, 11), st.sampled_from("aeioxz"),
       st.sampled_from(["insert", "delete", "replace", "swap"]))
def test_one_edit_or_one_swap_of_neighbours_is_one_slip(word, at, letter, edit):
    from pipeline.nlp.text import one_slip_apart
    at = at % len(word)
    if edit == "insert":
        other = word[:at] + letter + word[at:]
    elif edit == "delete":
        other = word[:at] + word[at + 1:]
    elif edit == "replace":
        other = word[:at] + letter + word[at + 1:]
    else:
        at = min(at, len(word) - 2)
        other = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    assert one_slip_apart(word, other) == (other != word)
    assert one_slip_apart(other, word) == (other != word)
    assert not one_slip_apart(word, word[::-1] + "xx")


def test_a_number_word_capitalised_inside_a_sentence_is_a_name_not_a_crowd():
    from pipeline.agreement.facts import bare_people_counts
    assert bare_people_counts("Altre 5mila persone hanno seguito la messa dai maxischermi in via dei Mille.", []) == []
    assert bare_people_counts("Il corteo è partito da piazza dei Cinquecento, in testa i sindacati.", []) == []
    # control: the same word opening the sentence, or written small, is a count
    assert [c[2] for c in bare_people_counts("Tremila, secondo la Questura, in piazza.", [])] == [3000.0]
    assert [c[2] for c in bare_people_counts("In piazza erano mille.", [])] == [1000.0]


def test_a_real_word_one_slip_from_an_expecting_verb_right_before_the_figure_reads_as_that_verb():
    assert _quantity_facts("Per la messa di domenica si attenevano 9mila fedeli.")["9mila fedeli"][1] == "forecast"
    # control: the real verb with its own complement, the figure further on, keeps its meaning
    facts = _quantity_facts("I manifestanti si attenevano al percorso concordato: erano 9mila persone.")
    assert facts["9mila persone"][1] == "outcome"


# --- a round figure against the finer one it rounds ---------------------------------------------

def test_a_round_figure_against_the_finer_count_it_rounds_is_to_check():
    # "In piazza 30mila persone" and "La Questura ha contato 29.800 persone"
    out = _conflicts_of([_fact(0, "d1", "persone", 30000, "date"), _fact(1, "d2", "persone", 29800, "date")])
    assert out["status"].to_list() == ["to_check"]
    # control: two figures a real gap apart at the same precision stay confirmed
    out = _conflicts_of([_fact(0, "d1", "persone", 30000, "date"), _fact(1, "d2", "persone", 25000, "date")])
    assert out["status"].to_list() == ["confirmed"]


def test_rounding_is_read_only_at_the_rounder_figures_last_digit_and_close():
    from pipeline.agreement.conflicts import rounds_to_each_other
    assert rounds_to_each_other(30000, 29800) and rounds_to_each_other(198000, 200000)
    assert rounds_to_each_other(120, 118)
    assert not rounds_to_each_other(200000, 160000)  # within half of 100mila, but far apart
    assert not rounds_to_each_other(175, 150)  # the same precision: two counts
    assert not rounds_to_each_other(34000, 35000)


# --- a surname the article names in full only in its byline -------------------------------------

def _mentions(rows):
    return pl.DataFrame(rows, schema={"doc_id": pl.Utf8, "sent_id": pl.Utf8, "entity_id": pl.Utf8, "surface": pl.Utf8,
                                      "start": pl.Int64, "end": pl.Int64, "method": pl.Utf8, "is_uncertain": pl.Boolean},
                        orient="row")


def test_a_bare_surname_resolved_only_to_the_byline_author_is_not_a_certain_speaker():
    from pipeline.agreement.facts import byline_only_surnames
    texts = {0: "Marta Ricci (Agenzia Nord)", 1: "«Non arretreremo di un passo», ha detto Ricci ai cronisti.",
             2: "La segretaria della Cgil Marta Ricci ha guidato il corteo."}
    sid_of = {"d:0": 0, "d:1": 1, "d:2": 2}
    byline_only = _mentions([("d", "d:0", "marta-ricci", "Marta Ricci", 0, 11, "capitalized", False),
                             ("d", "d:1", "marta-ricci", "Ricci", 39, 44, "surname_in_doc", False)])
    assert byline_only_surnames(byline_only, texts, sid_of).rows() == [("d", "marta-ricci", "d:1", 39)]
    # control: the same surname after the text itself names her in full stays certain
    named_in_text = _mentions([("d", "d:0", "marta-ricci", "Marta Ricci", 0, 11, "capitalized", False),
                               ("d", "d:2", "marta-ricci", "Marta Ricci", 25, 36, "capitalized", False),
                               ("d", "d:1", "marta-ricci", "Ricci", 39, 44, "surname_in_doc", False)])
    assert byline_only_surnames(named_in_text, texts, sid_of).height == 0
