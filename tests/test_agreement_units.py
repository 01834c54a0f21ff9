"""Unit tests of the agreement building blocks: polarity and word analysis (nlp.text), the one
interval module (nlp.intervals), event words and cues (events), fact roles (facts), MinHash and
source agreement (scores). Every sentence here was written for these tests."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.agreement import events as ev
from pipeline.agreement.facts import (
    attribution_in,
    bare_people_counts,
    fold_noun,
    modality_of,
    sentence_speaker,
    time_of_day,
)
from pipeline.agreement.scores import near_duplicate_documents, source_agreement
from pipeline.nlp.intervals import APPROXIMATE_TOLERANCE, intervals_disjoint, relative_gap, widen
from pipeline.nlp.text import content_lemmas, matching_terms, polarity, shorten, stem, token_table, tokenize


# --- polarity ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, base, sign", [
    ("L'adesione è irrealistica.", "realistico", -1),
    ("L'adesione non è realistica.", "realistico", -1),
    ("L'adesione non è risultata realistica.", "realistico", -1),
    ("L'adesione non era irrealistica.", "realistico", 1),  # double negative
    ("Il Cremlino ha confermato la notizia.", "confermare", 1),
    ("Il Cremlino non ha confermato la notizia.", "confermare", -1),
    ("Il Cremlino ha smentito la notizia.", "confermare", -1),
    ("Il Cremlino non ha smentito la notizia.", "confermare", 1),
    ("Il piano è realistico, ma non è facile.", "realistico", 1),  # the comma closes the negation
])
def test_polarity_folds_negation_and_antonyms(text, base, sign):
    assert polarity(text)[base] == sign


@pytest.mark.parametrize("text, base, sign", [
    # a quotation mark opening before the predicate keeps it inside the negation's scope
    ('Il piano di pace non è risultato "realistico" agli analisti.', "realistico", -1),
    ("La trattativa non sarà «facile», avverte il ministro.", "facile", -1),
    ("Il ministro non ha giudicato “utile” l'incontro di ieri.", "utile", -1),
    ('Il sindaco ha definito "realistico" il progetto.', "realistico", 1),
    ("Il rinvio «non è accettabile» per i sindacati.", "accettabile", -1),
    # double negatives still cancel across the quote
    ("Per la Commissione il traguardo non è «irrealizzabile».", "realizzabile", 1),
    ('Il governo non ritiene "impossibile" un accordo entro marzo.', "possibile", 1),
    ("Secondo i tecnici la riforma non è «irrealistica».", "realistico", 1),
])
def test_negation_reaches_a_quoted_predicate(text, base, sign):
    assert polarity(text)[base] == sign


def test_a_closing_quotation_mark_ends_the_negation():
    # the negation lives inside the quotation; what the sentence says after it is affirmed
    signs = polarity("«Non lo accetteremo», ha detto il ministro, confermando la linea del governo.")
    assert signs["accettare"] == -1 and signs["confermare"] == 1
    signs = polarity('Il premier ha risposto "no" e ha confermato la data del voto.')
    assert signs["confermare"] == 1


def test_neither_confirm_nor_deny_is_not_a_stance():
    assert "confermare" not in polarity("Peskov ha detto di non potere né confermare né smentire la notizia.")


@pytest.mark.parametrize("text, base, sign", [
    # negative concord: an n-word after "non" repeats the negation
    ("La Casa Bianca non ha mai confermato il colloquio.", "confermare", -1),
    ("Il testo non è stato mai firmato dalle parti.", "firmare", -1),
    ("Nessuno ha confermato la notizia in serata.", "confermare", -1),
    # a negator typed with one slip is still one
    ("Neessuno ha confermato la notizia in serata.", "confermare", -1),
    ("Il ministro non ha nemeno confermato la data.", "confermare", -1),
    # "non solo", "non appena" deny nothing
    ("Non solo ha confermato il vertice, ma ha anche fissato la data.", "confermare", 1),
    ("Non appena ha confermato la data, il ministro è partito.", "confermare", 1),
    # a participle after an auxiliary is its verb, whatever its gender and number
    ("Sono stati garantiti i collegamenti essenziali.", "garantire", 1),
    ("Non sono state garantite le corse minime.", "garantire", -1),
    ("Alla fine non è stata diffusa alcuna nota comune.", "diffondere", -1),
    # "c'è", "ci sono stati": the existence of what follows
    ("Non ci sono stati scontri davanti alla prefettura.", "esserci scontro", -1),
    ("Ci sono stati scontri davanti alla prefettura.", "esserci scontro", 1),
    ("Non c'è stato nessun ferito tra i manifestanti.", "esserci ferire", -1),
    ("In serata ci sono stati feriti lungo il corteo.", "esserci ferire", 1),
])
def test_polarity_reads_concord_participles_and_existence(text, base, sign):
    assert polarity(text)[base] == sign


def test_what_exists_keeps_its_modifier_and_a_modal_is_no_statement():
    # "feriti gravi" is not denied by "feriti", nor the reverse
    assert "esserci ferire" not in polarity("Non ci sono stati feriti gravi in città.")
    assert polarity("Non ci sono stati gravi disordini.") == polarity("Non ci sono stati disordini gravi.") \
        == {"esserci disordine grave": -1}
    assert "dovere" not in polarity("I soccorritori non sono dovuti intervenire.")
    assert "esserci" not in " ".join(polarity("Non ci ha detto nulla il portavoce."))


def test_a_negated_noun_is_not_a_polarity():
    assert "decisione" not in polarity("Nessuna decisione è stata presa.")


def test_content_lemmas_fold_inflection_and_keep_names():
    a = content_lemmas(tokenize("Trump ha definito i colloqui lunghi ed estremamente produttivi."))
    b = content_lemmas(tokenize("Una telefonata lunga e altamente produttiva, dice Trump."))
    assert {"lungo", "produttivo", "trump"} <= a & b
    assert "nato" in content_lemmas(tokenize("L'ingresso dell'Ucraina nella NATO è irrealistico."))
    assert "non" not in content_lemmas(tokenize("Non è stato confermato nulla dal governo."))


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("uno due tre quattro cinque", 12) == "uno due tre…"
    assert shorten("breve", 12) == "breve"


# --- near duplicates and agreement -------------------------------------------------------------

def test_minhash_finds_wire_copy_and_only_it():
    wire = " ".join(f"parola{i}" for i in range(200))
    docs = {
        "a": wire,
        "b": "Titolo diverso della testata. " + wire,
        "c": " ".join(f"altro{i}" for i in range(200)),
    }
    dups = near_duplicate_documents(docs)
    assert dups.select("doc_id_a", "doc_id_b").rows() == [("a", "b")]
    assert dups["shingle_jaccard"][0] > 0.9


def test_source_agreement_counts_add_up_and_include_silent_pairs():
    evidence = pl.DataFrame({
        "claim_id": ["c1", "c1", "c2", "c2", "c3"],
        "doc_id": ["d1", "d2", "d1", "d2", "d1"],
        "source_id": ["s1", "s2", "s1", "s2", "s1"],
    })
    conflicts = pl.DataFrame({"claim_id": ["c2"], "doc_id_a": ["d1"], "doc_id_b": ["d2"]})
    dups = pl.DataFrame(schema={"doc_id_a": pl.Utf8, "doc_id_b": pl.Utf8})
    rows = {(r["source_a"], r["source_b"]): r for r in
            source_agreement(["s1", "s2", "s3"], evidence, conflicts, dups).iter_rows(named=True)}
    assert set(rows) == {("s1", "s2"), ("s1", "s3"), ("s2", "s3")}
    r = rows[("s1", "s2")]
    assert (r["n_shared_claims"], r["n_agreeing"], r["n_conflicting"], r["n_only_a"], r["n_only_b"]) == (2, 1, 1, 1, 0)
    assert r["agreement_rate"] == 0.5 and r["coverage_jaccard"] == pytest.approx(2 / 3)
    assert rows[("s2", "s3")]["agreement_rate"] is None


# --- matching terms (paraphrase normalisation) ---------------------------------------------------

def _terms(text):
    return matching_terms(tokenize(text))


def test_intensifiers_inflection_and_event_synonyms_meet():
    a = _terms("Il ministro ha avuto una lunga e altamente produttiva telefonata con il collega francese.")
    b = _terms("I colloqui del ministro col collega francese sono stati lunghi ed estremamente produttivi.")
    assert {stem("lungo"), stem("produttivo"), stem("telefonata"), stem("ministro"), stem("collega")} <= a & b
    assert not {"altamente", "estremamente"} & (a | b)


def test_a_verb_and_its_nominalisation_meet():
    assert _terms("I sindaci hanno visitato il cantiere.") & _terms("La visita dei sindaci al cantiere.") >= {stem("visita")}
    assert stem("liberazione") == stem("liberare")
    assert stem("negoziato") == stem("negoziare")


def test_synonyms_are_read_by_surface_when_the_lemma_is_wrong():
    # simplemma lemmatizes "subito" as "subire"; the surface still finds its synonym group
    assert _terms("Il governo ha agito subito.") & _terms("Il governo ha agito immediatamente.")


def test_names_are_kept_whole_even_after_an_elision():
    terms = _terms("Le truppe sono entrate nell'Ucraina orientale e poi in Ucraina.")
    assert "ucraina" in terms and stem("ucraina") not in terms


def test_unrelated_words_keep_different_terms():
    # a short stem must not fold unrelated words together, and groups stay narrow
    assert stem("fine") == "fine" and stem("pace") == "pace"
    assert not _terms("Il ministro ha parlato ai giornalisti.") & _terms("Il ministro ha discusso la riforma.") - {stem("ministro")}
    assert not _terms("Scoppia la guerra dei prezzi.") & _terms("Firmato un accordo sui prezzi.") - {stem("prezzo")}


def test_matching_terms_leave_polarity_alone():
    # synonyms and stems are for matching; polarity still reads the lemmas and antonyms
    assert polarity("L'accordo è stato respinto.")["accettare"] == -1
    assert _terms("L'accordo è stato respinto.") == _terms("L'accordo è stato accettato.")


# --- the columnar token table -------------------------------------------------------------------

def test_token_table_reads_each_sentence_once_with_breaks_names_and_terms():
    t = token_table(pl.Series(["L'adesione della NATO non è «realistica», ha detto Rossi.", "Nessuna data."]))
    first = t.filter(pl.col("sid") == 0)
    assert first["pos"].to_list() == list(range(first.height))
    words = dict(zip(first["word"].to_list(), first["is_name"].to_list()))
    assert words["nato"] and words["rossi"] and not words["adesione"]
    assert first.filter(pl.col("is_break"))["word"].to_list() == ["»", ",", "."]
    assert set(t["sid"].to_list()) == {0, 1}
    # the same terms as the per-sentence tokenizer
    assert set(first["term"].drop_nulls().to_list()) == set(matching_terms(tokenize("L'adesione della NATO non è «realistica», ha detto Rossi.")))


# --- intervals: one module for anomalies and conflicts ---------------------------------------------

@pytest.mark.parametrize("a, b, disjoint", [
    ((60, None, "more_than"), (90, 90, "about"), False),  # "più di un'ora" and "circa un'ora e mezza"
    ((175, 175, "exact"), (150, 150, "exact"), True),
    ((90, 90, "about"), (100, 100, "exact"), False),  # within the tolerance
    ((90, 90, "almost"), (100, 100, "exact"), False),  # "quasi" widened exactly like "circa"
    ((90, 90, "about"), (180, 180, "exact"), True),
    ((180, 240, "range"), (200, 200, "exact"), False),
    ((None, 30, "less_than"), (60, None, "more_than"), True),
])
def test_widened_intervals(a, b, disjoint):
    assert intervals_disjoint(widen(*a), widen(*b)) is disjoint


def test_about_and_almost_are_widened_the_same_and_exact_is_not():
    assert widen(100, 100, "about") == widen(100, 100, "almost") == (100 - 100 * APPROXIMATE_TOLERANCE,
                                                                     100 + 100 * APPROXIMATE_TOLERANCE)
    assert widen(100, 100, "exact") == (100, 100)
    assert relative_gap((150, 150), (175, 175)) == pytest.approx(25 / 175)
    assert relative_gap((150, 200), (175, 175)) == 0.0


def test_anomalies_use_the_same_interval_module():
    from pipeline.nlp import anomalies, intervals

    assert anomalies.widen is intervals.widen  # in-article anomalies widen approximate values as conflicts do


# --- event words and references to other occasions -------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("Macron e Scholz hanno avuto una lunga telefonata.", "call"),
    ("Il premier ha parlato per telefono con il cancelliere.", "call"),
    ("Migliaia di persone ai funerali del sindaco.", "funeral"),
    ("La messa in suffragio sarà celebrata in Duomo.", "mass"),
    ("Il corteo dei metalmeccanici ha attraversato il centro.", "demonstration"),
    ("Lo sciopero dei treni è durato otto ore.", "strike"),
    ("Una scossa di magnitudo 4 ha svegliato la valle.", "earthquake"),
    ("Il processo all'ex sindaco riprende lunedì.", "trial"),
    ("Il derby è finito in parità.", "match"),
    ("Ieri a Lisbona si sono incontrati i due ministri degli Esteri.", "meeting"),
    ("Nuovo faccia a faccia tra la premier e il leader dell'opposizione.", "meeting"),
    ("Stamattina hanno incrociato le braccia i lavoratori della logistica.", "strike"),
    ("I lavoratori del porto hanno scioperato per otto ore.", "strike"),
    ("Ieri sera la cantante si è esibita davanti a quarantamila fan.", "concert"),
    ("Il consiglio regionale ha votato la riforma della sanità.", "vote"),
    ("Droni su Odessa nella notte, colpito il porto.", "attack"),
    ("Nella notte alcuni droni hanno colpito una centrale elettrica.", "attack"),
    ("In migliaia per l'ultimo saluto al sindaco.", "funeral"),
])
def test_event_words_of_any_kind_of_news(text, kind):
    import re

    from pipeline.agreement.build import EVENT_PREFILTER

    assert [k for _, _, k in ev.event_words(text)][:1] == [kind]
    assert re.search(EVENT_PREFILTER, text.lower())  # the stage reads the sentence (build's cheap prefilter)


@pytest.mark.parametrize("text, kind, subject", [
    ("La manifestazione nazionale per la pace ha riempito la piazza.", "demonstration", "pace"),
    ("Il corteo contro il caro affitti è partito da via Roma.", "demonstration", "caro"),
    ("Lo sciopero dei lavoratori della logistica è riuscito.", "strike", "logistica"),
    ("Oggi hanno incrociato le braccia gli addetti del settore tessile.", "strike", "tessile"),
    ("Il voto sul piano per la casa è slittato.", "vote", "piano casa"),
    ("Ieri l'aula ha votato la mozione sul trasporto pubblico.", "vote", "mozione trasporto"),
    ("Il corteo di ieri si è chiuso senza incidenti.", "demonstration", None),  # says nothing of what
    ("Lo sciopero generale ha fermato i treni.", "strike", None),
])
def test_what_an_event_is_about_is_read_after_its_word(text, kind, subject):
    _, end, found = ev.event_words(text)[0]
    assert found == kind and ev.event_subject(text, end, kind) == subject


def test_a_cue_of_another_occasion_typed_with_one_slip_still_marks_it():
    # "il proossimo concerto del 1° aprile": the next concert, not the one reported
    import datetime as dt

    text = "Per il proossimo concerto del 1° aprile sono attese 97mila persone."
    reading = ev.read_sentence(text, [(text.index("1°"), dt.date(2026, 4, 1))])
    assert [(kind, other) for _, _, kind, other, _ in reading.words] == [("concert", True)]
    # control: a real word one slip from a cue stays itself ("scorto" is not "scorso")
    text = "Il pubblico ha scorto il concerto dai maxischermi."
    assert [(kind, other) for _, _, kind, other, _ in ev.read_sentence(text, []).words] == [("concert", False)]


def test_subjects_typed_with_one_slip_per_word_are_one_subject():
    assert ev.subjects_fit({"legge coonsumo"}, {"legge consumo"})
    assert not ev.subjects_fit({"legge elettorale"}, {"legge bilancio"})
    assert ev.subjects_fit(set(), {"legge bilancio"})  # one says nothing: no veto


@pytest.mark.parametrize("text", [
    "La strada è stata messa in sicurezza dai vigili.",
    "Il processo di pace resta fermo.",
    "Il governo ha approvato la legge di bilancio.",
    "I droni per le consegne a domicilio arrivano in città.",
    "Il sindaco si è esibito in una lunga difesa del bilancio.",
])
def test_words_that_only_look_like_events(text):
    assert ev.event_words(text) == []


def test_a_denied_event_word_names_no_event():
    assert ev.read_sentence("Trenta giorni senza attacchi alle centrali.", []).words == []


FEB12, MAR18 = dt.date(2025, 2, 12), dt.date(2025, 3, 18)


def _relation(text, dates=(), main_kind="call", main_date=MAR18, planned=False, months=()):
    return ev.sentence_relation(ev.read_sentence(text, list(dates), list(months)), main_kind, main_date, planned)


def test_a_sentence_is_about_its_articles_event_unless_it_points_elsewhere():
    assert _relation("La telefonata è durata due ore e mezza.") == "main"
    assert _relation("I due leader hanno concordato uno scambio di prigionieri.") == "main"
    text = "La telefonata di oggi arriva dopo quella del 12 febbraio, durata novanta minuti."
    assert _relation(text, dates=[(text.index("12 febbraio"), FEB12)]) == "other"
    assert _relation("Il precedente colloquio era durato novanta minuti.") == "other"
    assert _relation("Una nuova telefonata è prevista la prossima settimana.") == "other"
    assert _relation("A febbraio la telefonata era durata novanta minuti.") == "other"
    assert _relation("A febbraio i due avevano parlato per novanta minuti.", months=[(2, dt.date(2025, 2, 1))]) == "other"
    assert _relation("Il vertice di Bruxelles si è chiuso senza accordo.") == "other"  # another kind of event


def test_parts_of_an_event_are_the_event():
    assert _relation("La messa funebre è iniziata alle 11.", main_kind="funeral", main_date=None) == "main"
    assert _relation("Il corteo funebre è partito da casa.", main_kind="funeral", main_date=None) == "main"
    assert _relation("Ai funerali dell'11 aprile avevano partecipato in molti.", main_kind="mass", main_date=None) == "other"


def test_a_date_the_text_marks_as_another_occasion_is_never_the_events():
    text = "La telefonata, la prima dopo quella del 12 febbraio, è durata due ore."
    r = ev.read_sentence(text, [(text.index("12 febbraio"), FEB12)])
    assert r.dates[0][2]  # marked
    sentences = pl.DataFrame({"sid": [0, 1], "doc_id": ["d", "d"], "sent_no": [0, 1]})
    readings = {0: r, 1: ev.read_sentence("Trump e Putin si sono sentiti oggi.", [(26, MAR18)])}
    frames = ev.document_frames(sentences, readings, {"d": MAR18}, {}, {}, {}, lead_sentences=4)
    assert frames["d"].kind == "call" and frames["d"].date == MAR18


def test_a_later_date_is_not_a_past_events_date():
    text = "Lo sciopero generale, e il 13 novembre si replica."
    r = ev.read_sentence(text, [(text.index("13 novembre"), dt.date(2026, 11, 13))])
    sentences = pl.DataFrame({"sid": [0], "doc_id": ["d"], "sent_no": [0]})
    frames = ev.document_frames(sentences, {0: r}, {"d": dt.date(2026, 10, 16)}, {}, {}, {}, lead_sentences=4)
    assert frames["d"].kind == "strike" and frames["d"].date is None


def test_every_event_kind_is_declared_in_the_schema():
    from pipeline.schemas import EVENT_TYPES

    produced = {kind for _, kind in ev.EVENT_WORDS} | {ev.GENERIC_KIND, ev.STATEMENT_KIND, ev.UNKNOWN_KIND}
    assert produced <= set(EVENT_TYPES), sorted(produced - set(EVENT_TYPES))
    assert set(ev.EVENT_KIND_LABELS) == set(EVENT_TYPES)


# --- what a value measures -----------------------------------------------------------------------

def test_nouns_fold_onto_their_family():
    assert fold_noun("fedeli") == fold_noun("manifestanti") == fold_noun("persone") == "persone"
    assert fold_noun("detenuti") == fold_noun("prigionieri")
    assert fold_noun("visitatori") != fold_noun("persone")


@pytest.mark.parametrize("before, after, modality", [
    ("per i funerali sono attese ", " persone", "forecast"),
    ("la prefettura prevede fino a ", " persone", "forecast"),
    ("alle 9 in piazza erano già ", "", "provisional"),
    ("al momento i feriti sono ", "", "provisional"),
    ("qualora dovessero arrivare ", " persone", "hypothetical"),
    ("in piazza sono scese ", " persone", "outcome"),
    ("al momento del voto si sono contati ", " astenuti", "outcome"),
])
def test_modality_of_a_count(before, after, modality):
    assert modality_of(before, after, is_count=True) == modality


def test_who_gives_a_figure():
    assert attribution_in("Secondo la Questura i manifestanti erano 30mila.", [])[0] == "questura"
    assert attribution_in("Per gli organizzatori in piazza c'erano 100mila persone.", [])[0] == "organizzatori"
    assert attribution_in("Il Comune ne ha invece contate duecentomila.", [])[0] == "comune"
    assert attribution_in("In piazza c'erano 100mila persone.", [])[0] is None
    text = "Secondo Rossi i feriti sono dodici."
    assert attribution_in(text, [(8, 13, "mario-rossi")])[0] == "mario-rossi"


def test_the_speaker_of_a_reported_statement():
    text = "Il ministro Bianchi ha dichiarato che l'accordo non è realistico."
    assert sentence_speaker(text, [(12, 19, "luca-bianchi")]) == "luca-bianchi"
    assert sentence_speaker("L'accordo non è realistico, secondo alcuni.", []) is None


def test_times_of_day_as_intervals():
    (_, _, low, high, q, _), = time_of_day("La scossa è stata avvertita alle 5.30 del mattino.")
    assert (low, high, q) == (330, 330, "exact")
    (_, _, low, high, _, _), = time_of_day("La scossa è arrivata poco dopo le sei.")
    assert (low, high) == (360, 390)
    assert time_of_day("Il governo ha approvato la riforma.") == []


def test_bare_counts_of_people():
    found = bare_people_counts("In piazza erano 35mila, secondo la Questura.", [])
    assert [(low, high, q) for _, _, low, high, q, _ in found] == [(35000, 35000, "exact")]
    found = bare_people_counts("Erano duecentocinquantamila le persone venute a salutarlo.", [])
    assert found[0][2] == 250000
    assert bare_people_counts("Oltre 200mila delle quali lungo il percorso.", [])[0][3] is None  # open above
    assert bare_people_counts("In 34 città si sono svolti cortei.", []) == []  # a count of cities, small
    text = "In piazza erano 35mila."
    assert bare_people_counts(text, [(text.index("35mila"), len(text) - 1)]) == []  # already a quantity




# --- round 2: set phrases, wide scopes, snapshots, pluperfects, content identification -------------

from pipeline.agreement.facts import _object_term, _scope_of, is_set_phrase, snapshot_scope  # noqa: E402


@pytest.mark.parametrize("before, value, expected", [
    ("la diplomazia dei ", 2, True),        # "dei due Paesi"
    ("i ", 2, True),                        # "i due leader"
    ("tra le ", 3, True),                   # "tra le tre delegazioni"
    ("hanno firmato ", 7, False),           # "hanno firmato sette accordi": a figure
    ("sono stati ", 2, False),              # "i feriti sono stati due"
    ("i ", 35000, False),                   # a large number is never a set phrase
])
def test_a_small_count_after_a_definite_article_is_a_set_phrase(before, value, expected):
    assert is_set_phrase(before, value, value) is expected


@pytest.mark.parametrize("text, number, scope", [
    ("Nelle piazze di tutto il Paese, secondo i sindacati, hanno sfilato 300mila persone.", "300mila", "nazionale"),
    ("In tutta Italia i manifestanti erano 500mila.", "500mila", "nazionale"),
    ("A Torino i manifestanti erano 20mila.", "20mila", None),
    ("Davanti ai maxischermi si sono radunate altre 8mila persone.", "8mila", "aggiuntivo"),
    ("Soltanto a Visso le famiglie fuori casa sono una quarantina, dice il sindaco.", "una quarantina", "sottoinsieme"),
    ("Gli sfollati sono 70 solo nel nostro comune.", "70", "sottoinsieme"),
    ("Alla veglia si sono presentati solo in 300, meno del previsto.", "300", None),  # only 300: no place
])
def test_a_country_wide_count_an_extra_crowd_and_one_place_of_several_have_their_own_scope(text, number, scope):
    start = text.index(number)
    end = start + len(number)
    assert _scope_of(text, start, end, text[max(0, start - 60):start].lower(), text[end:end + 60].lower()) == scope


@pytest.mark.parametrize("noun, family", [
    ("persoone", "persone"), ("sfolati", "sfollati"), ("prigionierri", "prigionieri"),
    ("fertili", "fertile"),  # a real word one slip from "feriti" stays itself
])
def test_a_counted_noun_typed_with_one_slip_is_read_as_its_family(noun, family):
    from pipeline.agreement.facts import fold_noun

    assert fold_noun(noun) == family


def test_a_snapshot_count_is_scoped_by_its_hour():
    assert snapshot_scope("alle 9 in piazza c'erano già ", "") == "ore 9.00"
    assert snapshot_scope("già alle 11.30 si contavano ", "") == "ore 11.30"
    assert snapshot_scope("in piazza c'erano ", "") is None


def test_a_pluperfect_with_an_irregular_participle_names_an_earlier_occasion():
    text = "Il corteo del 9 luglio si era svolto in piazza Dante."
    r = ev.read_sentence(text, [(text.index("9 luglio"), dt.date(2026, 7, 9))])
    assert r.past_cue
    assert ev.sentence_relation(r, "demonstration", None, False) == "other"


def test_a_future_sentence_never_dates_a_past_event():
    text = "I due leader torneranno a sentirsi il 23 dicembre."
    r = ev.read_sentence(text, [(text.index("23 dicembre"), dt.date(2025, 12, 23))])
    sentences = pl.DataFrame({"sid": [0, 1], "doc_id": ["d", "d"], "sent_no": [0, 1]})
    readings = {0: ev.read_sentence("Nuova telefonata tra i due leader.", []), 1: r}
    frames = ev.document_frames(sentences, readings, {"d": dt.date(2025, 12, 2)}, {}, {}, {}, lead_sentences=4)
    assert frames["d"].date is None


def test_the_object_of_a_predicate_tells_two_agreements_apart():
    def seq(text):
        t = token_table(pl.Series([text]))
        return list(zip(t["word"].cast(pl.Utf8).to_list(), t["lemma"].cast(pl.Utf8).fill_null("").to_list(),
                        t["is_break"].to_list(), t["term"].cast(pl.Utf8).to_list()))
    a = seq("I due leader hanno concordato uno scambio di prigionieri.")
    b = seq("I due leader non hanno concordato di rivedersi presto.")
    ia = next(i for i, x in enumerate(a) if x[0] == "concordato")
    ib = next(i for i, x in enumerate(b) if x[0] == "concordato")
    assert _object_term(a, ia) != _object_term(b, ib)


def test_kinds_that_are_parts_of_each_other_are_compatible_but_a_funeral_is_not_its_mass():
    assert "demonstration" in ev.compatible_kinds("strike") and "strike" in ev.compatible_kinds("demonstration")
    assert "call" in ev.compatible_kinds("talks") and "talks" in ev.compatible_kinds("call")
    assert "mass" not in ev.compatible_kinds("funeral") and "funeral" not in ev.compatible_kinds("mass")


def test_a_day_named_without_a_year_takes_the_nearest_year():
    assert ev.day_in_year_of((12, 30), dt.date(2026, 1, 2)) == dt.date(2025, 12, 30)
    assert ev.day_in_year_of((3, 10), dt.date(2026, 3, 12)) == dt.date(2026, 3, 10)


def _frame(doc, date=None, published=None, content=(), **kw):
    return ev.Frame(doc, "call", date, published, frozenset({"trump", "putin"}), frozenset(), frozenset(),
                    content=frozenset(content), **kw)


def _two_calls():
    frames = {
        "m1": _frame("m1", dt.date(2026, 3, 10), dt.date(2026, 3, 10), {"energia", "tregua", "#duration:120.0"}),
        "m2": _frame("m2", dt.date(2026, 3, 10), dt.date(2026, 3, 11), {"energia", "centrali", "#duration:120.0"}),
        "y1": _frame("y1", dt.date(2026, 5, 19), dt.date(2026, 5, 19), {"grano", "porti", "#duration:40.0"}),
        "y2": _frame("y2", dt.date(2026, 5, 19), dt.date(2026, 5, 20), {"grano", "mar", "#duration:40.0"}),
    }
    return frames


def test_an_undated_report_joins_the_call_its_words_and_figures_identify():
    frames = _two_calls()
    frames["u"] = _frame("u", content={"grano", "porti", "mar", "#duration:40.0"})
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["y1"] and "u" in of_doc["u"].joined_by_words


def test_an_undated_report_that_cannot_tell_two_calls_apart_abstains():
    frames = _two_calls()
    frames["u"] = _frame("u", content={"telefonata", "lunga"})  # nothing of either call
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"].identified_by == "article" and of_doc["u"].docs == ["u"]


def test_the_day_an_undated_report_names_rules_out_another_call():
    frames = _two_calls()
    # the words of the May call, but "martedì 10 marzo": it can only be the March call, or none
    frames["u"] = _frame("u", content={"grano", "porti", "#duration:40.0"}, day_month=(3, 10))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["y1"]


def test_a_publication_day_with_a_guessed_year_still_rules_out_calls_far_from_it():
    # "quasi due mesi fa, il 18 agosto": published about 18 October, year unknown (guessed from the corpus)
    frames = _two_calls()
    frames["u"] = _frame("u", content={"energia", "tregua", "#duration:120.0"}, published_day_month=(10, 18))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["m1"] and of_doc["u"] is not of_doc["y1"]
    # positive control: published about the March call's day, the same words join it
    frames["u"] = _frame("u", content={"energia", "tregua", "#duration:120.0"}, published_day_month=(3, 11))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["m1"]


def test_a_month_marked_as_another_occasion_rules_that_call_out():
    frames = _two_calls()
    # "nella precedente telefonata, quella di marzo, …": not the March call
    frames["u"] = _frame("u", content={"energia", "tregua", "#duration:120.0"}, other_months=frozenset({3}))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["m1"]
