"""The aggregate logic on small corpora whose truth we know: events first, facts as measures,
conflicts only within one event, with a confidence and a status.

`Corpus` (tests/helpers.py) writes the normalized tables the stage reads, to the schemas in
pipeline.schemas, from sentences written for these tests (entities are found by name, dates and
quantities are given).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.agreement.build import AggregateParams, agreement_metrics
from pipeline.agreement.conflicts import ConflictParams
from pipeline.common import conform
from tests.helpers import (AUG18, FEB12, MAR18, Corpus, call_corpus, conflict_pairs, conflicts_of, count,
                           event_of, funeral_corpus, minutes, same_claim)

# --- events first ---------------------------------------------------------------------------------

def test_two_calls_on_different_dates_are_two_events_and_never_conflict():
    c, (a, b) = call_corpus(
        ("d1", FEB12, "La telefonata è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]),
        ("d2", AUG18, "La telefonata è durata tre ore.", [minutes("tre ore", 180, 180)]),
    )
    out = c.run()
    assert out["events"].filter(pl.col("event_type") == "call").height == 2
    assert event_of(out, a) != event_of(out, b)
    assert not same_claim(out, a, b)
    assert out["conflicts"].height == 0


def test_the_same_call_dated_alike_by_two_articles_is_one_event():
    c, (a, b) = call_corpus(
        ("d1", FEB12, "La telefonata è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]),
        ("d2", FEB12, "La telefonata è durata tre ore.", [minutes("tre ore", 180, 180)]),
    )
    out = c.run()
    assert event_of(out, a) == event_of(out, b) is not None
    assert same_claim(out, a, b)
    assert conflict_pairs(out, "quantity") == {frozenset((a, b))}
    row = conflicts_of(out).row(0, named=True)
    assert row["status"] == "confirmed" and row["confidence"] >= 0.7
    assert "durata telefonata" in row["explanation"] and "same event" in row["explanation"]


def test_an_undated_article_abstains_when_several_calls_could_be_its_own():
    # two dated calls between the same leaders; a third article gives no date and no publication date
    c, (a, b, undated) = call_corpus(
        ("d1", FEB12, "La telefonata è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]),
        ("d2", MAR18, "La telefonata è durata due ore e mezza.", [minutes("due ore e mezza", 150, 150)]),
        ("d3", None, "La telefonata è durata quaranta minuti.", [minutes("quaranta minuti", 40, 40)]),
    )
    out = c.run()
    ev = out["events"].filter(pl.col("event_id") == event_of(out, undated)).row(0, named=True)
    assert ev["identified_by"] == "article" and ev["n_docs"] == 1  # listed, never compared
    assert out["facts"].filter(pl.col("sent_id") == undated).height == 1
    assert all(undated not in p for p in conflict_pairs(out))


def test_a_sentence_about_an_earlier_call_belongs_to_no_event_of_the_article():
    c = Corpus().doc("d1", "alfa", MAR18).doc("d2", "beta", MAR18)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", MAR18)])
    other = c.sent("d1", "È la seconda dopo quella del 12 febbraio, che era durata novanta minuti.",
                   dates=[("12 febbraio", FEB12)], quantities=[minutes("novanta minuti", 90, 90)])
    own = c.sent("d2", "La telefonata è durata due ore e mezza.", quantities=[minutes("due ore e mezza", 150, 150)])
    out = c.run()
    assert event_of(out, other) is None and event_of(out, own) is not None
    assert out["events"].filter(pl.col("event_type") == "call")["event_date"].to_list() == [MAR18]
    assert out["conflicts"].height == 0


def test_a_planned_call_is_not_the_past_one():
    c = Corpus().doc("d1", "alfa", dt.date(2025, 3, 1)).doc("d2", "beta", dt.date(2025, 3, 1))
    past = c.sent("d1", "Trump e Putin hanno avuto una telefonata il 12 febbraio.", dates=[("12 febbraio", FEB12)])
    planned = c.sent("d2", "Una nuova telefonata tra Trump e Putin è prevista per la prossima settimana.")
    out = c.run()
    events = out["events"]
    assert events.height == 2 and sorted(events["is_planned"].to_list()) == [False, True]
    assert not same_claim(out, past, planned)


def test_two_strikes_on_one_day_in_two_cities_are_two_events():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12).doc("d3", "gamma", FEB12)
    for doc, city in (("d1", "Milano"), ("d2", "Napoli"), ("d3", "Milano")):
        c.sent(doc, f"Lo sciopero dei trasporti si è svolto oggi a {city}.", dates=[("oggi", FEB12)])
    c.sent("d1", "Al corteo hanno partecipato 6.000 persone.", quantities=[count("6.000 persone", 6000, "persone")])
    c.sent("d2", "Al corteo hanno partecipato 900 persone.", quantities=[count("900 persone", 900, "persone")])
    out = c.run()
    strikes = out["events"].filter(pl.col("event_type") == "strike")
    assert sorted(strikes["n_docs"].to_list()) == [1, 2]
    assert out["conflicts"].height == 0


# --- a figure is a measure ------------------------------------------------------------------------

def test_a_forecast_never_conflicts_with_the_final_count():
    c, (forecast, final) = funeral_corpus(
        ("d1", "Per i funerali sono attese 200mila persone.", [count("200mila persone", 200000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 60mila persone.", [count("60mila persone", 60000, "persone")]),
    )
    out = c.run()
    modality = dict(zip(out["facts"]["sent_id"], out["facts"]["modality"]))
    assert (modality[forecast], modality[final]) == ("forecast", "outcome")
    assert out["conflicts"].height == 0
    assert not same_claim(out, forecast, final)


def test_a_venues_capacity_never_conflicts_with_the_crowd():
    c, (capacity, crowd) = funeral_corpus(
        ("d1", "La piazza può contenere 40mila persone.", [count("40mila persone", 40000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 250mila persone.", [count("250mila persone", 250000, "persone")]),
    )
    out = c.run()
    measure = dict(zip(out["facts"]["sent_id"], out["facts"]["measure"]))
    assert measure[capacity] == "capienza persone" and measure[crowd] == "persone"
    assert out["conflicts"].height == 0


def test_a_snapshot_never_conflicts_with_the_final_count():
    c, _ = funeral_corpus(
        ("d1", "Alle 9 erano già 30mila persone in piazza.", [count("30mila persone", 30000, "persone")]),
        ("d2", "In piazza sono state in tutto 90mila persone.", [count("90mila persone", 90000, "persone")]),
    )
    assert c.run()["conflicts"].height == 0


def test_two_counts_at_one_hour_are_compared_wherever_each_places_them():
    # "alle 10 in piazza c'erano già mille persone" and "già alle 10 si contavano 545 persone": the
    # 10 o'clock count, told twice; the noon count is another measure
    c, (square, bare, noon) = funeral_corpus(
        ("d1", "Alle 10 in piazza c'erano già circa 1.000 persone.", [count("circa 1.000 persone", 1000, "persone", "about")]),
        ("d2", "Già alle 10 si contavano 545 persone.", [count("545 persone", 545, "persone")]),
        ("d3", "A mezzogiorno in piazza erano ormai 4mila persone.", [count("4mila persone", 4000, "persone")]),
    )
    out = c.run()
    scope = dict(zip(out["facts"]["sent_id"], out["facts"]["scope"]))
    assert scope[square] == scope[bare] == "ore 10.00"
    assert conflict_pairs(out) == {frozenset((square, bare))}


def test_a_part_of_the_crowd_does_not_conflict_with_the_whole():
    c, _ = funeral_corpus(
        ("d1", "In piazza erano 35mila persone.", [count("35mila persone", 35000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 250mila persone.", [count("250mila persone", 250000, "persone")]),
    )
    assert c.run()["conflicts"].height == 0


def test_police_against_organisers_is_a_conflict_with_both_attributions():
    c, (police, organisers) = funeral_corpus(
        ("d1", "Secondo la Questura ai funerali erano 150mila persone.", [count("150mila persone", 150000, "persone")]),
        ("d2", "Per gli organizzatori ai funerali erano 250mila persone.", [count("250mila persone", 250000, "persone")]),
    )
    out = c.run()
    assert conflict_pairs(out, "quantity") == {frozenset((police, organisers))}
    row = conflicts_of(out).row(0, named=True)
    values = row["value_a"] + " | " + row["value_b"]
    assert "Questura" in values and "organizzatori" in values
    assert "Questura" in row["explanation"] and "organizzatori" in row["explanation"]
    assert row["status"] == "confirmed"


def test_per_side_is_consistent_with_the_total():
    c, (per_side, total, wrong) = call_corpus(
        ("d1", MAR18, "Lo scambio riguarda 175 prigionieri per parte.", [count("175 prigionieri", 175, "prigionieri")]),
        ("d2", MAR18, "Saranno liberati 350 prigionieri.", [count("350 prigionieri", 350, "prigionieri")]),
        ("d3", MAR18, "Lo scambio riguarda 150 prigionieri per parte.", [count("150 prigionieri", 150, "prigionieri")]),
    )
    out = c.run()
    pairs = conflict_pairs(out, "quantity")
    assert frozenset((per_side, total)) not in pairs
    assert frozenset((per_side, wrong)) in pairs  # 175 per side against 150 per side


def test_different_scopes_never_conflict():
    c, _ = call_corpus(
        ("d1", MAR18, "Lo scambio riguarda 175 prigionieri per parte.", [count("175 prigionieri", 175, "prigionieri")]),
        ("d2", MAR18, "In totale saranno scambiati 200 prigionieri.", [count("200 prigionieri", 200, "prigionieri")]),
    )
    assert c.run()["conflicts"].height == 0


def test_one_place_of_several_is_a_part_of_the_whole_count():
    # "solo a X" counts one place of the whole: fewer than the unscoped count is consistent, more is not
    c, _ = call_corpus(
        ("d1", MAR18, "Solo a Kursk i prigionieri liberati sono 60, secondo il governatore.", [count("60", 60, "prigionieri")]),
        ("d2", MAR18, "Sono stati liberati 175 prigionieri.", [count("175 prigionieri", 175, "prigionieri")]),
    )
    assert c.run()["conflicts"].height == 0
    c, _ = call_corpus(
        ("d1", MAR18, "Solo a Kursk i prigionieri liberati sono 260, secondo il governatore.", [count("260", 260, "prigionieri")]),
        ("d2", MAR18, "Sono stati liberati 175 prigionieri.", [count("175 prigionieri", 175, "prigionieri")]),
    )
    assert c.run()["conflicts"].height == 1


def test_compatible_durations_do_not_conflict():
    c, _ = call_corpus(
        ("d1", FEB12, "Trump ha parlato al telefono con Putin per più di un'ora.", [minutes("più di un'ora", 60, None, "more_than")]),
        ("d2", FEB12, "La telefonata è durata circa un'ora e mezza.", [minutes("circa un'ora e mezza", 90, 90, "about")]),
    )
    out = c.run()
    assert out["conflicts"].height == 0
    assert out["claims"].filter(pl.col("measure") == "durata telefonata")["n_sources"].to_list() == [2]


def test_a_duration_that_is_not_the_events_is_listed_not_compared():
    c, (a, b) = call_corpus(
        ("d1", FEB12, "È la prima telefonata tra i due in tre anni.", [("tre anni", "duration", "year", None, 3, 3, "exact")]),
        ("d2", FEB12, "Non si parlavano da due anni.", [("due anni", "duration", "year", None, 2, 2, "exact")]),
    )
    out = c.run()
    durations = out["facts"].filter(pl.col("sent_id").is_in([a, b]) & (pl.col("kind") == "quantity"))
    assert durations.height == 2 and not any(durations["is_comparable"].to_list())
    assert out["conflicts"].height == 0


def test_a_time_of_day_stated_differently_is_a_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    a = c.sent("d1", "Il terremoto di oggi ha svegliato la valle: la scossa è arrivata alle 5.30.", dates=[("oggi", FEB12)])
    b = c.sent("d2", "Il terremoto di oggi ha svegliato la valle: la scossa è arrivata poco dopo le sei.", dates=[("oggi", FEB12)])
    out = c.run()
    assert conflict_pairs(out, "time_of_day") == {frozenset((a, b))}
    # the same moment stated alike is no conflict
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    c.sent("d1", "Il terremoto di oggi: la scossa è arrivata alle 5.30.", dates=[("oggi", FEB12)])
    c.sent("d2", "Il terremoto di oggi: la scossa è arrivata intorno alle 5.30.", dates=[("oggi", FEB12)])
    assert c.run()["conflicts"].height == 0


def test_votes_for_and_against_are_two_measures():
    c = Corpus()
    for doc in ("d1", "d2", "d3"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "Il voto sulla riforma si è svolto oggi al Senato.", dates=[("oggi", FEB12)])
    c.sent("d1", "Il testo ha raccolto 124 voti favorevoli.", quantities=[count("124 voti", 124, "voti")])
    against = c.sent("d2", "Si sono registrati 71 voti contrari.", quantities=[count("71 voti", 71, "voti")])
    wrong = c.sent("d3", "Il testo ha raccolto 98 voti favorevoli.", quantities=[count("98 voti", 98, "voti")])
    out = c.run()
    pairs = conflict_pairs(out, "quantity")
    assert len(pairs) == 1 and wrong in next(iter(pairs)) and against not in next(iter(pairs))


def test_a_side_typed_with_one_slip_is_read_and_votes_of_no_side_are_listed_not_compared():
    # "voti conrari", "asetnuti": the sides read through the slip; "93 voti" with no side says
    # which votes nowhere, so it is compared with none
    c = Corpus()
    for doc in ("d1", "d2", "d3", "d4"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "Il voto sulla riforma si è svolto oggi al Senato.", dates=[("oggi", FEB12)])
    against = c.sent("d1", "I voti conrari sono stati 93.", quantities=[count("93", 93, "voti")])
    abstained = c.sent("d2", "Gli asetnuti sono stati 8.", quantities=[count("8", 8, "asetnuti")])
    c.sent("d3", "I voti contrari sono stati 71.", quantities=[count("71", 71, "voti")])
    no_side = c.sent("d4", "Il testo ha raccolto 140 voti.", quantities=[count("140 voti", 140, "voti")])
    out = c.run()
    measure = dict(zip(out["facts"]["sent_id"], out["facts"]["measure"]))
    comparable = dict(zip(out["facts"]["sent_id"], out["facts"]["is_comparable"]))
    assert measure[against] == "voti contrari" and measure[abstained] == "voti astenuti"
    assert not comparable[no_side]
    pairs = conflict_pairs(out, "quantity")
    assert len(pairs) == 1 and against in next(iter(pairs))


# --- polarity and attribution ---------------------------------------------------------------------

def test_a_negated_statement_is_a_polarity_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12).doc("d3", "gamma", FEB12)
    for doc in ("d1", "d2", "d3"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    a = c.sent("d1", "Hegseth ha detto che l'ingresso dell'Ucraina nella NATO è irrealistico.")
    b = c.sent("d2", "Per Hegseth l'ingresso dell'Ucraina nella NATO non è realistico.")
    d = c.sent("d3", "Hegseth ha detto che l'ingresso dell'Ucraina nella NATO non era irrealistico.")
    out = c.run()
    assert conflict_pairs(out, "polarity") == {frozenset((a, d)), frozenset((b, d))}
    stance = dict(zip(out["claim_evidence"]["sent_id"], out["claim_evidence"]["stance"]))
    assert stance[d] == "conflicts" and stance[a] == stance[b] == "supports"


def test_what_a_participle_or_a_there_is_denies_conflicts_with_its_affirmation():
    c = Corpus()
    for doc in ("d1", "d2", "d3", "d4"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "Lo sciopero dei trasporti si è svolto oggi a Torino.", dates=[("oggi", FEB12)])
    kept = c.sent("d1", "Durante lo sciopero sono stati garantiti i servizi minimi.")
    denied = c.sent("d2", "Durante lo sciopero non sono stati garantiti i servizi minimi.")
    calm = c.sent("d3", "Non ci sono stati disordini davanti alla stazione.")
    trouble = c.sent("d4", "Ci sono stati disordini davanti alla stazione.")
    assert conflict_pairs(c.run(), "polarity") == {frozenset((kept, denied)), frozenset((calm, trouble))}


def test_polarity_needs_the_same_subject():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    c.sent("d1", "Nella telefonata non è stata discussa la questione degli aiuti militari.")
    c.sent("d2", "Nella telefonata è stata discussa la questione della tregua energetica.")
    assert c.run()["conflicts"].height == 0


def test_same_quote_given_to_two_certain_speakers_is_an_attribution_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    quote = "Siamo sulla buona strada per ottenere la pace in Ucraina"
    c.sent("d1", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha detto Trump.", quotes=[(quote, "donald-trump")])
    c.sent("d2", "«Siamo sulla buona strada per ottenere la pace in Ucraina», ha detto Putin.", quotes=[(quote, "vladimir-putin")])
    att = conflicts_of(c.run(), "attribution")
    assert att.height == 1 and {att["value_a"][0], att["value_b"][0]} == {"Trump", "Putin"}


def test_a_speaker_not_named_with_certainty_is_never_an_attribution_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    quote = "lavoreremo insieme molto da vicino per la pace"
    c.sent("d1", "«Lavoreremo insieme molto da vicino per la pace», ha detto Trump.", quotes=[(quote, "donald-trump")])
    # the epithet carries the speaker: the quote finder credited it to Putin, named only as the object
    c.sent("d2", "L'ex tycoon ha spiegato che lui e Putin: «lavoreremo insieme molto da vicino per la pace».",
           quotes=[(quote, "vladimir-putin")])
    c.mentions = [m | {"is_uncertain": True} if m["entity_id"] == "vladimir-putin" and m["doc_id"] == "d2" else m
                  for m in c.mentions]
    assert conflicts_of(c.run(), "attribution").height == 0


# --- confidence, status and agreement ----------------------------------------------------------------

def test_status_follows_the_confidence_threshold():
    # one figure given by the police, the other by the outlet itself: a real doubt, below 1
    c, _ = funeral_corpus(
        ("d1", "Secondo la Questura ai funerali erano 150mila persone.", [count("150mila persone", 150000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 250mila persone.", [count("250mila persone", 250000, "persone")]),
    )
    loose = c.run()
    row = loose["conflicts"].row(0, named=True)
    assert row["status"] == "confirmed" and row["confidence"] < 1.0
    tight = c.run(AggregateParams(conflicts=ConflictParams(min_conflict_confidence=row["confidence"] + 0.01)))
    assert tight["conflicts"]["status"].to_list() == ["to_check"]
    # agreement rates and headline counts use confirmed conflicts only
    assert tight["source_agreement"]["n_conflicting"].sum() == 0
    assert loose["source_agreement"]["n_conflicting"].sum() == 1
    metrics = agreement_metrics(tight)
    assert metrics["n_conflicts"] == 0 and metrics["n_conflicts_to_check"] == 1


def test_every_pair_of_sources_has_a_row_even_with_nothing_shared():
    c, (a, b) = call_corpus(
        ("d1", FEB12, "La telefonata è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]),
        ("d2", FEB12, "Secondo il Cremlino i due leader sono rimasti al telefono circa novanta minuti.",
         [minutes("circa novanta minuti", 90, 90, "about")]),
    )
    c.doc("d3", "src-d3", AUG18)
    c.sent("d3", "Il governo ha approvato la legge di bilancio.")
    out = c.run()
    rows = {(r["source_a"], r["source_b"]): r for r in out["source_agreement"].iter_rows(named=True)}
    assert set(rows) == {("src-d1", "src-d2"), ("src-d1", "src-d3"), ("src-d2", "src-d3")}
    assert rows[("src-d1", "src-d2")]["n_shared_claims"] >= 1 and rows[("src-d1", "src-d2")]["agreement_rate"] == 1.0
    assert rows[("src-d2", "src-d3")]["agreement_rate"] is None
    for r in rows.values():
        assert r["n_agreeing"] + r["n_conflicting"] == r["n_shared_claims"]


def test_near_duplicate_documents_are_flagged_and_not_independent_agreement():
    text = ("Il presidente americano Trump ha avuto oggi una lunga telefonata con Putin dedicata alla guerra in "
            "Ucraina e alla sicurezza europea, ha riferito il Cremlino in una nota diffusa in serata.")
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, text, dates=[("oggi", FEB12)])
        c.sent(doc, "La telefonata è durata novanta minuti, secondo il Cremlino e la Casa Bianca.",
               quantities=[minutes("novanta minuti", 90, 90)])
    out = c.run()
    assert out["near_duplicates"].height == 1
    row = out["source_agreement"].row(0, named=True)
    assert row["n_shared_claims"] == 0 and row["n_copied_claims"] >= 1


def test_ids_are_stable_and_output_deterministic_and_conform_to_the_contract():
    c, _ = funeral_corpus(
        ("d1", "Secondo la Questura ai funerali erano 150mila persone.", [count("150mila persone", 150000, "persone")]),
        ("d2", "Per gli organizzatori ai funerali erano 250mila persone.", [count("250mila persone", 250000, "persone")]),
    )
    first, second = c.run(), c.run()
    for name in first:
        a, b = conform(name, first[name]), conform(name, second[name])
        assert a.equals(b), name
    assert first["facts"]["fact_id"].n_unique() == first["facts"].height
    assert set(first["conflicts"]["fact_id_a"]) | set(first["conflicts"]["fact_id_b"]) <= set(first["facts"]["fact_id"])
    assert set(first["claims"]["event_id"].drop_nulls()) <= set(first["events"]["event_id"])


def test_entity_coverage_counts_mentions_per_source():
    c, _ = call_corpus(("d1", FEB12, "La telefonata è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]))
    cov = {(r["entity_id"], r["source_id"]): r for r in c.run()["entity_coverage"].iter_rows(named=True)}
    assert cov[("donald-trump", "src-d1")]["n_mentions"] == 1 and cov[("donald-trump", "src-d1")]["first_sent_no"] == 0


def _two_votes(bill_of_d3: str) -> tuple[dict, str, str]:
    """Four reports of votes on one day; d1 and d3 give different counts of votes in favour."""
    c = Corpus()
    leads = {
        "d1": "Pensioni, via libera oggi alla riforma: il voto sulla previdenza chiude mesi di trattative.",
        "d2": "Previdenza, la riforma delle pensioni passa oggi con il voto sulla quota di uscita anticipata.",
        "d3": bill_of_d3,
        "d4": "Imballaggi, approvato oggi il regolamento: il voto sul riciclo della plastica.",
    }
    for doc, lead in leads.items():
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, lead, dates=[("oggi", FEB12)])
    a = c.sent("d1", "Il testo ha raccolto 124 voti favorevoli.", quantities=[count("124 voti", 124, "voti")])
    b = c.sent("d3", "Il testo ha raccolto 98 voti favorevoli.", quantities=[count("98 voti", 98, "voti")])
    return c.run(), a, b


def test_two_votes_on_one_day_on_different_bills_stay_two_events():
    out, a, b = _two_votes("Plastica e riciclo: oggi il voto sul regolamento degli imballaggi divide le imprese.")
    assert event_of(out, a) is not None and event_of(out, b) is not None
    assert event_of(out, a) != event_of(out, b)  # nothing ties them but the day and the kind
    assert out["conflicts"].height == 0


def test_positive_control_the_same_counts_on_one_bill_are_one_event_and_a_conflict():
    # The same two sentences, when d3 leads with d1's words on the pensions vote: one event, and 124
    # against 98 conflict. (Reports of one bill in other words, like d1 and d2, stay apart: no name
    # ties them, and the stage abstains.)
    out, a, b = _two_votes("Pensioni, via libera oggi alla riforma: il voto sulla previdenza chiude settimane di trattative.")
    assert event_of(out, a) == event_of(out, b) is not None
    assert conflict_pairs(out, "quantity") == {frozenset((a, b))}


def test_two_calls_of_one_pair_days_apart_about_other_things_stay_two():
    c = Corpus()
    for i, (day, surface, lead) in enumerate([
            (FEB12, "12 febbraio", "sullo scambio di prigionieri e sui corridoi umanitari nel Donbass"),
            (FEB12, "12 febbraio", "sullo scambio di prigionieri e sui corridoi umanitari nel Donbass"),
            (dt.date(2025, 2, 14), "14 febbraio", "sulle forniture di gas e sul prezzo del petrolio nel Baltico"),
            (dt.date(2025, 2, 14), "14 febbraio", "sulle forniture di gas e sul prezzo del petrolio nel Baltico")]):
        c.doc(f"d{i}", f"src-{i}", dt.date(2025, 2, 15))
        c.sent(f"d{i}", f"Trump e Putin hanno avuto il {surface} una telefonata {lead}.", dates=[(surface, day)])
    out = c.run()
    assert out["events"].filter(pl.col("event_type") == "call").height == 2
    assert conflicts_of(out, "date").height == 0


def test_reports_misdating_an_event_join_it_as_a_date_conflict_even_as_many_as_the_others():
    def corpus(n_right: int, n_wrong: int) -> Corpus:
        c = Corpus()
        for i in range(n_right + n_wrong):
            day = FEB12 if i < n_right else dt.date(2025, 2, 11)
            surface = "12 febbraio" if i < n_right else "11 febbraio"
            c.doc(f"d{i}", f"src-{i}", dt.date(2025, 2, 13))
            c.sent(f"d{i}", f"Trump e Putin hanno avuto il {surface} una lunga telefonata sulla guerra in Ucraina.",
                   dates=[(surface, day)])
        return c
    out = corpus(3, 1).run()
    assert out["events"].filter(pl.col("event_type") == "call").height == 1
    assert conflicts_of(out, "date").height == 3
    # as many say one day as the other: one call whose date the outlets dispute, each report of
    # one day against each of the other
    out = corpus(2, 2).run()
    assert out["events"].filter(pl.col("event_type") == "call").height == 1
    assert conflicts_of(out, "date").height == 4


# --- an undated report naming when its event repeats; counts of places ---------------------------

def test_an_undated_report_naming_the_day_its_strike_repeats_is_the_strike_before_that_day():
    oct16, nov13 = dt.date(2026, 10, 16), dt.date(2026, 11, 13)
    c = Corpus()
    for doc, day, crowd in (("a1", oct16, 30000), ("a2", oct16, 30000), ("b1", nov13, 12000), ("b2", nov13, 12000)):
        c.doc(doc, f"src-{doc}", day + dt.timedelta(days=1))
        c.sent(doc, "Lo sciopero generale dei trasporti si è svolto ieri a Milano con un lungo corteo.",
               dates=[("ieri", day)])
        c.sent(doc, f"Al corteo di Milano hanno partecipato {crowd} persone.",
               quantities=[count(str(crowd), crowd, "persone")])
    c.doc("u", "src-u")  # no publication date
    c.sent("u", "Sciopero generale dei trasporti, lungo corteo a Milano. E il 13 novembre si replica.",
           dates=[("13 novembre", nov13)])
    own = c.sent("u", "Al corteo di Milano hanno partecipato 45000 persone.", quantities=[count("45000", 45000, "persone")])
    out = c.run()
    a1 = out["facts"].filter(pl.col("doc_id") == "a1")["event_id"][0]
    b1 = out["facts"].filter(pl.col("doc_id") == "b1")["event_id"][0]
    assert event_of(out, own) == a1 != b1
    assert {frozenset(p) for p in conflict_pairs(out, "quantity") if own in p} and all(
        event_of(out, s) == a1 for p in conflict_pairs(out, "quantity") if own in p for s in p)


def test_a_count_of_cities_listing_some_is_made_in_no_one_city():
    c = Corpus()
    for doc in ("d1", "d2", "d3"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "Lo sciopero generale si è svolto oggi in tutta Italia.", dates=[("oggi", FEB12)])
    a = c.sent("d1", "Manifestazioni si sono svolte in 43 città, da Milano a Napoli.", quantities=[count("43 città", 43, "città")])
    b = c.sent("d2", "Cortei in 43 città, da Napoli a Milano.", quantities=[count("43 città", 43, "città")])
    d = c.sent("d3", "Cortei e presìdi in 34 città.", quantities=[count("34 città", 34, "città")])
    out = c.run()
    assert conflict_pairs(out, "quantity") == {frozenset((a, d)), frozenset((b, d))}
    assert set(conflicts_of(out, "quantity")["status"]) == {"confirmed"}


def test_the_questuras_crowd_in_the_square_against_the_organisers_total_is_their_dispute():
    c = Corpus()
    for doc in ("d1", "d2", "d3", "d4"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "La manifestazione per la pace si è svolta oggi a Milano.", dates=[("oggi", FEB12)])
    police = c.sent("d1", "Secondo la Questura in piazza del Duomo c'erano 51mila persone.",
                    quantities=[count("51mila persone", 51000, "persone")])
    organisers = c.sent("d2", "Per gli organizzatori i presenti erano 105mila persone.",
                        quantities=[count("105mila persone", 105000, "persone")])
    # the outlets' own figures: 36mila in the square is a part of 66mila in all, no dispute
    c.sent("d3", "In piazza del Duomo c'erano 36mila persone.", quantities=[count("36mila persone", 36000, "persone")])
    c.sent("d4", "Al corteo hanno partecipato 66mila persone.", quantities=[count("66mila persone", 66000, "persone")])
    pairs = conflict_pairs(c.run(), "quantity")
    assert frozenset((police, organisers)) in pairs
    assert all(police in p or organisers in p for p in pairs)


def test_an_event_that_ended_after_so_long_lasted_so_long():
    c = Corpus()
    for doc in ("d1", "d2", "d3"):
        c.doc(doc, f"src-{doc}", FEB12)
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    ended = c.sent("d1", "Tutto si è concluso dopo 55 minuti.", quantities=[minutes("55 minuti", 55, 55)])
    went_on = c.sent("d2", "I colloqui sono andati avanti per due ore.", quantities=[minutes("due ore", 120, 120)])
    # a wait before something is no length of the call
    c.sent("d3", "Dopo 20 minuti di attesa i giornalisti sono stati ammessi.", quantities=[minutes("20 minuti", 20, 20)])
    out = c.run()
    assert conflict_pairs(out, "quantity") == {frozenset((ended, went_on))}
