"""Publication-date inference: precedence of manifest, URL, text and corpus evidence."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.nlp.pubdate import date_from_url, dominant_year, infer_published_dates


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
    # a hedged distance is no anchor: the date is only a lower bound
    assert single("Il blitz è avvenuto quasi tre giorni fa, il 2 marzo 2024.") == (dt.date(2024, 3, 2), "text")


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
