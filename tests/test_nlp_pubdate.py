"""Publication-date inference: precedence of manifest, URL, text and corpus evidence."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.nlp.pubdate import date_from_url, dominant_year, infer_published_dates
from pipeline.nlp.times import add_months, periods_ago


def infer(*docs: tuple[str, str, str | None, dt.date | None]) -> dict[str, tuple[dt.date | None, str | None]]:
    frame = pl.DataFrame(
        [dict(zip(("doc_id", "text", "url", "manifest_date"), d)) for d in docs],
        schema={"doc_id": pl.Utf8, "text": pl.Utf8, "url": pl.Utf8, "manifest_date": pl.Date},
    )
    out = infer_published_dates(frame)
    assert out.columns == ["doc_id", "published_date", "published_date_source"]
    assert out["doc_id"].to_list() == frame["doc_id"].to_list()
    return {r[0]: (r[1], r[2]) for r in out.iter_rows()}


def single(text: str, url: str | None = None, manifest: dt.date | None = None):
    return infer(("d", text, url, manifest))["d"]


def test_manifest_wins_over_everything():
    assert single("Roma, 3 marzo 2024 – Il governo…", "https://x.it/2024/03/02/a", dt.date(2024, 3, 4)) == (
        dt.date(2024, 3, 4), "manifest")


def test_url_date_formats():
    assert date_from_url("https://www.giornale.it/esteri/2025/02/12/telefonata-trump") == dt.date(2025, 2, 12)
    assert date_from_url("https://news.it/politica/articolo-2024-11-05.html") == dt.date(2024, 11, 5)
    assert date_from_url("https://news.it/a/20231231/pezzo") == dt.date(2023, 12, 31)
    assert date_from_url("https://news.it/2025/02/pezzo") is None  # month only: no day
    assert date_from_url("https://news.it/2025/13/45/x") is None
    assert date_from_url(None) is None


def test_url_beats_text():
    assert single("Roma, 3 marzo 2024 – Il governo…", "https://x.it/2024/03/02/a") == (dt.date(2024, 3, 2), "url")


def test_dateline_and_date_line():
    assert single("Titolo\nRoma, 3 marzo 2024 – Il governo ha deciso.") == (dt.date(2024, 3, 3), "text")
    assert single("Titolo\nMILANO (ANSA), mercoledì 6 marzo 2024 - Borsa in rialzo.") == (dt.date(2024, 3, 6), "text")
    assert single("Titolo\nPubblicato il 04/03/2024 alle 10:30\nIl governo…") == (dt.date(2024, 3, 4), "text")
    assert single("Titolo\n5 marzo 2024 ore 18.00\nTesto.") == (dt.date(2024, 3, 5), "text")


def test_a_sentence_is_not_a_dateline():
    # lower-case start, and the words of a dateline never run across lines
    assert single("Titolo\nsecondo fonti, 12 febbraio 2025 - si tratta di voci.\nAltro.") == (dt.date(2025, 2, 12), "text")
    assert single("Titolo\nsecondo fonti, 12 febbraio 2025 si terrà il vertice.") == (None, None)


def test_yearless_dateline_takes_the_corpus_year():
    dated = infer(("a", "Testo.", "https://x.it/2024/05/01/a", None), ("b", "Titolo\nROMA, 12 FEB - Testo.", None, None))
    assert dated["b"] == (dt.date(2024, 2, 12), "corpus")


def test_relative_word_anchored_to_a_date():
    assert single("Testo.\nIeri, 4 marzo 2024, il consiglio si è riunito; il 1 gennaio 2024 era festa.") == (
        dt.date(2024, 3, 5), "text")
    assert single("Oggi, mercoledì 6 marzo 2024, si vota.") == (dt.date(2024, 3, 6), "text")
    assert single("Il blitz è avvenuto tre giorni fa, il 2 marzo 2024.") == (dt.date(2024, 3, 5), "text")
    # a hedge does not move the point estimate (documented convention)
    assert single("Il blitz è avvenuto quasi tre giorni fa, il 2 marzo 2024.") == (dt.date(2024, 3, 5), "text")


def test_latest_past_full_date_is_a_lower_bound():
    text = ("Il 3 gennaio 2024 era iniziato il processo. La sentenza è arrivata il 20 febbraio 2024. "
            "L'appello si terrà il 15 maggio 2024.")
    assert single(text) == (dt.date(2024, 2, 20), "text")


def test_embedded_post_dates_count():
    text = "Il post del ministro.\n— Mario Rossi (@mariorossi) 12 febbraio 2025\nAltro testo."
    assert single(text) == (dt.date(2025, 2, 12), "text")
    text = "Il post.\n— Jane Doe (@janedoe) February 14, 2025\nAltro."
    assert single(text) == (dt.date(2025, 2, 14), "text")


def test_dates_in_image_urls_are_ignored():
    assert single("![foto](https://cdn.it/uploads/2024/11/05/foto.jpg)\nIeri il governo ha deciso.") == (None, None)


def test_corpus_year_for_day_month_without_year():
    dated = infer(
        ("a", "Roma, 3 marzo 2024 – Testo.", None, None),
        ("b", "Testo.", "https://x.it/2024/05/01/b", None),
        ("c", "Testo.", None, dt.date(2023, 1, 2)),
        ("d", "Il vertice si era svolto il 18 agosto, poi più nulla.", None, None),
        ("e", "Ieri, 9 aprile, il consiglio ha approvato.", None, None),
        ("f", "Il presidente ha parlato mercoledì con i giornalisti.", None, None),
    )
    assert dated["d"] == (dt.date(2024, 8, 18), "corpus")
    assert dated["e"] == (dt.date(2024, 4, 10), "corpus")
    assert dated["f"] == (None, None)  # a weekday alone is no day


def test_no_corpus_year_without_dated_documents():
    assert single("Il vertice si era svolto il 18 agosto.") == (None, None)


def test_dominant_year_tie_goes_to_the_later_year():
    assert dominant_year([dt.date(2023, 1, 1), dt.date(2024, 1, 1)]) == 2024
    assert dominant_year([dt.date(2023, 1, 1), dt.date(2023, 5, 1), dt.date(2024, 1, 1)]) == 2023
    assert dominant_year([]) is None


def test_deterministic_and_order_preserving():
    docs = [("b", "Roma, 3 marzo 2024 – Testo.", None, None), ("a", "Nulla.", None, None)]
    assert infer(*docs) == infer(*docs)


# --- dates the text marks as past or future -------------------------------------------------------

DATED_2025 = ("dated", "Testo.", "https://x.it/2025/03/01/a", None)


def with_corpus_2025(text: str) -> tuple[dt.date | None, str | None]:
    """The date of `text` in a corpus whose only other document is dated 2025 by its URL."""
    return infer(DATED_2025, ("d", text, None, None))["d"]


def test_periods_ago_and_calendar_months():
    assert periods_ago("quasi due mesi fa") == (2, "month")
    assert periods_ago("tre settimane fa") == (3, "week")
    assert periods_ago("dieci giorni fa") == (10, "day")
    assert periods_ago("un anno fa") == (1, "year")
    assert periods_ago("tre giorni") is None
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 20), 2) == dt.date(2025, 1, 20)


def test_past_marked_day_month_alone_gives_no_date():
    for text in (
        "L'ultimo vertice si era tenuto lo scorso 18 agosto a Ginevra.",
        "Il precedente accordo era stato firmato il 18 agosto scorso.",
        "Il precedente colloquio risale al 18 agosto, secondo fonti diplomatiche.",
        "L'ultima volta che i due ministri si sono incontrati è stato a Roma, il 18 agosto.",
        "Il 18 agosto è stata l'ultima volta che il sindaco ha parlato in aula.",
    ):
        assert with_corpus_2025(text) == (None, None), text


def test_an_ultima_volta_cue_stays_in_its_sentence_and_before_the_next_date():
    # another sentence: the date is not marked, and is the lower bound as before
    assert with_corpus_2025("L'ultima volta era andata male. Il voto si è tenuto il 18 agosto.") == (
        dt.date(2025, 8, 18), "corpus")
    # the cue marks the first date only; the later, unmarked one is the lower bound
    assert single("L'ultima volta si erano sentiti il 3 marzo 2024, poi il 20 marzo 2024 hanno firmato.") == (
        dt.date(2024, 3, 20), "text")


def test_past_marked_full_date_blocks_an_earlier_lower_bound():
    assert single("Il 3 marzo 2024 si è votato. Il ricorso risale al 10 marzo 2024.") == (None, None)
    assert single("Lo scorso 5 marzo 2024 il ricorso; il 7 marzo 2024 la sentenza.") == (dt.date(2024, 3, 7), "text")


def test_future_marked_date_is_not_the_publication_date():
    assert single("Il vertice è fissato per il prossimo 18 agosto 2025.") == (None, None)
    assert with_corpus_2025("Il vertice si terrà a Roma il 18 agosto prossimo.") == (None, None)
    assert with_corpus_2025("Il prossimo 18 agosto i ministri torneranno a Bruxelles.") == (None, None)
    # the past date beside it is still the lower bound
    assert single("Dopo il voto del 3 marzo 2024, il prossimo 18 agosto 2024 si vota ancora.") == (
        dt.date(2024, 3, 3), "text")


def test_offset_anchored_to_a_full_date():
    assert single("Un anno fa, il 12 febbraio 2024, iniziava il processo.") == (dt.date(2025, 2, 12), "text")
    assert single("Tre settimane fa, il 3 marzo 2024, il governo ha deciso.") == (dt.date(2024, 3, 24), "text")
    assert single("Il decreto, approvato dieci giorni fa (il 2 maggio 2024), è in vigore.") == (
        dt.date(2024, 5, 12), "text")
    assert single("Un mese fa, il 31 gennaio 2024, la frana.") == (dt.date(2024, 2, 29), "text")
    # the anchor beats the latest date when it is consistent with it
    assert single("Il 3 gennaio 2025 l'appello. Un anno fa, il 12 febbraio 2024, iniziava il processo.") == (
        dt.date(2025, 2, 12), "text")
    # an estimate before a date the text reports is dropped for the lower bound
    assert single("Circa un mese fa, il 2 febbraio 2024, il ricorso; la sentenza è del 5 marzo 2024.") == (
        dt.date(2024, 3, 5), "text")


def test_offset_after_the_date_must_close_its_clause():
    assert single("La frana è avvenuta il 2 maggio 2024, dieci giorni fa, in Valtellina.") == (
        dt.date(2024, 5, 12), "text")
    # "dieci giorni fa" belongs to the next event: the date is only a lower bound
    assert single("La frana del 2 maggio 2024, dieci giorni fa il comune aveva avvisato.") == (
        dt.date(2024, 5, 2), "text")


def test_offset_anchored_to_a_day_month_takes_the_corpus_year():
    text = "L'ultima volta che si sono parlati è stato quasi due mesi fa, il 18 agosto."
    assert with_corpus_2025(text) == (dt.date(2025, 10, 18), "corpus")
    assert with_corpus_2025("Il blitz, tre settimane fa – il 3 marzo – ha cambiato tutto.") == (
        dt.date(2025, 3, 24), "corpus")
    assert with_corpus_2025("Il colloquio risale al 18 agosto, quasi due mesi fa.") == (
        dt.date(2025, 10, 18), "corpus")
    # it outranks the latest full date of the same text
    assert with_corpus_2025("Il 3 marzo 2025 il primo contatto. Due mesi fa, il 18 agosto, il vertice.") == (
        dt.date(2025, 10, 18), "corpus")


def test_offset_estimate_rolls_over_new_year():
    # the corpus year is the year of publication: 20 novembre 2024 + 2 mesi
    assert with_corpus_2025("Il primo incontro c'era stato due mesi fa, il 20 novembre.") == (
        dt.date(2025, 1, 20), "corpus")
    assert with_corpus_2025("Ieri, 31 dicembre, la festa in piazza.") == (dt.date(2025, 1, 1), "corpus")


# --- dates of other events: earlier and later ones of the kind the article reports ---------------


def test_the_date_of_an_earlier_event_is_never_the_publication_date():
    for text in (
        "Trump e Putin si sono sentiti per oltre due ore, dopo quella del 12 febbraio.",
        "È la seconda telefonata in un mese: la precedente telefonata del 12 febbraio era durata 90 minuti.",
        "Il numero dei prigionieri scambiati è raddoppiato rispetto al 12 febbraio.",
        "I toni sono cambiati rispetto alla riunione del 12 febbraio, dicono fonti del governo.",
    ):
        assert with_corpus_2025(text)[0] != dt.date(2025, 2, 12), text
        assert with_corpus_2025(text) == (None, None), text
        assert single(text.replace("12 febbraio", "12 febbraio 2025")) == (None, None), text


def test_an_earlier_event_does_not_hide_the_article_s_own_date():
    text = ("La telefonata del 18 marzo tra i due presidenti è durata due ore e mezza, "
            "dopo quella del 12 febbraio che si era chiusa senza accordo.")
    assert with_corpus_2025(text) == (dt.date(2025, 3, 18), "corpus")
    full = text.replace("18 marzo", "18 marzo 2025").replace("12 febbraio", "12 febbraio 2025")
    assert single(full) == (dt.date(2025, 3, 18), "text")


def test_an_earlier_event_later_than_every_other_date_leaves_the_date_unknown():
    # the article is after 12 febbraio 2025; the vote of 3 febbraio cannot be its lower bound
    text = "Il voto del 3 febbraio 2025 aveva diviso la maggioranza, poi è cambiato tutto dopo quella del 12 febbraio 2025."
    assert single(text) == (None, None)


def test_the_date_of_a_later_event_is_no_evidence():
    for text in (
        "I due leader si sono sentiti a lungo e hanno parlato del prossimo vertice del 3 aprile.",
        "Il governo lavora al testo in vista del 3 aprile, quando il consiglio voterà.",
        "L'incontro, fissato per il 3 aprile, si terrà a Ginevra.",
        "L'udienza è stata rinviata al 3 aprile per un difetto di notifica.",
    ):
        assert with_corpus_2025(text) == (None, None), text
        assert single(text.replace("3 aprile", "3 aprile 2025")) == (None, None), text


def test_a_later_event_leaves_the_article_s_own_date():
    text = "Ieri, 10 marzo 2025, il ministro ha firmato; l'incontro con i sindacati è fissato per il 3 aprile 2025."
    assert single(text) == (dt.date(2025, 3, 11), "text")
    text = "Il 10 marzo 2025 il ministro ha firmato il decreto in vista del 3 aprile 2025."
    assert single(text) == (dt.date(2025, 3, 10), "text")


def test_an_event_named_by_a_pronoun_is_another_event():
    assert with_corpus_2025("Più lunga di quella del 12 febbraio, la conversazione ha toccato molti temi.") == (None, None)


def test_event_cues_stay_in_their_clause_and_near_the_date():
    # "precedente" belongs to another clause: the date is the article's own event
    assert single("Il precedente accordo era fallito. La firma è arrivata il 12 febbraio 2025.") == (
        dt.date(2025, 2, 12), "text")
    # "dopo il voto del" names the article's own event, not another of its kind
    assert single("Dopo il voto del 3 marzo 2024 la maggioranza si è divisa.") == (dt.date(2024, 3, 3), "text")


def test_distances_beyond_the_calendar_give_no_date_instead_of_raising():
    assert single("Novecentomila anni fa, il 12 febbraio 2025, si votò.") == (None, None)
    dated_9999 = ("dated", "Testo.", None, dt.date(9999, 5, 1))
    assert infer(dated_9999, ("d", "Novecento anni fa, il 12 febbraio, si votò.", None, None))["d"] == (None, None)
    assert infer(dated_9999, ("d", "Ieri, 31 dicembre, si è votato.", None, None))["d"] == (None, None)
    dated_1 = ("dated", "Testo.", None, dt.date(1, 5, 1))
    assert infer(dated_1, ("d", "Domani, 1 gennaio, si vota.", None, None))["d"] == (None, None)
