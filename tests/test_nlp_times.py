"""Time expressions: what is found, how it resolves against the publication date, what is not."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.nlp.times import (
    extract_time_expressions,
    find_time_expressions,
    resolve_day_month,
    resolve_month,
    resolve_weekday,
)
from pipeline.schemas import TABLES

PUB = dt.date(2025, 3, 6)  # a Thursday


def one(text: str, pub: dt.date | None = PUB):
    found = find_time_expressions(text, pub)
    assert len(found) == 1, [f.surface for f in found]
    return found[0]


def surfaces(text: str, pub: dt.date | None = PUB) -> list[str]:
    return [t.surface for t in find_time_expressions(text, pub)]


# --- absolute dates ------------------------------------------------------------------------------


def test_full_date_is_absolute_day():
    t = one("Il decreto è stato firmato il 3 gennaio 2024 a Roma.")
    assert (t.surface, t.value_date, t.granularity, t.is_relative) == ("3 gennaio 2024", dt.date(2024, 1, 3), "day", False)


def test_numeric_date_and_first_of_month():
    assert one("La riunione del 05/11/2023 è stata rinviata.").value_date == dt.date(2023, 11, 5)
    assert one("Dal 1° luglio 2024 cambiano le regole.").value_date == dt.date(2024, 7, 1)


def test_impossible_numeric_date_is_ignored():
    assert surfaces("Il codice 31/13/2024 non è una data.") == []


def test_month_and_year():
    t = one("L'accordo risale a novembre 2021.")
    assert (t.value_date, t.granularity, t.is_relative) == (dt.date(2021, 11, 1), "month", False)


def test_year_needs_a_preposition():
    t = one("Le sanzioni sono in vigore dal 2014.")
    assert (t.surface, t.value_date, t.granularity) == ("2014", dt.date(2014, 1, 1), "year")
    assert surfaces("Sono arrivati 2000 soldati e 175 prigionieri.") == []
    assert surfaces("Nel 2023 il 5% dei voti.") == ["2023"]


def test_not_time_expressions():
    for text in ("L'Articolo 5 della NATO vale per tutti.", "Il ragazzo ha 15 anni.",
                 "Il vertice del G7 a Borgo Egnazia.", "Ci vediamo alle 10.30 in piazza.",
                 "Sono stati lanciati 300 droni."):
        assert surfaces(text) == [], text


# --- year-less dates ------------------------------------------------------------------------------


def test_day_month_takes_the_year_of_the_nearest_past_occurrence():
    t = one("Il primo incontro si era svolto il 18 novembre.")
    assert (t.value_date, t.is_relative) == (dt.date(2024, 11, 18), True)
    assert one("Ne avevano parlato l'8 marzo.", dt.date(2025, 3, 10)).value_date == dt.date(2025, 3, 8)


def test_day_month_just_after_publication_is_the_coming_one():
    # published 6 March: "10 marzo" is 4 days ahead, 361 days back
    assert one("Il voto è fissato al 10 marzo.").value_date == dt.date(2025, 3, 10)


def test_direction_words_force_past_or_future():
    assert one("Il vertice è previsto il prossimo 2 marzo.").value_date == dt.date(2026, 3, 2)
    assert one("Lo aveva detto lo scorso 10 marzo.").value_date == dt.date(2024, 3, 10)


def test_resolvers_without_publication_date_give_null():
    assert one("Si sono visti il 18 agosto.", None).value_date is None
    assert resolve_day_month(18, 8, None) is None
    assert resolve_weekday(2, None, None) is None
    assert resolve_month(2, None) is None


def test_month_without_year_after_preposition():
    t = one("Le elezioni si terranno a giugno.")
    assert (t.surface, t.value_date, t.granularity) == ("giugno", dt.date(2025, 6, 1), "month")
    assert one("A gennaio i prezzi erano scesi.").value_date == dt.date(2025, 1, 1)


def test_capitalised_month_without_year_is_a_name():
    assert surfaces("Lo ha detto il sindaco di Maggio.") == []


# --- weekdays -------------------------------------------------------------------------------------


def test_bare_weekday_is_latest_on_or_before_publication():
    t = one("Il presidente ha parlato con Macron martedì.")
    assert (t.value_date, t.stated_weekday, t.is_weekday_consistent) == (dt.date(2025, 3, 4), "martedì", None)
    assert one("Giovedì il Consiglio ha approvato il testo.").value_date == PUB


def test_weekday_with_future_cue_is_the_next_one():
    assert one("Lunedì il ministro incontrerà i sindacati.").value_date == dt.date(2025, 3, 10)
    assert one("Ne discuteranno giovedì prossimo.").value_date == dt.date(2025, 3, 13)
    assert one("L'ha annunciato giovedì scorso.").value_date == dt.date(2025, 2, 27)


def test_weekday_as_a_name_is_not_a_time():
    assert surfaces("Ha risposto la consigliera Domenica Rossi.") == []


def test_stated_weekday_is_checked_against_the_date():
    wrong = one("L'incontro si è svolto venerdì 8 febbraio 2025.")
    assert (wrong.stated_weekday, wrong.is_weekday_consistent) == ("venerdì", False)
    right = one("L'incontro si è svolto sabato 8 febbraio 2025.")
    assert (right.stated_weekday, right.is_weekday_consistent) == ("sabato", True)
    t = one("È successo lo scorso venerdì 28 febbraio.")
    assert (t.surface, t.value_date, t.is_weekday_consistent) == ("lo scorso venerdì 28 febbraio", dt.date(2025, 2, 28), True)


# --- relative expressions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "granularity"),
    [
        ("Ne ha parlato oggi in conferenza stampa.", "oggi", dt.date(2025, 3, 6), "day"),
        ("Ieri sera il governo si è riunito.", "Ieri sera", dt.date(2025, 3, 5), "day"),
        ("Stamattina è arrivata la conferma.", "Stamattina", dt.date(2025, 3, 6), "day"),
        ("Domani parte la missione.", "Domani", dt.date(2025, 3, 7), "day"),
        ("L'altro ieri era a Parigi.", "L'altro ieri", dt.date(2025, 3, 4), "day"),
        ("Si vedranno la prossima settimana.", "la prossima settimana", dt.date(2025, 3, 10), "week"),
        ("Era successo la settimana scorsa.", "la settimana scorsa", dt.date(2025, 2, 24), "week"),
        ("Il mese scorso i prezzi sono saliti.", "Il mese scorso", dt.date(2025, 2, 1), "month"),
        ("L'anno scorso il Pil è cresciuto.", "L'anno scorso", dt.date(2024, 1, 1), "year"),
        ("Quest'anno il vertice è a Roma.", "Quest'anno", dt.date(2025, 1, 1), "year"),
        ("Si erano visti quasi due mesi fa.", "quasi due mesi fa", dt.date(2025, 1, 1), "month"),
        ("La guerra è cominciata tre anni fa.", "tre anni fa", dt.date(2022, 1, 1), "year"),
        ("Lo ha detto 5 giorni fa.", "5 giorni fa", dt.date(2025, 3, 1), "day"),
        ("Si rivedranno tra due settimane.", "tra due settimane", dt.date(2025, 3, 17), "week"),
    ],
)
def test_relative_expressions(text, surface, value, granularity):
    t = one(text)
    assert (t.surface, t.value_date, t.granularity, t.is_relative) == (surface, value, granularity, True)


def test_relative_expressions_without_publication_date_are_unresolved():
    t = one("Ne ha parlato ieri.", None)
    assert (t.surface, t.value_date, t.is_relative) == ("ieri", None, True)


def test_offsets_point_into_the_sentence():
    text = "Come detto ieri, il 12 febbraio 2025 Trump ha chiamato."
    for t in find_time_expressions(text, PUB):
        assert text[t.start:t.end] == t.surface


def test_ranges_between_counts_are_not_relative_periods():
    assert surfaces("Servono tra 10 e 15 giorni.") == []


# --- the table ------------------------------------------------------------------------------------


def test_extract_time_expressions_table():
    sentences = pl.DataFrame({
        "sent_id": ["a:0:0", "a:0:1", "b:0:0"],
        "doc_id": ["a", "a", "b"],
        "text": ["Ieri Trump ha parlato con Putin.", "Nessuna data qui.", "Ieri è piovuto."],
    })
    published = pl.DataFrame({"doc_id": ["a", "b"], "published_date": [dt.date(2025, 2, 13), None]})
    table = extract_time_expressions(sentences, published)
    assert table.columns == TABLES["time_expressions"].column_names
    assert table.schema == pl.Schema(TABLES["time_expressions"].polars_schema)
    rows = {r["sent_id"]: r for r in table.iter_rows(named=True)}
    assert set(rows) == {"a:0:0", "b:0:0"}
    assert rows["a:0:0"]["value_date"] == dt.date(2025, 2, 12)
    assert rows["b:0:0"]["value_date"] is None


def test_extract_time_expressions_empty_input():
    empty = pl.DataFrame(schema={"sent_id": pl.Utf8, "doc_id": pl.Utf8, "text": pl.Utf8})
    published = pl.DataFrame(schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    assert extract_time_expressions(empty, published).is_empty()


def test_vectorised_gate_never_drops_an_expression():
    texts = [
        "Lo scorso venerdì 8 febbraio si sono visti.", "Ne hanno parlato ieri sera.", "Nel 2022 è cominciata.",
        "Si vedranno la prossima settimana.", "Quasi due mesi fa, il 18 agosto.", "L'altro ieri.",
        "Venerdi scorso, a Roma.", "Stamane è arrivata la notizia.", "Quest'anno si vota.",
        "Nessuna data in questa frase.", "Hanno detto che lo sanno.",
    ]
    sentences = pl.DataFrame({"sent_id": [f"d:0:{i}" for i in range(len(texts))], "doc_id": ["d"] * len(texts), "text": texts})
    published = pl.DataFrame({"doc_id": ["d"], "published_date": [PUB]})
    table = extract_time_expressions(sentences, published)
    expected = sum(len(find_time_expressions(t, PUB)) for t in texts)
    assert expected >= 10
    assert table.height == expected


def _table_for(text: str, published: dt.date | None, corpus_year: int | None):
    sentences = pl.DataFrame({"sent_id": ["d:0:0"], "doc_id": ["d"], "text": [text]})
    published_frame = pl.DataFrame({"doc_id": ["d"], "published_date": [published]},
                                   schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    return extract_time_expressions(sentences, published_frame, corpus_year)


def test_undated_article_dates_a_yearless_day_month_in_the_corpus_year_and_checks_its_weekday():
    out = _table_for("Il ministro ha firmato il decreto lo scorso venerdì 8 febbraio, poi ieri ha parlato.",
                     None, 2025)
    by_surface = {row["surface"]: row for row in out.iter_rows(named=True)}
    dated = by_surface["lo scorso venerdì 8 febbraio"]
    assert dated["value_date"] == dt.date(2025, 2, 8)  # a Saturday in 2025
    assert dated["is_weekday_consistent"] is False
    assert by_surface["ieri"]["value_date"] is None  # a relative day still needs the day itself


def test_corpus_year_is_not_used_without_one_or_when_the_article_is_dated():
    text = "La riunione si è tenuta lunedì 4 marzo a Bruxelles."
    assert _table_for(text, None, None)["value_date"].to_list() == [None]
    dated = _table_for(text, dt.date(2024, 3, 10), 2025)
    assert dated["value_date"].to_list() == [dt.date(2024, 3, 4)]
    assert dated["is_weekday_consistent"].to_list() == [True]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Il decreto sarà firmato domani.", dt.date.max),
        ("Lo ha detto ieri il ministro.", dt.date.min),
        ("Se ne riparlerà la prossima settimana.", dt.date(9999, 12, 30)),
        ("Tra 999 anni nessuno se ne ricorderà.", dt.date(9500, 1, 1)),
        ("Tre anni fa si era votato.", dt.date(2, 6, 1)),
        ("Lunedì prossimo si vota.", dt.date.max),
    ],
)
def test_a_publication_date_at_the_calendar_edge_leaves_the_expression_unresolved(text, published):
    found = find_time_expressions(text, published)
    assert len(found) == 1 and found[0].value_date is None
    assert text[found[0].start:found[0].end] == found[0].surface


def test_the_guard_drops_any_expression_that_breaks_the_contract():
    from pipeline.nlp.times import TimeExpression, is_well_formed

    text = "Si vota il 12 febbraio 2025."
    good = TimeExpression(11, 27, "12 febbraio 2025", dt.date(2025, 2, 12), "day", False)
    assert is_well_formed(good, text)
    for bad in (
        TimeExpression(11, 11, "", None, "day", False),
        TimeExpression(11, 40, "12 febbraio 2025", None, "day", False),
        TimeExpression(10, 26, "12 febbraio 2025", None, "day", False),
        TimeExpression(11, 27, "12 febbraio 2025", None, "hour", False),
        TimeExpression(11, 27, "12 febbraio 2025", None, "day", False, stated_weekday="friday"),
    ):
        assert not is_well_formed(bad, text), bad
