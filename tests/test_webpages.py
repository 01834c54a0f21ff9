"""Saved web pages: metadata from the page's markup (meta tags, JSON-LD, canonical URL) and the main
text without navigation, comments, related lists and cookie banners. Pages written by the test."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.intake.webpage import PageMetadata, main_text, page_metadata
from pipeline.parsing.document import attach_published_dates, parse_document, parse_documents
from pipeline.parsing.rules import ParseConfig

CONFIG = ParseConfig()
P1 = ("Il Consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità cittadina, dopo una seduta "
      "durata più di cinque ore e un lungo confronto con le associazioni dei residenti.")
P2 = ("Secondo l'assessora ai trasporti la spesa sarà di circa dodici milioni di euro nei prossimi tre anni, "
      "coperta in parte da fondi europei e in parte dal bilancio del Comune.")

META_PAGE = f"""<!DOCTYPE html><html lang="it"><head><meta charset="utf-8">
<title>Mobilità, approvato il piano - Gazzetta di Prova</title>
<meta property="og:site_name" content="Gazzetta di Prova">
<meta property="og:title" content="Mobilità, approvato il piano">
<meta property="article:published_time" content="2025-02-12T18:40:00+01:00">
<meta name="author" content="Maria Bianchi">
<link rel="canonical" href="https://www.gazzettadiprova.example/cronaca/piano-mobilita">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/cronaca">Cronaca</a></li></ul></nav>
<div class="cookie-banner">Questo sito utilizza cookie tecnici e di profilazione. Accetta tutti i cookie</div>
<article><h1>Mobilità, approvato il piano</h1><p>{P1}</p><p>{P2}</p></article>
<section class="correlati"><h3>Potrebbe interessarti</h3><ul>
<li><a href="/a">Nuove piste ciclabili in periferia entro l'estate prossima</a></li>
<li><a href="/b">Bus notturni, cambiano gli orari da lunedì</a></li></ul></section>
<div id="comments"><h3>Commenti dei lettori</h3><p>Giorgio: finalmente una decisione sensata per questa città!</p></div>
<footer>© 2025 Gazzetta di Prova</footer></body></html>"""

JSONLD_PAGE = f"""<html><head><title>Piano | Cronaca Locale</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Bus notturni, più corse dal primo marzo", "datePublished": "2025-02-20T08:00:00+01:00",
"author": {{"@type": "Person", "name": "Luca Verdi"}},
"publisher": {{"@type": "Organization", "name": "Cronaca Locale"}}}}</script>
</head><body><div class="menu"><a href="/">Home</a> <a href="/politica">Politica</a></div>
<div class="articolo"><p>{P1}</p><p>{P2}</p></div>
<div class="commenti-lettori"><p>Anna: era ora, ma servono anche più controlli a bordo dei mezzi pubblici.</p></div>
</body></html>"""

URL_ONLY_PAGE = f"""<html><head><title>Piste ciclabili</title>
<link rel="canonical" href="https://www.giornaledi.example/2025/03/04/piste-ciclabili.html"></head>
<body><h1>Piste ciclabili, approvato il progetto</h1><p>{P1}</p></body></html>"""


def test_metadata_in_meta_tags():
    meta = page_metadata(META_PAGE)
    assert meta == PageMetadata(title="Mobilità, approvato il piano", author="Maria Bianchi",
                                published_date=dt.date(2025, 2, 12), site_name="Gazzetta di Prova",
                                url="https://www.gazzettadiprova.example/cronaca/piano-mobilita")


def test_metadata_in_json_ld():
    meta = page_metadata(JSONLD_PAGE)
    assert (meta.title, meta.author, meta.published_date, meta.site_name) == (
        "Bus notturni, più corse dal primo marzo", "Luca Verdi", dt.date(2025, 2, 20), "Cronaca Locale")


def test_a_date_only_in_the_url_is_not_markup_metadata():
    meta = page_metadata(URL_ONLY_PAGE)
    assert meta.published_date is None  # left to the URL rule, source `url`
    assert meta.url == "https://www.giornaledi.example/2025/03/04/piste-ciclabili.html"
    assert meta.site_name == "giornaledi.example"  # the canonical URL's host when the page names no site


def test_a_page_without_metadata_gives_nothing_rather_than_a_guess():
    meta = page_metadata(f"<html><body><p>{P1} Il voto è atteso per il 3 marzo 2025.</p></body></html>")
    assert (meta.published_date, meta.author, meta.url) == (None, None, None)
    assert page_metadata("") == PageMetadata() and page_metadata("<<<>>>") == PageMetadata()


def _kinds(page: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse_document(page, "html", CONFIG, main_text=main_text(page)).blocks]


def test_main_text_leaves_out_navigation_comments_related_lists_and_cookie_banners():
    blocks = _kinds(META_PAGE)
    paragraphs = [text for kind, text in blocks if kind == "paragraph"]
    assert paragraphs == [P1, P2]
    assert ("title", "Mobilità, approvato il piano") in blocks
    outside = ("Giorgio", "Potrebbe interessarti", "Bus notturni", "cookie", "Home")
    assert all(kind == "boilerplate" for kind, text in blocks if any(word in text for word in outside))


def test_comments_without_a_telling_tag_are_boilerplate_through_the_main_text():
    blocks = _kinds(JSONLD_PAGE)
    assert [text for kind, text in blocks if kind == "paragraph"] == [P1, P2]
    assert any(kind == "boilerplate" and text.startswith("Anna:") for kind, text in blocks)


def test_a_deep_page_keeps_its_text_through_the_iterative_parser():
    """lxml's tree builder drops what is nested deeper than 256 levels: trafilatura sees nothing,
    and the page's own parse (any depth) must not turn the article into boilerplate."""
    deep = "<html><body>" + "<div>" * 3000 + f"<p>{P1}</p><p>{P2}</p>" + "</div>" * 3000 + "</body></html>"
    assert main_text(deep) is None or P1 not in main_text(deep)
    blocks = parse_document(deep, "html", CONFIG, main_text=main_text(deep)).blocks
    assert [b.text for b in blocks if b.kind == "paragraph"] == [P1, P2]
    # A main text that misses the deep paragraphs is ignored for such a page.
    blocks = parse_document(deep, "html", CONFIG, main_text="Un altro testo qualunque.").blocks
    assert [b.text for b in blocks if b.kind == "paragraph"] == [P1, P2]


def _documents(rows: list[dict]) -> pl.DataFrame:
    schema = {"doc_id": pl.Utf8, "path": pl.Utf8, "text": pl.Utf8, "format": pl.Utf8, "outlet": pl.Utf8,
              "url": pl.Utf8, "published_date": pl.Date, "row_id": pl.Utf8, "title": pl.Utf8, "author": pl.Utf8}
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def test_parse_takes_outlet_url_author_and_date_from_the_page():
    documents = _documents([
        {"doc_id": "a" * 16, "path": "seeds/meta.html", "text": META_PAGE, "format": "html"},
        {"doc_id": "b" * 16, "path": "seeds/jsonld.html", "text": JSONLD_PAGE, "format": "html"},
        {"doc_id": "c" * 16, "path": "seeds/url.html", "text": URL_ONLY_PAGE, "format": "html"},
        {"doc_id": "d" * 16, "path": "seeds/manifest.html", "text": JSONLD_PAGE.replace("Piano |", "Altro |"),
         "format": "html", "outlet": "Eco di Prova", "published_date": dt.date(2025, 2, 21)},
    ])
    tables = parse_documents(documents, CONFIG)
    articles = attach_published_dates(tables["articles"], documents, tables["blocks"]).sort("doc_id")
    assert "html_published_date" not in articles.columns
    assert articles.select("source_id", "byline", "published_date", "published_date_source").rows() == [
        ("gazzetta-di-prova", "Maria Bianchi", dt.date(2025, 2, 12), "html_meta"),
        ("cronaca-locale", "Luca Verdi", dt.date(2025, 2, 20), "html_meta"),
        ("giornaledi-example", None, dt.date(2025, 3, 4), "url"),
        ("eco-di-prova", "Luca Verdi", dt.date(2025, 2, 21), "manifest"),  # the manifest wins over the page
    ]
    assert articles["url"][0] == "https://www.gazzettadiprova.example/cronaca/piano-mobilita"
    # The JSON-LD page has no <h1>: its metadata headline becomes its title block.
    jsonld_blocks = tables["blocks"].filter(pl.col("doc_id") == "b" * 16).sort("block_no")
    assert jsonld_blocks.row(0)[2:4] == ("title", "Bus notturni, più corse dal primo marzo")
    assert dict(tables["sources"].select("source_id", "name").rows())["cronaca-locale"] == "Cronaca Locale"


def test_collection_row_metadata_wins_over_the_text():
    text = f"Un titolo scritto nel testo\n{P1}\n{P2}"
    documents = _documents([
        {"doc_id": "e" * 16, "path": "seeds/x.csv#7", "row_id": "7", "text": text, "format": "text",
         "title": "Il titolo della riga", "author": "Anna Neri", "outlet": "Radio Prova",
         "url": "https://radio.example/2024/01/01/x", "published_date": dt.date(2025, 2, 14)},
        {"doc_id": "f" * 16, "path": "seeds/x.csv#8", "row_id": "8", "text": f"{P1}\n{P2}", "format": "text",
         "title": "Titolo solo nella riga"},
    ])
    tables = parse_documents(documents, CONFIG)
    articles = attach_published_dates(tables["articles"], documents, tables["blocks"]).sort("doc_id")
    assert articles.select("title", "byline", "published_date", "published_date_source", "url").rows()[0] == (
        "Il titolo della riga", "Anna Neri", dt.date(2025, 2, 14), "collection", "https://radio.example/2024/01/01/x")
    assert articles["title"][1] == "Titolo solo nella riga"
    first_blocks = tables["blocks"].filter(pl.col("doc_id") == "f" * 16).sort("block_no")
    assert first_blocks.select("kind", "text").row(0) == ("title", "Titolo solo nella riga")
