"""Quantities: kinds, canonical units, intervals by qualifier, and what must not be read."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.nlp.quantities import ALMOST_LOW_FACTOR, extract_quantities, find_quantities, number_value
from pipeline.schemas import QUALIFIERS, QUANTITY_KINDS, TABLES


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, [q.surface for q in found]
    q = found[0]
    return (q.surface, q.kind, q.unit, q.noun, q.low, q.high, q.qualifier)


@pytest.mark.parametrize(
    ("token", "value"),
    [("1.000", 1000), ("3,5", 3.5), ("1.234,5", 1234.5), ("12", 12), ("tre", 3), ("1,2 milioni", 1_200_000),
     ("due milioni", 2_000_000), ("300mila", 300_000), ("un miliardo", 1_000_000_000),
     ("quarantasette", 47), ("ventotto", 28), ("ventitré", 23), ("centottanta", 180),
     ("duecentocinquanta", 250), ("ventimila", 20_000), ("ventiuno", None)],
)
def test_italian_number_formats(token, value):
    assert number_value(token) == value


@pytest.mark.parametrize(
    ("words", "value"),
    # compounds the lexicon lacks, read by text2num
    [("milleduecento", 1200), ("duemilacinquecento", 2500), ("ventunmila", 21_000), ("centunmila", 101_000),
     ("un milione e duecentomila", 1_200_000), ("tre milioni e quattrocentomila", 3_400_000),
     # lexicon spellings text2num reads wrongly or not at all: the lexicon answers first
     ("centottantuno", 181), ("duecentottantotto", 288),
     # not numbers
     ("ventiuno", None), ("secondo", None), ("mezzo", None)],
)
def test_number_words_beyond_the_lexicon(words, value):
    assert number_value(words) == value


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("Al corteo hanno partecipato un milione e duecentomila persone.", "un milione e duecentomila persone", 1_200_000),
     ("In piazza c'erano ventunmila persone.", "ventunmila persone", 21_000),
     ("Allo stadio sono entrati due milioni di tifosi.", "due milioni di tifosi", 2_000_000)],
)
def test_number_words_in_sentences(text, surface, value):
    (q,) = [q for q in find_quantities(text) if q.kind == "count"]
    assert (q.surface, q.low, q.high) == (surface, value, value)


def test_a_number_after_millions_and_e_is_read_with_them_only_when_it_is_thousands():
    # "e tre" after "due milioni" begins another statement: it is not 2,000,003.
    found = [(q.surface, q.low) for q in find_quantities("Sono arrivati due milioni di euro e tre ambulanze.")]
    assert ("due milioni di euro", 2_000_000) in found and all(low != 2_000_003 for _, low in found)


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il colloquio è durato circa un'ora e mezza.", ("circa un'ora e mezza", 90.0, 90.0, "about")),
        ("Hanno parlato per più di un'ora.", ("più di un'ora", 60.0, None, "more_than")),
        ("La riunione è durata quasi tre ore.", ("quasi tre ore", 180.0 * ALMOST_LOW_FACTOR, 180.0, "almost")),
        ("Il vertice è durato tre o quattro ore.", ("tre o quattro ore", 180.0, 240.0, "range")),
        ("Ha corso la maratona in 2h05'.", ("2h05'", 125.0, 125.0, "exact")),
        ("La pausa dura 40 minuti.", ("40 minuti", 40.0, 40.0, "exact")),
        ("È bastata mezz'ora.", ("mezz'ora", 30.0, 30.0, "exact")),
        ("L'attesa è stata di oltre due ore.", ("oltre due ore", 120.0, None, "more_than")),
        ("Servirà almeno due ore di lavoro.", ("almeno due ore", 120.0, None, "at_least")),
        ("Il treno può ritardare fino a 15 minuti.", ("fino a 15 minuti", None, 15.0, "at_most")),
        ("Ci vogliono tra 10 e 15 minuti.", ("tra 10 e 15 minuti", 10.0, 15.0, "range")),
        ("Il volo dura un'ora circa.", ("un'ora circa", 60.0, 60.0, "about")),
        ("È stato in carcere per due settimane.", ("due settimane", 14.0, 14.0, "exact")),
    ],
)
def test_durations(text, expected):
    surface, kind, unit, noun, low, high, qualifier = one(text)
    assert (kind, noun) == ("duration", None)
    assert (surface, low, high, qualifier) == expected
    assert unit in ("minute", "day")


def test_word_ora_alone_is_now_not_an_hour():
    assert find_quantities("Ora il governo deve decidere.") == []
    assert find_quantities("Alle ore 10 inizia la seduta.") == []


def test_years_age_or_duration():
    assert one("Il ragazzo ha 15 anni.")[:2] == ("15 anni", "age")
    assert one("Un uomo di 45 anni è stato arrestato.")[:2] == ("45 anni", "age")
    assert one("È in carcere da tre anni.")[1:5] == ("duration", "year", None, 3.0)
    assert find_quantities("Gli ultimi 15 anni sono stati difficili.")  # duration after "ultimi"
    assert find_quantities("Tre anni fa è iniziata la guerra.") == []  # a time expression


# --- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "noun", "low", "high", "qualifier"),
    [
        ("Sono stati liberati 175 prigionieri.", "prigionieri", 175.0, 175.0, "exact"),
        ("Nella notte sono arrivati oltre 300 droni d'attacco.", "droni", 300.0, None, "more_than"),
        ("La Russia ha lanciato 37 missili.", "missili", 37.0, 37.0, "exact"),
        ("Sono scese in piazza migliaia di persone.", "persone", 2000.0, None, "at_least"),
        ("Sono morti milioni di civili.", "civili", 2_000_000.0, None, "at_least"),
        ("Il conflitto ha coinvolto due milioni di persone.", "persone", 2_000_000.0, 2_000_000.0, "exact"),
        ("Sono stati fermati una decina di manifestanti.", "manifestanti", 10.0, 10.0, "about"),
        ("All'evento c'erano un centinaio di giornalisti.", "giornalisti", 100.0, 100.0, "about"),
        ("Ha ricevuto 1.000 richieste.", "richieste", 1000.0, 1000.0, "exact"),
        ("Erano presenti da 10 a 15 delegati.", "delegati", 10.0, 15.0, "range"),
    ],
)
def test_counts(text, noun, low, high, qualifier):
    surface, kind, unit, found_noun, found_low, found_high, found_qualifier = one(text)
    assert (kind, unit, found_noun) == ("count", "item", noun)
    assert (found_low, found_high, found_qualifier) == (low, high, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "L'Articolo 5 del trattato vale per tutti.",
        "Il vertice del G7 si è chiuso.",
        "Kiev aspetta gli F-16 promessi.",
        "Il 12 febbraio 2025 c'è stata la telefonata.",
        "Nel 2022 è cominciata l'invasione.",
        "La seduta inizia alle 10.30.",
        "Chiamare lo 06 1234 5678 per informazioni.",
        "Una telefonata lunga e cordiale.",
        "È arrivato 1° nella classifica.",
        "Entrambi i due vogliono la pace.",
        "Ha vinto per la seconda volta.",
        "Il comma 3 dell'articolo 12 è abrogato.",
    ],
)
def test_not_quantities(text):
    assert find_quantities(text) == [], [q.surface for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "surface", "noun", "low", "high", "qualifier"),
    [
        ("I voti contrari sono stati 18.", "18", "voti", 18.0, 18.0, "exact"),
        ("Gli sfollati sono stati circa duemila, secondo l'Onu.", "circa duemila", "sfollati", 2000.0, 2000.0, "about"),
        ("Le vittime sono salite a 30.", "30", "vittime", 30.0, 30.0, "exact"),
        ("«I feriti sono stati più di cinquanta»", "più di cinquanta", "feriti", 50.0, None, "more_than"),
    ],
)
def test_a_number_closing_the_clause_counts_its_subject(text, surface, noun, low, high, qualifier):
    assert one(text) == (surface, "count", "item", noun, low, high, qualifier)


def test_in_n_after_a_verb_counts_people():
    assert one("Alla fine hanno votato in 212.") == ("212", "count", "item", None, 212.0, 212.0, "exact")
    assert one("Si sono astenuti in circa venti.")[4:] == (20.0, 20.0, "about")
    assert find_quantities("Il documento è diviso in 3.") == []  # not a verb form of acting people
    assert find_quantities("Ne parleremo in 2 minuti di pausa.")[0].kind == "duration"


def test_predicate_needs_the_number_to_close_the_clause():
    assert find_quantities("I risultati sono stati 5 volte migliori del previsto.") == []
    assert find_quantities("Gli accordi sono stati firmati nel 2020.") == []


def test_qualifier_may_take_an_article():
    assert one("Ha aderito oltre il 50 per cento dei lavoratori.")[4:] == (50.0, None, "more_than")
    assert one("Ha votato più del 60% degli iscritti.")[4:] == (60.0, None, "more_than")
    assert one("È stato abbattuto circa il 30% dei droni.")[4:] == (30.0, 30.0, "about")
    assert one("Sono arrivati oltre i 300 droni.")[4:] == (300.0, None, "more_than")


def test_oltre_a_means_besides_not_more_than():
    assert one("Oltre ai 300 droni sono stati lanciati missili.")[6] == "exact"


# --- money and percent ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "low", "high", "qualifier"),
    [
        ("Il contratto vale 1,2 milioni di euro.", "EUR", 1_200_000.0, 1_200_000.0, "exact"),
        ("Un aiuto da 50 miliardi di dollari.", "USD", 50e9, 50e9, "exact"),
        ("Il biglietto costa € 25.", "EUR", 25.0, 25.0, "exact"),
        ("Ha offerto $ 300 di cauzione.", "USD", 300.0, 300.0, "exact"),
        ("Una multa di oltre 5.000 euro.", "EUR", 5000.0, None, "more_than"),
        ("Un danno da 1,5-2 milioni di euro.", "EUR", 1_500_000.0, 2_000_000.0, "range"),
    ],
)
def test_money(text, unit, low, high, qualifier):
    surface, kind, found_unit, noun, found_low, found_high, found_qualifier = one(text)
    assert (kind, found_unit, noun) == ("money", unit, None)
    assert (found_low, found_high, found_qualifier) == (low, high, qualifier)


def test_percent():
    assert one("L'inflazione è al 3,5%.")[1:7] == ("percent", "percent", None, 3.5, 3.5, "exact")
    assert one("Ha votato sì il 30 per cento.")[1:7] == ("percent", "percent", None, 30.0, 30.0, "exact")
    assert one("Il calo è di quasi 2 punti percentuali.")[2] == "percentage_point"


def test_offsets_and_value_sets():
    text = "Dopo circa un'ora e mezza, 175 prigionieri e il 30% dei fondi, per 2 milioni di euro."
    found = find_quantities(text)
    assert [q.surface for q in found] == ["circa un'ora e mezza", "175 prigionieri", "30%", "2 milioni di euro"]
    for q in found:
        assert text[q.start:q.end] == q.surface
        assert q.kind in QUANTITY_KINDS and q.qualifier in QUALIFIERS


def test_extract_quantities_table():
    sentences = pl.DataFrame({
        "sent_id": ["a:0:0", "a:0:1"],
        "doc_id": ["a", "a"],
        "text": ["Sono stati lanciati 300 droni.", "Nessun numero qui."],
    })
    table = extract_quantities(sentences)
    assert table.columns == TABLES["quantities"].column_names
    assert table.schema == pl.Schema(TABLES["quantities"].polars_schema)
    assert table.select("sent_id", "noun", "low").rows() == [("a:0:0", "droni", 300.0)]
    empty = pl.DataFrame(schema={"sent_id": pl.Utf8, "doc_id": pl.Utf8, "text": pl.Utf8})
    assert extract_quantities(empty).is_empty()


def test_vectorised_gate_never_drops_a_quantity():
    texts = [
        "Circa un'ora e mezza.", "Una settimana di trattative.", "Un paio d'ore.", "Mezz'ora di attesa.",
        "Sei persone ferite.", "Un centinaio di soldati.", "Migliaia di persone.", "€ 25 a testa.",
        "Il 30 per cento.", "Durato un’ora.", "Trenta feriti.", "Nessun numero in questa frase.",
        "Ventotto feriti.", "Duemila persone.", "Trentuno ore e mezza.",
    ]
    sentences = pl.DataFrame({"sent_id": [f"d:0:{i}" for i in range(len(texts))], "doc_id": ["d"] * len(texts), "text": texts})
    expected = sum(len(find_quantities(t)) for t in texts)
    assert expected >= 14
    assert extract_quantities(sentences).height == expected


# --- descending and odd ranges: read correctly, or not read at all; never low > high ---------------


def readings(text: str) -> list[tuple]:
    return [(q.surface, q.kind, q.unit, q.noun, q.low, q.high, q.qualifier) for q in find_quantities(text)]


def test_a_descending_da_a_is_a_change_read_as_two_values():
    assert readings("Nel fine settimana i presidi sono passati da 300 a 200 persone.") == [
        ("300", "count", "item", "persone", 300.0, 300.0, "exact"),
        ("200 persone", "count", "item", "persone", 200.0, 200.0, "exact"),
    ]
    assert readings("La seduta si è accorciata da 5 a 3 ore.") == [
        ("5", "duration", "minute", None, 300.0, 300.0, "exact"),
        ("3 ore", "duration", "minute", None, 180.0, 180.0, "exact"),
    ]
    assert readings("La disoccupazione è scesa dal 9 al 7 per cento.") == [
        ("9", "percent", "percent", None, 9.0, 9.0, "exact"),
        ("7 per cento", "percent", "percent", None, 7.0, 7.0, "exact"),
    ]


def test_an_ascending_da_a_after_a_verb_of_change_is_a_change_too():
    assert readings("Il bilancio delle vittime è salito da 12 a 15 morti.") == [
        ("12", "count", "item", "morti", 12.0, 12.0, "exact"),
        ("15 morti", "count", "item", "morti", 15.0, 15.0, "exact"),
    ]
    # without a verb of change it is an interval, as before
    assert readings("Il tragitto richiede da 20 a 30 minuti.") == [
        ("da 20 a 30 minuti", "duration", "minute", None, 20.0, 30.0, "range")]


def test_tra_e_is_an_interval_whatever_the_order():
    assert readings("Secondo i sondaggi il partito perderebbe tra il 5 e il 3 per cento.") == [
        ("tra il 5 e il 3 per cento", "percent", "percent", None, 3.0, 5.0, "range")]
    assert readings("Il calo è stimato fra il 3 e il 5 per cento.") == [
        ("fra il 3 e il 5 per cento", "percent", "percent", None, 3.0, 5.0, "range")]
    assert readings("Sono attesi tra 800 e 600 delegati.") == [
        ("tra 800 e 600 delegati", "count", "item", "delegati", 600.0, 800.0, "range")]
    assert readings("Ci vorranno quattro o tre ore.") == [
        ("quattro o tre ore", "duration", "minute", None, 180.0, 240.0, "range")]


@pytest.mark.parametrize(
    "text",
    [
        "La stagione 2024-25 si è chiusa con 40 partite.",  # a season: only the 40 matches are read
        "Il bilancio 2024-2025 si è chiuso in pareggio con 40 partite.",
        "date 2025-04 notizie 40 partite",  # a scraped metadata line
        "Pubblicato il 2025-04-12 persone 40 partite",
        "La partita è finita 3-1 per la Roma, davanti a 40 partite di stagione.",
        "Il Milan ha vinto 1-2 in trasferta dopo 40 partite.",
        "Il derby si è chiuso 2-2 dopo 40 partite.",
        "Il voto è fissato per il 10/12 con 40 partite.",
        "Ha segnato 3-1 gol e giocato 40 partite.",
    ],
)
def test_dates_seasons_and_scores_are_not_quantities(text):
    assert readings(text) == [("40 partite", "count", "item", "partite", 40.0, 40.0, "exact")]


@pytest.mark.parametrize(
    "text",
    [
        "Il finanziamento sarà tra 500 e 1 milione di euro.",  # 500 or 500 milioni? abstain
        "Sono stati 12-1 voti.",  # a descending pair is never a range
        "Un danno da 2-1,5 milioni di euro.",
        "Dati 2025-04 persone.",
        "Erano 10/12 persone in sala.",
    ],
)
def test_ambiguous_or_descending_pairs_read_as_nothing(text):
    assert readings(text) == []


def test_an_ascending_pair_is_still_a_range():
    assert readings("Servono 10-15 persone per turno.") == [
        ("10-15 persone", "count", "item", "persone", 10.0, 15.0, "range")]
    assert readings("Il rialzo sarà del 2–3 per cento.") == [
        ("2–3 per cento", "percent", "percent", None, 2.0, 3.0, "range")]
    assert readings("Costerà 2-3 milioni di euro.") == [
        ("2-3 milioni di euro", "money", "EUR", None, 2_000_000.0, 3_000_000.0, "range")]


def test_the_guard_drops_any_row_that_breaks_the_contract():
    from pipeline.nlp.quantities import Quantity, is_well_formed

    text = "Sono 300 persone."
    good = Quantity(5, 16, "300 persone", "count", "item", "persone", 300.0, 300.0, "exact")
    assert is_well_formed(good, text)
    for bad in (
        Quantity(5, 16, "300 persone", "count", "item", "persone", 300.0, 200.0, "range"),  # low > high
        Quantity(5, 16, "300 persone", "count", "item", "persone", float("nan"), 300.0, "exact"),
        Quantity(5, 16, "300 persone", "count", "item", "persone", float("inf"), None, "more_than"),
        Quantity(5, 16, "300 persone", "count", "item", "persone", None, None, "exact"),
        Quantity(5, 17, "300 persone", "count", "item", "persone", 300.0, 300.0, "exact"),  # surface off
        Quantity(5, 5, "", "count", "item", "persone", 300.0, 300.0, "exact"),
        Quantity(5, 16, "300 persone", "crowd", "item", "persone", 300.0, 300.0, "exact"),  # kind not declared
        Quantity(5, 16, "300 persone", "count", "item", "persone", 300.0, 300.0, "roughly"),
    ):
        assert not is_well_formed(bad, text), bad


def test_a_number_too_large_for_a_float_is_not_read():
    assert readings("Sono " + "9" * 400 + " persone.") == []


# --- page furniture: reading times and date stamps -------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Lettura 4 min", "4 min di lettura", "Tempo di lettura: 2 minuti", "Tempo di lettura: circa 3 minuti",
     "Lettura: 5 minuti", "3 minuti di lettura", "Leggi in 3 minuti", "di Anna Neri | Lettura 6 min",
     "Vertice sul grano, le richieste dei ministri 7 min di lettura"],
)
def test_a_reading_time_is_not_a_duration(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "surface", "minutes"),
    [("La telefonata è durata 4 minuti.", "4 minuti", 4.0),
     ("La telefonata è durata 4 min.", "4 min", 4.0),
     ("Ha ripreso a parlare dopo 2 minuti di silenzio.", "2 minuti", 2.0),
     # the reading of a verdict is an event: its length is a duration
     ("Dopo 20 minuti di lettura della sentenza l'aula è esplosa.", "20 minuti", 20.0),
     # "in prima lettura" is a bill's reading, not the page's
     ("Il testo approvato in prima lettura 3 minuti prima della chiusura.", "3 minuti", 3.0)],
)
def test_real_durations_beside_reading_words_stay(text, surface, minutes):
    assert one(text) == (surface, "duration", "minute", None, minutes, minutes, "exact")


@pytest.mark.parametrize(
    "text",
    ["2 MAG 2025", "Aggiornato il 2 mag alle 10:15", "Pubblicato il 12 feb. 2025 Roma", "12 feb",
     "5 GIU 2024 - 14:30", "Ultimo aggiornamento: 3 SET", "Roma, 3 set. 2024", "3 set, 10:30"],
)
def test_a_day_and_an_abbreviated_month_is_not_a_count(text):
    assert [q for q in find_quantities(text) if q.kind == "count"] == []


def test_counts_next_to_month_like_words_stay():
    # "set" and "mag…" are words and stems too: counts of them are still read
    assert one("La finale si è decisa in 3 set.") == ("3 set", "count", "item", "set", 3.0, 3.0, "exact")
    assert one("Sono arrivati 2 magistrati da Milano.") == (
        "2 magistrati", "count", "item", "magistrati", 2.0, 2.0, "exact")
    # a date stamp takes its own words only: the count after it is read
    assert one("Aggiornato il 2 mag alle 10:15: in piazza 300 persone.") == (
        "300 persone", "count", "item", "persone", 300.0, 300.0, "exact")


def test_page_furniture_never_reaches_facts_or_conflicts():
    """Run-in headlines that carry a reading time or an update stamp, beside real call durations:
    the quantities the extractor gives reach the aggregate stage, and only the real durations
    become facts (so a reading time is never compared with a call's length)."""
    from tests.helpers import FEB12, call_corpus

    def read(text):
        return [(q.surface, q.kind, q.unit, q.noun, q.low, q.high, q.qualifier) for q in find_quantities(text)]

    docs = [
        ("d1", FEB12, "La telefonata tra i due leader è durata un'ora e mezza."),
        ("d2", FEB12, "Telefonata Trump-Putin, la durata del colloquio Tempo di lettura: 3 minuti"),
        ("d3", FEB12, "Lettura 4 min La telefonata è durata un'ora e mezza."),
        ("d4", FEB12, "Aggiornato il 2 mag alle 10:15 La telefonata tra i due leader."),
        ("d5", FEB12, "Aggiornato il 3 mag alle 11:40 La telefonata tra i due leader."),
    ]
    corpus, _ = call_corpus(*[(doc, day, text, read(text)) for doc, day, text in docs])
    out = corpus.run()
    figures = out["facts"].filter(pl.col("kind") == "quantity")
    assert figures["value"].to_list() == ["un'ora e mezza", "un'ora e mezza"]
    assert out["conflicts"].height == 0
