"""Claims as the design has them: one measure of one event, stated in any value; and the rules that
say when two statements of one claim are a polarity or an attribution conflict.

Every corpus here is written for these tests (Italian sentences of our own); each rule has a case
where it applies and a control where it must not.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.agreement.conflicts import ConflictParams, _confidence
from pipeline.agreement.facts import _subject_terms, sentence_speaker
from pipeline.nlp.text import polarity, token_table
from tests.helpers import (FEB12, MAR18, Corpus, call_corpus, claim_of, conflict_pairs, conflicts_of, count,
                           funeral_corpus, minutes, same_claim)

MAY19 = dt.date(2025, 5, 19)


def stance_of(out, sent_id: str) -> set[str]:
    return set(out["claim_evidence"].filter(pl.col("sent_id") == sent_id)["stance"])


# --- one measure of one event is one claim, whatever its values ---------------------------------------

def test_the_durations_of_one_call_are_one_claim_whatever_their_values():
    c, (two_hours, more, ninety) = call_corpus(
        ("d1", MAR18, "Secondo la Casa Bianca il colloquio tra i due presidenti è durato due ore.",
         [minutes("due ore", 120, 120)]),
        ("d2", MAR18, "I due leader sono rimasti al telefono, dicono fonti russe, per più di due ore.",
         [minutes("più di due ore", 120, None, "more_than")]),
        ("d3", MAR18, "La conversazione telefonica è durata novanta minuti.", [minutes("novanta minuti", 90, 90)]),
    )
    for doc, extra in (("d1", "Sul tavolo il cessate il fuoco e gli scambi di prigionieri."),
                       ("d2", "A Mosca si parla di un clima sereno e di passi avanti concreti."),
                       ("d3", "Gli analisti europei restano prudenti sugli esiti della giornata.")):
        c.sent(doc, extra)
    out = c.run()
    assert claim_of(out, two_hours) == claim_of(out, more) == claim_of(out, ninety)
    assert len(claim_of(out, two_hours)) == 1
    claim = out["claims"].filter(pl.col("claim_id").is_in(list(claim_of(out, two_hours)))).row(0, named=True)
    assert claim["measure"] == "durata telefonata" and claim["n_sources"] == 3
    # the value at odds with the others is the claim's conflicting evidence, the rest supports it
    assert {frozenset((two_hours, ninety)), frozenset((more, ninety))} == conflict_pairs(out, "quantity")
    assert stance_of(out, ninety) == {"conflicts"} and stance_of(out, two_hours) == stance_of(out, more) == {"supports"}
    # a confirmed conflict on a shared claim makes the sources disagree, never agree
    agreement = out["source_agreement"].filter((pl.col("source_a") == "src-d1") & (pl.col("source_b") == "src-d3"))
    row = agreement.row(0, named=True)  # they share the call's date (agreeing) and its duration (conflicting)
    assert (row["n_shared_claims"], row["n_conflicting"], row["agreement_rate"]) == (2, 1, 0.5)


def test_the_durations_of_two_calls_are_never_one_claim():
    c, (march, may) = call_corpus(
        ("d1", MAR18, "La telefonata è durata due ore.", [minutes("due ore", 120, 120)]),
        ("d2", MAY19, "La telefonata è durata quaranta minuti.", [minutes("quaranta minuti", 40, 40)]),
    )
    out = c.run()
    assert not same_claim(out, march, may)
    assert out["conflicts"].height == 0


def test_per_side_and_in_total_are_one_claim_a_place_is_another():
    c, (per_side, total, square, route) = funeral_corpus(
        ("d1", "Ai funerali hanno partecipato 250mila persone in tutto.", [count("250mila persone", 250000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 250mila persone.", [count("250mila persone", 250000, "persone")]),
        ("d3", "In piazza erano 40mila persone.", [count("40mila persone", 40000, "persone")]),
        ("d4", "Lungo il percorso erano 200mila persone.", [count("200mila persone", 200000, "persone")]),
    )
    out = c.run()
    assert same_claim(out, per_side, total)
    assert not same_claim(out, square, total) and not same_claim(out, route, total) and not same_claim(out, square, route)


def test_a_value_whose_role_is_unknown_joins_the_one_claim_it_fits():
    c, (stated, loose) = call_corpus(
        ("d1", MAR18, "La telefonata è durata oltre due ore.", [minutes("oltre due ore", 120, None, "more_than")]),
        ("d2", MAR18, "Trump e Putin si sono sentiti per oltre due ore.", [minutes("oltre due ore", 120, None, "more_than")]),
    )
    out = c.run()
    facts = out["facts"].filter(pl.col("sent_id") == loose)
    assert facts.height == 1 and not facts["is_comparable"][0]  # listed, never compared ...
    assert same_claim(out, stated, loose)  # ... but the same measure of the call
    assert out["conflicts"].height == 0


def test_a_value_whose_role_is_unknown_and_fits_no_claim_stays_apart():
    c, (stated, loose) = call_corpus(
        ("d1", MAR18, "La telefonata è durata oltre due ore.", [minutes("oltre due ore", 120, None, "more_than")]),
        ("d2", MAR18, "Trump ha poi aspettato venti minuti in sala stampa.", [minutes("venti minuti", 20, 20)]),
    )
    out = c.run()
    assert not same_claim(out, stated, loose)
    assert out["conflicts"].height == 0


def test_one_period_stated_by_two_articles_of_an_event_is_one_claim():
    days = lambda s, n: (s, "duration", "day", None, n, n, "exact")  # noqa: E731
    c, (truce, ceasefire, other) = call_corpus(
        ("d1", MAR18, "Sul tavolo una tregua di 60 giorni.", [days("60 giorni", 60)]),
        ("d2", MAR18, "Si discute un cessate il fuoco di sessanta giorni.", [days("sessanta giorni", 60)]),
        ("d3", MAR18, "Il piano prevede una pausa di 30 giorni.", [days("30 giorni", 30)]),
    )
    out = c.run()
    assert not out["facts"].filter(pl.col("sent_id").is_in([truce, ceasefire]))["is_comparable"].any()
    assert same_claim(out, truce, ceasefire)
    assert not same_claim(out, truce, other)  # another period, another claim
    assert out["conflicts"].height == 0  # periods whose role is unknown are never compared


def test_a_quotation_whose_speaker_is_uncertain_joins_its_claim_without_an_attribution_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    quote = "È stata una telefonata molto produttiva per la pace"
    sure = c.sent("d1", f"«{quote}», ha detto Trump.", quotes=[(quote, "donald-trump")])
    unsure = c.sent("d2", f"Sul suo social: «{quote}».", quotes=[(quote, None)])
    out = c.run()
    assert same_claim(out, sure, unsure)
    assert conflicts_of(out, "attribution").height == 0


# --- attribution: the same words, both speakers certain ----------------------------------------------

def test_two_statements_with_different_figures_are_not_one_quotation_credited_twice():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    a = "lo scambio riguarderà 150 prigionieri per parte"
    b = "lo scambio riguarderà 175 prigionieri per parte"
    c.sent("d1", f"Peskov ha detto che {a}.", quotes=[(a, "dmitry-peskov")])
    c.sent("d2", f"Witkoff ha detto che {b}.", quotes=[(b, "steve-witkoff")])
    assert conflicts_of(c.run(), "attribution").height == 0
    # positive control: the same words and figures credited to the two of them
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    c.sent("d1", f"Peskov ha detto che {a}.", quotes=[(a, "dmitry-peskov")])
    c.sent("d2", f"Witkoff ha detto che {a}.", quotes=[(a, "steve-witkoff")])
    assert conflicts_of(c.run(), "attribution").height == 1


def _pair(kind_basis: str, **kw) -> dict:
    r = {"basis": kind_basis, "basis_b": kind_basis, "is_relative": False, "is_relative_b": False, "scope": None,
         "scope_b": None, "attributed_to": "a", "attributed_to_b": "b", "low": None, "high": None, "qualifier": None,
         "low_b": None, "high_b": None, "qualifier_b": None, "event_side": None, "event_side_b": None,
         "subject_dice": 1.0}
    return r | kw


def test_an_identical_quotation_is_one_statement_however_surely_its_articles_were_tied_to_the_event():
    params = ConflictParams()
    assert _confidence(_pair("weak_content"), "attribution", params) >= params.min_conflict_confidence
    # a polarity of the same two articles keeps the doubt about their event
    assert _confidence(_pair("weak_content"), "polarity", params) < params.min_conflict_confidence


def test_a_speaker_inside_the_statement_is_not_its_speaker():
    text = "Lui e Putin hanno un ottimo rapporto, ha spiegato l'ex tycoon."
    assert sentence_speaker(text, [(text.index("Putin"), text.index("Putin") + 5, "vladimir-putin")]) is None
    text = "Trump e Putin hanno detto che la tregua regge."
    assert sentence_speaker(text, [(0, 5, "donald-trump"), (8, 13, "vladimir-putin")]) is None
    # positive controls: the subject of the verb, with an apposition or a word between them
    text = "Hegseth, capo del Pentagono, ha detto che l'adesione non è realistica."
    assert sentence_speaker(text, [(0, 7, "pete-hegseth")]) == "pete-hegseth"
    text = "Hegseth ieri ha dichiarato che l'adesione non è realistica."
    assert sentence_speaker(text, [(0, 7, "pete-hegseth")]) == "pete-hegseth"


# --- polarity: the same predicate about the same subject and event -----------------------------------

def test_a_word_after_an_article_is_a_noun_not_a_predicate():
    assert polarity("Non era presente il presidente della Regione.") == {"presente": -1}
    assert polarity("Non è stato un incontro utile.") == {"utile": -1}
    # a clitic pronoun is not an article: the verb after it is still the predicate
    assert polarity("«Non lo accetteremo», ha detto il ministro.")["accettare"] == -1


def _seq(text: str) -> list[tuple]:
    tokens = token_table(pl.Series([text]))
    return [(w, lem or "", brk, term) for w, lem, brk, term in zip(
        *(tokens[c].cast(pl.Utf8).to_list() if tokens[c].dtype == pl.Categorical else tokens[c].to_list()
          for c in ("word", "lemma", "is_break", "term")))]


def test_a_word_that_only_begins_like_the_predicate_is_its_subject():
    seq = _seq("Il Cremlino non ha confermato la conferenza stampa di domani.")
    at = next(i for i, x in enumerate(seq) if x[0] == "confermato")
    subject = _subject_terms(seq, at, "confermare")
    assert any(t.startswith("conferenz") for t in subject)  # what was not confirmed: the press conference
    # the predicate's own noun is not its subject
    seq = _seq("Il Cremlino non ha confermato, la conferma arriverà domani.")
    at = next(i for i, x in enumerate(seq) if x[0] == "confermato")
    assert not any(t.startswith("conferm") for t in _subject_terms(seq, at, "confermare"))


def _funeral_presence(*sentences: tuple[str, str]):
    c = Corpus()
    ids = []
    for doc, text in sentences:
        c.doc(doc, f"src-{doc}", dt.date(2026, 4, 11))
        c.sent(doc, "Oggi i funerali del sindaco in piazza Grande.", dates=[("Oggi", dt.date(2026, 4, 11))])
        ids.append(c.sent(doc, text))
    return c, ids


def test_present_against_absent_is_a_polarity_conflict():
    c, (there, away) = _funeral_presence(
        ("d1", "Tra le autorità era presente il presidente della Regione, accanto al sindaco."),
        ("d2", "Non era presente il presidente della Regione, rimasto a Roma."),
    )
    out = c.run()
    assert conflict_pairs(out, "polarity") == {frozenset((there, away))}
    assert set(conflicts_of(out, "polarity")["value_a"]) | set(conflicts_of(out, "polarity")["value_b"]) == {
        "presente", "non presente"}


def test_presence_of_one_person_never_conflicts_with_absence_of_another():
    c, _ = _funeral_presence(
        ("d1", "Tra le autorità era presente il prefetto della città, accanto al sindaco."),
        ("d2", "Non era presente il presidente della Regione, rimasto a Roma."),
    )
    assert conflicts_of(c.run(), "polarity").height == 0


def test_not_discussed_against_talked_about_the_same_thing_is_a_polarity_conflict():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", FEB12)
    for doc in ("d1", "d2"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    denied = c.sent("d1", "Nella telefonata non è stata discussa la questione degli aiuti militari a Kiev.")
    said = c.sent("d2", "I due leader hanno parlato anche degli aiuti militari a Kiev.")
    assert conflict_pairs(c.run(), "polarity") == {frozenset((denied, said))}


def test_not_discussed_in_one_call_never_conflicts_with_another_call():
    c = Corpus().doc("d1", "alfa", FEB12).doc("d2", "beta", MAY19).doc("d3", "gamma", MAY19)
    c.sent("d1", "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", FEB12)])
    for doc in ("d2", "d3"):
        c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", MAY19)])
    c.sent("d1", "Nella telefonata non è stata discussa la questione degli aiuti militari a Kiev.")
    c.sent("d2", "I due leader hanno parlato anche degli aiuti militari a Kiev.")
    assert conflicts_of(c.run(), "polarity").height == 0


def test_a_value_with_an_unstated_scope_is_compared_with_a_scoped_one():
    # "175 per parte" and "150" (scope unstated) are one measure: the pair is a candidate (and a
    # conflict: 150 is neither 175 per side nor 350 in all); the same pair with both unscoped too
    c, (per_side, bare) = call_corpus(
        ("d1", MAR18, "Lo scambio riguarda 175 prigionieri per parte.", [count("175 prigionieri", 175, "prigionieri")]),
        ("d2", MAR18, "Sono stati liberati 150 prigionieri.", [count("150 prigionieri", 150, "prigionieri")]),
    )
    out = c.run()
    scopes = dict(zip(out["facts"]["sent_id"], out["facts"]["scope"]))
    assert (scopes[per_side], scopes[bare]) == ("per_parte", None)
    assert conflict_pairs(out, "quantity") == {frozenset((per_side, bare))}
    # control: 350 unscoped is 175 per side in all
    c, _ = call_corpus(
        ("d1", MAR18, "Lo scambio riguarda 175 prigionieri per parte.", [count("175 prigionieri", 175, "prigionieri")]),
        ("d2", MAR18, "Sono stati liberati 350 prigionieri.", [count("350 prigionieri", 350, "prigionieri")]),
    )
    assert c.run()["conflicts"].height == 0


# --- a plan and its outcome, or an unstated scope and a place, stating one figure are one claim -----

def _modalities_and_scopes(out) -> dict[str, tuple]:
    f = out["facts"].filter(pl.col("kind") == "quantity")
    return {s: (m, sc) for s, m, sc in zip(f["sent_id"], f["modality"], f["scope"])}


def test_a_plan_its_outcome_states_in_the_same_figure_is_one_claim():
    c, (planned, held) = funeral_corpus(
        ("d1", "Sono previste fiaccolate in 12 città.", [count("12 città", 12, "città")]),
        ("d2", "Le fiaccolate si sono svolte in 12 città.", [count("12 città", 12, "città")]),
    )
    out = c.run()
    kinds = _modalities_and_scopes(out)
    assert (kinds[planned][0], kinds[held][0]) == ("forecast", "outcome")
    assert same_claim(out, planned, held)
    assert out["conflicts"].height == 0


def test_a_forecast_and_a_final_count_in_other_figures_stay_two_claims():
    c, (expected, counted) = funeral_corpus(
        ("d1", "Ai funerali sono attese 30mila persone.", [count("30mila persone", 30000, "persone")]),
        ("d2", "Ai funerali hanno partecipato 45mila persone.", [count("45mila persone", 45000, "persone")]),
    )
    out = c.run()
    kinds = _modalities_and_scopes(out)
    assert (kinds[expected][0], kinds[counted][0]) == ("forecast", "outcome")
    assert not same_claim(out, expected, counted)
    assert out["conflicts"].height == 0


def test_an_unstated_scope_and_one_place_stating_the_same_figure_are_one_claim():
    c, (bare, square, other) = funeral_corpus(
        ("d1", "Per l'ultimo saluto al sindaco c'erano 15mila persone.", [count("15mila persone", 15000, "persone")]),
        ("d2", "In piazza erano 15mila persone, secondo il Comune.", [count("15mila persone", 15000, "persone")]),
        ("d3", "Per l'ultimo saluto al sindaco si sono radunate 9mila persone, secondo la Questura.",
         [count("9mila persone", 9000, "persone")]),
    )
    out = c.run()
    kinds = _modalities_and_scopes(out)
    assert (kinds[bare][1], kinds[square][1]) == (None, "piazza")
    assert same_claim(out, bare, square)
    # the other unscoped figure is the same claim as the first (one measure, any value)
    assert same_claim(out, bare, other) and same_claim(out, square, other)


def test_two_places_or_an_unstated_scope_with_another_figure_stay_apart():
    c, (square, route, bare) = funeral_corpus(
        ("d1", "In piazza erano 15mila persone.", [count("15mila persone", 15000, "persone")]),
        ("d2", "Lungo il percorso erano 15mila persone.", [count("15mila persone", 15000, "persone")]),
        ("d3", "Per l'ultimo saluto al sindaco c'erano 60mila persone.", [count("60mila persone", 60000, "persone")]),
    )
    out = c.run()
    kinds = _modalities_and_scopes(out)
    assert (kinds[square][1], kinds[route][1], kinds[bare][1]) == ("piazza", "percorso", None)
    assert not same_claim(out, square, route)
    assert not same_claim(out, bare, square) and not same_claim(out, bare, route)


def test_a_period_of_a_month_and_one_of_thirty_days_are_one_claim():
    days = lambda s, n: (s, "duration", "day", None, n, n, "exact")  # noqa: E731
    months = lambda s, n: (s, "duration", "month", None, n, n, "exact")  # noqa: E731
    c, (month, thirty, sixty) = call_corpus(
        ("d1", MAR18, "Concordata una tregua di un mese sulle centrali elettriche.", [months("un mese", 1)]),
        ("d2", MAR18, "Per trenta giorni niente attacchi agli impianti energetici.", [days("trenta giorni", 30)]),
        ("d3", MAR18, "Si parla anche di una sospensione di due mesi.", [months("due mesi", 2)]),
    )
    out = c.run()
    # the two sentences share no word: only their length makes them one claim
    assert not out["facts"].filter(pl.col("sent_id").is_in([month, thirty, sixty]))["is_comparable"].any()
    assert same_claim(out, month, thirty)
    assert not same_claim(out, month, sixty) and not same_claim(out, thirty, sixty)  # another length
    assert out["conflicts"].height == 0
