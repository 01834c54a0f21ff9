"""Unit tests of stage `parse` on Italian snippets written here (not the seeds)."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from pipeline.parsing.document import attach_published_dates, parse_document, parse_documents, source_id_for
from pipeline.parsing.markdown import strip_inline_markdown
from pipeline.parsing.rules import ParseConfig, byline_names, is_boilerplate_line

CONFIG = ParseConfig()

P1 = ("Il Consiglio dei ministri ha approvato ieri sera il decreto sulle bollette, dopo una riunione "
      "durata più di tre ore a Palazzo Chigi.")
P2 = ("Le opposizioni hanno criticato il provvedimento: secondo il Partito democratico le misure "
      "arrivano tardi e coprono solo una parte delle famiglie in difficoltà.")
P3 = ("Il ministro dell'Economia ha replicato che le risorse sono state trovate senza nuovo debito e "
      "che altri interventi arriveranno in autunno.")


def kinds(text: str, fmt: str = "text") -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse_document(text, fmt, CONFIG).blocks]


def doc(text: str, fmt: str = "text"):
    return parse_document(text, fmt, CONFIG)


# --- title -------------------------------------------------------------------------------------


def test_title_is_the_first_substantial_line_after_blank_lines():
    parsed = doc(f"\n\n\nBollette, via libera al decreto del governo\n\n{P1}\n\n{P2}")
    assert parsed.title == "Bollette, via libera al decreto del governo"
    assert parsed.blocks[0].kind == "title"


def test_no_title_when_the_text_opens_with_a_paragraph():
    parsed = doc(f"{P1}\n{P2}\n{P3}")
    assert parsed.title is None
    assert [b.kind for b in parsed.blocks] == ["paragraph"] * 3


def test_a_headline_may_end_with_a_question_or_a_quote():
    assert doc(f"Chi pagherà il conto delle bollette?\n{P1}").title == "Chi pagherà il conto delle bollette?"
    assert doc(f'Meloni: "Nessuna nuova tassa"\n{P1}').title == 'Meloni: "Nessuna nuova tassa"'


def test_title_repeated_by_a_page_break_is_boilerplate():
    text = f"Bollette, via libera al decreto\n\n{P1}\n\nBollette, via libera al decreto\n\n{P2}"
    assert kinds(text) == [("title", "Bollette, via libera al decreto"), ("paragraph", P1),
                           ("boilerplate", "Bollette, via libera al decreto"), ("paragraph", P2)]


def test_paragraph_split_by_a_page_break_is_rejoined():
    text = ("Il decreto sulle bollette\n\n"
            "Il Consiglio dei ministri ha approvato il decreto, ma la data di entrata in vigore non è stata\n\n"
            "Il decreto sulle bollette\n\n"
            "ancora fissata. Lo ha detto il ministro.\n\n" + P2)
    parsed = doc(text)
    paragraphs = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    assert paragraphs[0] == ("Il Consiglio dei ministri ha approvato il decreto, ma la data di entrata in vigore "
                             "non è stata ancora fissata. Lo ha detto il ministro.")
    assert [b.kind for b in parsed.blocks] == ["title", "paragraph", "boilerplate", "paragraph"]


def test_markdown_bold_span_cut_by_a_page_break_is_rejoined():
    text = ("# Il decreto sulle bollette\n\n"
            "Il governo ha detto che **le risorse non sono ancora state**\n\n"
            "Il decreto sulle bollette\n\n"
            "**stanziate.** Il voto è previsto domani.")
    parsed = doc(text, "markdown")
    paragraphs = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    assert paragraphs == ["Il governo ha detto che le risorse non sono ancora state stanziate. Il voto è previsto domani."]


def test_terminated_paragraph_is_not_joined_to_a_lowercase_line():
    parsed = doc(f"Titolo della notizia di oggi\n\n{P1}\n\nlinea minuscola che non continua nulla")
    assert [b.kind for b in parsed.blocks] == ["title", "paragraph", "boilerplate"]


# --- section, subtitle, byline ----------------------------------------------------------------


def test_section_label_before_the_title_and_subtitle_after_it():
    parsed = doc(f"Cronaca\nIncendio nella notte in un capannone a Prato\nNessun ferito, indagini in corso\n{P1}\n{P2}")
    assert parsed.section == "Cronaca"
    assert parsed.title == "Incendio nella notte in un capannone a Prato"
    assert parsed.subtitle == "Nessun ferito, indagini in corso"
    assert [b.kind for b in parsed.blocks] == ["section", "title", "subtitle", "paragraph", "paragraph"]


def test_known_section_label_after_the_title():
    parsed = doc(f"Il Parlamento approva la riforma della giustizia\n\nPolitica\n\n{P1}")
    assert parsed.section == "Politica"
    assert parsed.subtitle is None


def test_unknown_kicker_shape_before_a_title():
    parsed = doc(f"Medio Oriente\nTregua a Gaza, scambio di prigionieri domenica\n{P1}")
    assert parsed.section == "Medio Oriente"
    assert parsed.title == "Tregua a Gaza, scambio di prigionieri domenica"


def test_short_title_is_not_mistaken_for_a_section():
    parsed = doc(f"Crisi di governo\n\n{P1}\n\n{P2}")
    assert parsed.title == "Crisi di governo" and parsed.section is None


def test_long_first_paragraph_after_title_is_not_a_subtitle():
    parsed = doc(f"Bollette, via libera al decreto\n{P1} {P2}\n{P3}")
    assert parsed.subtitle is None


@pytest.mark.parametrize(
    "line,names",
    [
        ("[di Mario Rossi]", "Mario Rossi"),
        ("di Giulia De Luca", "Giulia De Luca"),
        ("Di Anna Maria Verdi e Luca Neri", "Anna Maria Verdi e Luca Neri"),
        ("A cura di Redazione Esteri", "Redazione Esteri"),
        ("di maio attacca il governo", None),
        ("Di Maio attacca il governo sulle bollette", None),
        ("Il governo di Giorgia Meloni", None),
    ],
)
def test_byline_shapes(line, names):
    assert byline_names(line) == names


def test_byline_at_the_end_is_a_block_and_an_article_field():
    parsed = doc(f"Bollette, via libera al decreto\n\n{P1}\n\n[di Mario Rossi]")
    assert parsed.blocks[-1].kind == "byline"
    assert parsed.blocks[-1].text == "di Mario Rossi"
    assert parsed.byline == "Mario Rossi"


# --- boilerplate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["(in aggiornamento)", "Notizia in aggiornamento", "© Riproduzione riservata", "RIPRODUZIONE RISERVATA",
     ".", "* * *", "—", "Condividi", "Condividi su Facebook", "Facebook Twitter WhatsApp Email",
     "Ascolta l'articolo", "Ascolta l’articolo", "00:00 / 03:41", "Tempo di lettura: 4 minuti", "Abbonati",
     "Sei già abbonato? Accedi", "Iscriviti alla newsletter del mattino", "Accetta i cookie",
     "Leggi anche: la crisi del governo", "Pubblicità", "Ultimo aggiornamento: 12 febbraio 2025, 18:40",
     "12 febbraio 2025", "Mercoledì 12 febbraio 2025, 18:40", "Pubblicato il 12/02/2025 alle 18:40",
     "Foto: Ansa", "(Foto: Getty Images)", "Tag: Trump, Putin, Ucraina"],
)
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    ["Copyright e diritto d'autore: la riforma europea", "Aggiornamento sulle trattative di pace",
     "Foto di gruppo al vertice di Bruxelles", "Il 12 febbraio la telefonata", "Mercoledì la telefonata",
     "Abbonamento della NATO ucraina", "Il governo condivide le preoccupazioni dei sindaci",
     "La riproduzione riservata delle opere è vietata dalla legge sul diritto d'autore, ha spiegato il giudice.",
     "Ascoltato dai magistrati il sindaco di Prato", P1],
)
def test_article_lines_are_not_boilerplate(line):
    assert not is_boilerplate_line(line)


def test_a_long_run_of_digits_is_read_whole_by_the_dateline_rule():
    # an account number, a code or a list of figures run together: the dateline rule once cut such a
    # run into pieces of one to four digits in every possible way before failing (it never returned
    # on 40 digits and a word); it now reads the run whole, and still knows a dateline
    assert not is_boilerplate_line("Codice pratica " + "1234567890" * 4 + " respinto")
    assert not is_boilerplate_line("1" * 120 + " x")
    assert is_boilerplate_line("12/02/2025 " + "0" * 60 + " ore 18:40")


def test_no_boilerplate_left_in_paragraphs():
    text = (f"Esteri\nTregua a Gaza, scambio di prigionieri domenica\nAscolta l'articolo\n{P1}\nCondividi\n"
            f"{P2}\nLeggi anche: il piano di pace\n{P3}\n(in aggiornamento)\n© Riproduzione riservata\n.")
    parsed = doc(text)
    paragraphs = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    assert paragraphs == [P1, P2, P3]
    assert sum(b.kind == "boilerplate" for b in parsed.blocks) == 6


def test_trailing_short_fragments_without_punctuation_are_residue():
    parsed = doc(f"Bollette, via libera al decreto\n\n{P1}\n\n{P2}\n\n.\nal secondo piano\nTorna in alto")
    assert [b.kind for b in parsed.blocks][-3:] == ["boilerplate"] * 3
    assert [b.kind for b in parsed.blocks][:3] == ["title", "paragraph", "paragraph"]


def test_short_lowercase_fragment_mid_text_is_residue():
    parsed = doc(f"Bollette, via libera al decreto\n\n{P1}\n\nclicca per ingrandire\n\n{P2}")
    assert [b.kind for b in parsed.blocks] == ["title", "paragraph", "boilerplate", "paragraph"]


# --- headings ----------------------------------------------------------------------------------


def test_short_unpunctuated_lines_between_paragraphs_are_headings():
    text = f"Bollette, via libera al decreto\n{P1}\nLe reazioni dell'opposizione\n{P2}\nIl nodo delle coperture\n{P3}"
    assert [k for k, _ in kinds(text)] == ["title", "paragraph", "heading", "paragraph", "heading", "paragraph"]


def test_heading_ending_in_a_quotation():
    text = f'Bollette, via libera al decreto\n{P1}\nSchlein: "Misure insufficienti"\n{P2}'
    assert kinds(text)[2] == ("heading", 'Schlein: "Misure insufficienti"')


def test_short_sentence_with_a_period_is_a_paragraph_not_a_heading():
    text = f"Bollette, via libera al decreto\n{P1}\nIl voto è previsto domani.\n{P2}"
    assert kinds(text)[2] == ("paragraph", "Il voto è previsto domani.")


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_links_keep_their_text_and_become_links():
    text, links = strip_inline_markdown("Lo ha scritto il [Corriere della Sera](https://corriere.it/a) ieri.")
    assert text == "Lo ha scritto il Corriere della Sera ieri."
    assert [(link.kind, link.text, link.target) for link in links] == [("link", "Corriere della Sera", "https://corriere.it/a")]


def test_markdown_emphasis_is_removed():
    text, _ = strip_inline_markdown("Il premier ha parlato di **misure urgenti** e di *tempi certi*, con __coraggio__.")
    assert text == "Il premier ha parlato di misure urgenti e di tempi certi, con coraggio."


def test_markdown_snake_case_and_arithmetic_are_not_emphasis():
    text, _ = strip_inline_markdown("Il file nome_del_file.txt costa 3 * 4 euro.")
    assert text == "Il file nome_del_file.txt costa 3 * 4 euro."


def test_markdown_document():
    text = ("# Bollette, via libera al decreto\n\n"
            "![Palazzo Chigi](https://example.it/chigi.jpg)\n\n"
            f"{P1} Lo riporta l'[ANSA](https://ansa.it/x).\n\n"
            "## Le reazioni\n\n"
            f"{P2}")
    parsed = doc(text, "markdown")
    assert parsed.title == "Bollette, via libera al decreto"
    assert [(b.kind, b.text) for b in parsed.blocks][:2] == [("title", "Bollette, via libera al decreto"),
                                                           ("image", "Palazzo Chigi")]
    assert parsed.blocks[3].kind == "heading" and parsed.blocks[3].text == "Le reazioni"
    links = [(link.kind, link.text, link.target) for b in parsed.blocks for link in b.links]
    assert links == [("image", "Palazzo Chigi", "https://example.it/chigi.jpg"), ("link", "ANSA", "https://ansa.it/x")]
    assert all("*" not in b.text and "](" not in b.text and "#" not in b.text for b in parsed.blocks)


# --- embeds ------------------------------------------------------------------------------------


def test_tweet_pasted_as_text_is_one_embed_block():
    text = (f"Bollette, via libera al decreto\n{P1}\n"
            "“È un passo avanti”, ha scritto il sindaco sui social.\n"
            "Oggi il governo ha fatto la sua parte. Ora tocca ai Comuni.\n"
            "Ne parleremo domani in consiglio pic.twitter.com/AbC123xyz\n"
            "— Mario Rossi (@mariorossi) 12 febbraio 2025\n"
            f"{P2}")
    parsed = doc(text)
    assert [b.kind for b in parsed.blocks] == ["title", "paragraph", "paragraph", "embed", "paragraph"]
    embed = parsed.blocks[3]
    assert embed.text.splitlines()[0] == "Oggi il governo ha fatto la sua parte. Ora tocca ai Comuni."
    assert embed.text.splitlines()[-1] == "— Mario Rossi (@mariorossi) 12 febbraio 2025"
    assert [(link.kind, link.target) for link in embed.links] == [("embed", "https://pic.twitter.com/AbC123xyz")]


def test_post_url_line_alone_is_an_embed():
    parsed = doc(f"Bollette, via libera al decreto\n{P1}\nhttps://www.instagram.com/p/Cx12AbC/\n{P2}")
    assert parsed.blocks[2].kind == "embed"
    assert parsed.blocks[2].links[0].target == "https://www.instagram.com/p/Cx12AbC/"


def test_a_paragraph_mentioning_x_is_not_an_embed():
    line = "Il ministro ha scritto su X che il decreto sarà approvato, come riporta x.com nella sua pagina."
    assert doc(f"Titolo della notizia di oggi\n{P1}\n{line}\n{P2}").blocks[2].kind == "paragraph"


# --- HTML --------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Sito</title><script>var secret = "CODICE DI TRACCIAMENTO";</script>
<style>p { color: red }</style></head><body>
<nav><a href="/">Home</a> <a href="/politica">Politica</a></nav>
<article>
<div class="kicker">Politica</div>
<h1>Bollette, via libera al decreto</h1>
<p class="sommario">Approvato in serata dopo tre ore di riunione</p>
<div class="author">di Giulia De Luca</div>
<p>Il Consiglio dei ministri ha approvato il decreto &egrave; stato detto. Lo riporta l&rsquo;<a href="https://ansa.it/x">ANSA</a>.</p>
<figure><img src="/img/chigi.jpg" alt="Palazzo Chigi"><figcaption>La sede del governo</figcaption></figure>
<h2>Le reazioni</h2>
<p>Le opposizioni hanno criticato il provvedimento in aula.</p>
<blockquote class="twitter-tweet"><p>Un passo avanti per le famiglie.</p>&mdash; Mario Rossi (@mariorossi)
<a href="https://twitter.com/mariorossi/status/1234567890">12 febbraio 2025</a></blockquote>
<iframe src="https://www.youtube.com/embed/abc" title="Il video della conferenza"></iframe>
<noscript>Abilita JavaScript per continuare</noscript>
<div class="share-buttons"><a href="#">Condividi</a></div>
<p>Riproduzione riservata</p>
</article><footer>Copyright 2025 Editore Spa</footer></body></html>"""


def test_html_document():
    parsed = doc(HTML, "html")
    assert (parsed.title, parsed.subtitle, parsed.section, parsed.byline) == (
        "Bollette, via libera al decreto", "Approvato in serata dopo tre ore di riunione", "Politica", "Giulia De Luca")
    blocks = [(b.kind, b.text) for b in parsed.blocks]
    assert ("paragraph", "Il Consiglio dei ministri ha approvato il decreto è stato detto. Lo riporta l’ANSA.") in blocks
    assert ("image", "La sede del governo") in blocks
    assert ("heading", "Le reazioni") in blocks
    assert [k for k, _ in blocks if k == "embed"] == ["embed", "embed"]
    all_text = " ".join(b.text + b.raw for b in parsed.blocks)
    assert "CODICE DI TRACCIAMENTO" not in all_text and "color: red" not in all_text and "JavaScript" not in all_text
    assert [k for k, t in blocks if t in ("Home Politica", "Condividi", "Riproduzione riservata",
                                          "Copyright 2025 Editore Spa")] == ["boilerplate"] * 4
    links = {(link.kind, link.target) for b in parsed.blocks for link in b.links}
    assert {("link", "https://ansa.it/x"), ("image", "/img/chigi.jpg"),
            ("embed", "https://twitter.com/mariorossi/status/1234567890"),
            ("embed", "https://www.youtube.com/embed/abc")} <= links


def test_html_loose_text_split_at_line_breaks():
    parsed = doc(f"<div>{P1}<br>{P2}<br><br>{P3}</div>", "html")
    assert [b.text for b in parsed.blocks] == [P1, P2, P3]


# --- tables ------------------------------------------------------------------------------------


def _documents(rows):
    return pl.DataFrame(rows, schema={"doc_id": pl.Utf8, "path": pl.Utf8, "text": pl.Utf8, "format": pl.Utf8,
                                      "outlet": pl.Utf8, "url": pl.Utf8, "published_date": pl.Date})


def test_source_ids():
    assert source_id_for("abcdef0123456789", "Il Fatto Quotidiano") == "il-fatto-quotidiano"
    assert source_id_for("abcdef0123456789", None) == "doc-abcdef01"
    assert source_id_for("abcdef0123456789", "  ") == "doc-abcdef01"


def test_parse_documents_tables():
    documents = _documents([
        {"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/a.txt", "text": f"Titolo della notizia di oggi\n{P1}\n{P2}",
         "format": "text", "outlet": "Il Post", "url": None, "published_date": None},
        {"doc_id": "bbbbbbbbbbbbbbbb", "path": "seeds/sub/b.md", "text": f"{P1}\n[link](https://x.it)",
         "format": "markdown", "outlet": "il post", "url": None, "published_date": None},
        {"doc_id": "cccccccccccccccc", "path": "seeds/c.txt", "text": P3, "format": "text", "outlet": None,
         "url": None, "published_date": None},
    ])
    tables = parse_documents(documents, CONFIG)
    articles = tables["articles"].sort("doc_id")
    assert articles["source_id"].to_list() == ["il-post", "il-post", "doc-cccccccc"]
    assert articles["title"].to_list() == ["Titolo della notizia di oggi", None, None]
    assert articles["n_blocks"].to_list() == [3, 2, 1]
    assert articles["n_chars"].to_list() == [len(t) for t in documents.sort("doc_id")["text"]]
    sources = tables["sources"].sort("source_id")
    assert sources.rows() == [("doc-cccccccc", "c.txt (outlet unknown)", 1), ("il-post", "Il Post", 2)]
    blocks = tables["blocks"]
    assert blocks.filter(pl.col("doc_id") == "aaaaaaaaaaaaaaaa")["block_no"].to_list() == [0, 1, 2]
    assert tables["links"].rows() == [("bbbbbbbbbbbbbbbb", 1, "link", "link", "https://x.it")]


def test_published_dates_come_from_pubdate():
    documents = _documents([
        {"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/a.txt", "text": f"Titolo della notizia di oggi\n{P1}",
         "format": "text", "outlet": None, "url": None, "published_date": dt.date(2025, 2, 12)},
        {"doc_id": "bbbbbbbbbbbbbbbb", "path": "seeds/b.txt", "text": P2, "format": "text", "outlet": None,
         "url": "https://example.it/2025/03/01/decreto", "published_date": None},
    ])
    tables = parse_documents(documents, CONFIG)
    articles = attach_published_dates(tables["articles"], documents, tables["blocks"]).sort("doc_id")
    assert articles["published_date"].to_list() == [dt.date(2025, 2, 12), dt.date(2025, 3, 1)]
    assert articles["published_date_source"].to_list() == ["manifest", "url"]


def test_a_document_that_fails_to_parse_does_not_stop_the_run(monkeypatch):
    import pipeline.parsing.document as parse_module

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module, "classify_units", boom)
    documents = _documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/a.txt", "text": P1, "format": "text",
                             "outlet": None, "url": None, "published_date": None}])
    tables = parse_documents(documents, CONFIG)
    assert tables["blocks"].rows() == [("aaaaaaaaaaaaaaaa", 0, "paragraph", P1, P1)]


# --- details -----------------------------------------------------------------------------------


def test_a_mistyped_opening_quote_after_the_period_still_ends_the_sentence():
    from pipeline.parsing.units import is_terminated

    assert is_terminated("Ha risposto: “Penso che debbano fare la pace. “")
    assert is_terminated("Ha detto «basta».")
    assert not is_terminated("la data non è stata")


def test_a_two_sentence_headline_is_a_title():
    title = "Crisi, il premier si dimette. Il Colle: «Consultazioni da lunedì»"
    assert doc(f"{title}\n{P1}\n{P2}").title == title


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_list_items_are_paragraphs_not_residue(fmt):
    text = f"Bollette, via libera al decreto\n{P1}\nLe misure principali:\n- bonus per le famiglie\n- taglio dell'Iva\n{P2}"
    blocks = parse_document(text, fmt, CONFIG).blocks
    assert [(b.kind, b.text) for b in blocks[3:5]] == [("paragraph", "bonus per le famiglie"),
                                                       ("paragraph", "taglio dell'Iva")]
    assert blocks[4].raw == "- taglio dell'Iva"


def test_dialogue_dash_is_not_a_bullet():
    parsed = doc(f"Bollette, via libera al decreto\n{P1}\n– Ci saranno altri aiuti? – ha chiesto un cronista.\n{P2}")
    assert parsed.blocks[2].text.startswith("– Ci saranno")


def test_html_wrapper_classes_do_not_leak_into_blocks():
    html = (f'<main class="category-politica social-enabled"><article><h1>Bollette, via libera al decreto</h1>'
            f"<p>{P1}</p><p>{P2}</p></article></main>")
    parsed = doc(html, "html")
    assert [b.kind for b in parsed.blocks] == ["title", "paragraph", "paragraph"]
    assert parsed.section is None


def test_html_list_items_and_chrome_lists():
    html = (f"<nav><ul><li>Home</li><li>Politica</li></ul></nav><h1>Bollette, via libera al decreto</h1><p>{P1}</p>"
            f"<ul><li>bonus per le famiglie</li><li>taglio dell'Iva</li></ul><p>{P2}</p>")
    assert [(b.kind, b.text) for b in doc(html, "html").blocks] == [
        ("boilerplate", "Home"), ("boilerplate", "Politica"), ("title", "Bollette, via libera al decreto"),
        ("paragraph", P1), ("paragraph", "bonus per le famiglie"), ("paragraph", "taglio dell'Iva"), ("paragraph", P2)]


def test_an_empty_corpus_gives_empty_tables():
    from pipeline.common import conform
    from pipeline.schemas import TABLES

    documents = pl.DataFrame(schema=TABLES["documents"].polars_schema)
    tables = parse_documents(documents, CONFIG)
    tables["articles"] = attach_published_dates(tables["articles"], documents, tables["blocks"])
    assert {name: conform(name, df).height for name, df in tables.items()} == {
        "articles": 0, "blocks": 0, "links": 0, "sources": 0}


# --- HTML of any depth, broken markup, markup left in text ------------------------------------

_DEEP = 20_000


@pytest.mark.parametrize("html", [
    "<div>" * _DEEP + P1 + "</div>" * _DEEP,
    "<div>" * _DEEP + P1,  # never closed
    "<p>" + "<span>" * _DEEP + P1 + "</span>" * _DEEP + "</p>",
    "<p>" + "<b>" * _DEEP + P1,
    "<blockquote>" * _DEEP + f"<p>{P1}</p>" + "</blockquote>" * _DEEP,
    "<ul>" + "<li><ul>" * _DEEP + f"<li>{P1}",
    "".join(f'<div class="w{i}"><span><b>' for i in range(_DEEP)) + P1,
], ids=["div", "div-unclosed", "span", "b-unclosed", "blockquote", "li-ul", "mixed"])
def test_html_of_any_depth_parses_to_its_text(html):
    blocks = doc(f"<html><body><h1>Bollette, via libera al decreto</h1>{html}<p>{P2}</p></body></html>", "html").blocks
    assert [b.text for b in blocks] == ["Bollette, via libera al decreto", P1, P2]
    assert [b.kind for b in blocks] == ["title", "paragraph", "paragraph"]


def test_deep_html_through_parse_documents_is_parsed_not_the_fallback(caplog):
    html = "<div>" * _DEEP + f"<p>{P1}</p>" + "</div>" * _DEEP
    tables = parse_documents(_documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/deep.html", "text": html,
                                          "format": "html", "outlet": None, "url": None, "published_date": None}]),
                             CONFIG)
    assert tables["blocks"].select("kind", "text").rows() == [("paragraph", P1)]
    assert "parsing failed" not in caplog.text


@pytest.mark.parametrize("html, expected", [
    (f"<p>{P1}<p>{P2}", [P1, P2]),  # unclosed paragraphs
    (f"<p><b><i>{P1[:40]}</b>{P1[40:]}</i></p>", [P1]),  # misnested inline tags
    (f"</div></p><p>{P1}</p></span>", [P1]),  # stray end tags
    (f"<body><p>{P1}</p></body></html><p>{P2}</p>", [P1, P2]),  # content after </html> is kept
    (f"<p>{P1}</p><!-- <p>nascosto</p> --><![CDATA[nascosto]]><p>{P2}</p>", [P1, P2]),
    (f"<p>{P1}</p><textarea><p>scrivi un commento</p></textarea><p>{P2}</p>", [P1, P2]),
    (f"<p>{P1} <!-- commento mai chiuso <p>interno</p>", [P1]),  # the rest is a comment, as in a browser
    ("<p>Il prezzo è salito: 3 < 4 e 5 > 2, dice l&rsquo;Istat &amp; l&#39;Inps.</p>",
     ["Il prezzo è salito: 3 < 4 e 5 > 2, dice l’Istat & l'Inps."]),
    ("<p>Il codice &lt;b&gt;grassetto&lt;/b&gt; non è testo dell'articolo.</p>",
     ["Il codice grassetto non è testo dell'articolo."]),  # tags spelled as entities
    (f"<P CLASS=x>{P1}</P><my-widget data-x=1><p>{P2}</p></my-widget>", [P1, P2]),
])
def test_broken_html_keeps_the_text_and_no_tag(html, expected):
    assert [b.text for b in doc(html, "html").blocks] == expected


def test_html_loose_inline_text_split_at_a_br_inside_an_inline_element():
    html = (f'<div>{P1[:50]}<b>{P1[50:]}<br>{P2[:30]}</b>{P2[30:]} <a href="https://ansa.it/x">ANSA</a>'
            f'<br><img src="/f.jpg" alt="La foto">{P3}</div>')
    blocks = doc(html, "html").blocks
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", P1), ("paragraph", P2 + " ANSA"),
                                                  ("image", "La foto"), ("paragraph", P3)]
    assert blocks[0].raw == f"{P1[:50]}<b>{P1[50:]}"
    assert blocks[1].raw == f'{P2[:30]}</b>{P2[30:]} <a href="https://ansa.it/x">ANSA</a>'
    assert [(link.kind, link.text, link.target) for link in blocks[1].links] == [("link", "ANSA", "https://ansa.it/x")]
    assert [(link.kind, link.text, link.target) for link in blocks[2].links] == [("image", "La foto", "/f.jpg")]


def test_markdown_with_inline_html():
    text = ("# Bollette, via libera al decreto\n\n"
            '<span style="color:red">Il Consiglio dei ministri</span> ha approvato il decreto, '
            'lo riporta l&rsquo;<a href="https://ansa.it/x">ANSA</a>.<br>\n\n'
            "<!-- nota della redazione:\nda rivedere prima della pubblicazione -->\n\n"
            '<img src="/img/chigi.jpg" alt="Palazzo Chigi">\n\n'
            f"<p>{P2}</p>\n\n<script>\nvar tracking = 1;\n</script>\n")
    parsed = doc(text, "markdown")
    assert [(b.kind, b.text) for b in parsed.blocks] == [
        ("title", "Bollette, via libera al decreto"),
        ("paragraph", "Il Consiglio dei ministri ha approvato il decreto, lo riporta l’ANSA."),
        ("image", "Palazzo Chigi"),
        ("paragraph", P2)]
    links = [(link.kind, link.text, link.target) for b in parsed.blocks for link in b.links]
    assert links == [("link", "ANSA", "https://ansa.it/x"), ("image", "Palazzo Chigi", "/img/chigi.jpg")]


def test_text_with_stray_tags_keeps_its_words_and_italian_double_angle_quotes():
    text = ("Bollette, via libera al decreto\n"
            "<<A volte bisogna decidere in fretta>>, ha detto il ministro <b>Giorgetti</b> ai cronisti.<br>\n"
            "<div class=\"nota\">Il voto in aula è previsto per martedì, con 3 < 4 astenuti.</div>\n"
            "<o:p></o:p>\n")
    assert [b.text for b in doc(text).blocks] == [
        "Bollette, via libera al decreto",
        "<<A volte bisogna decidere in fretta>>, ha detto il ministro Giorgetti ai cronisti.",
        "Il voto in aula è previsto per martedì, con 3 < 4 astenuti."]


def test_an_html_document_that_fails_to_parse_keeps_its_text_without_tags(monkeypatch):
    import pipeline.parsing.document as parse_module

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module, "units_from_html", boom)
    html = f"<html><head><script>var x = '<p>';</script></head><body><p>{P1}</p><p>l&rsquo;ANSA</p></body></html>"
    tables = parse_documents(_documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/a.html", "text": html,
                                          "format": "html", "outlet": None, "url": None, "published_date": None}]),
                             CONFIG)
    assert tables["blocks"].select("kind", "text", "raw").rows() == [("paragraph", f"{P1} l’ANSA", html)]


# --- properties: arbitrary HTML-ish input ------------------------------------------------------

_TAG_NAMES = ["p", "div", "span", "b", "i", "a", "h1", "h2", "li", "ul", "blockquote", "figure", "figcaption", "img",
              "br", "table", "td", "tr", "iframe", "nav", "footer", "section", "article", "em", "strong", "pre",
              "hr", "time", "font", "center", "my-widget", "o:p", "textarea", "svg", "form", "noscript"]
_WORDS = ["il", "governo", "Roma", "è", "decreto", "«Sì»", "l’ANSA", "3", "<", ">", "&", "<<", ">>", "a", "b", "x",
          "perché", "2025", ".", ",", ":", "—", "-->", "]]>", "=", '"', "'", "\n", " ", "\t", "\u00a0", "😀"]
_ENTITIES = ["&amp;", "&lt;", "&gt;", "&egrave;", "&rsquo;", "&#8217;", "&#x27;", "&nbsp;", "&notanentity;", "&lt;p&gt;",
             "&lt;/div&gt;", "&"]


def _attributes():
    from hypothesis import strategies as st

    value = st.text(st.sampled_from(list('ab "\'<>=&/') + ["x", "è"]), max_size=8)
    attribute = st.tuples(st.sampled_from(["class", "id", "href", "src", "alt", "title", "data-x", "CLASS", "style"]),
                          value, st.sampled_from(['"', "'", ""]))
    return st.lists(attribute, max_size=3).map(
        lambda attrs: "".join(f" {name}={quote}{v}{quote}" for name, v, quote in attrs))


def _html_ish():
    """Fragments of markup and text, concatenated: tags (closed, unclosed, stray, uppercase), attributes,
    entities, comments, CDATA, scripts, nesting."""
    from hypothesis import strategies as st

    tag = st.sampled_from(_TAG_NAMES)
    fragment = st.one_of(
        st.sampled_from(_WORDS),
        st.text(max_size=6),
        st.sampled_from(_ENTITIES),
        st.builds(lambda name, attrs, upper: f"<{name.upper() if upper else name}{attrs}>", tag, _attributes(),
                  st.booleans()),
        st.builds(lambda name: f"</{name}>", tag),
        st.builds(lambda name, attrs: f"<{name}{attrs}/>", tag, _attributes()),
        st.builds(lambda body: f"<!--{body}-->", st.sampled_from(["", " nota ", "<p>x</p>", "--", "<!--"])),
        st.sampled_from(["<!--", "<![CDATA[<b>x</b>]]>", "<![CDATA[", "<!DOCTYPE html>", "<?xml version='1.0'?>",
                         "<script>var a = '<p>' + 1;</script>", "<style>p { color: red }</style>", "<script>",
                         "</script>", "<br>", "<hr/>", "< p>", "</ p>", "<>", "</>"]),
    )
    nested = st.builds(lambda name, depth, inner: f"<{name}>" * depth + inner + f"</{name}>" * depth,
                       tag, st.integers(0, 40), st.lists(fragment, max_size=6).map("".join))
    return st.lists(st.one_of(fragment, nested), max_size=40).map("".join)


# The tags a block's text may never carry. Like `strip_markup`, "<" directly before a tag name is not
# a tag: Italian text writes «…» as <<…>>.
_TAG_IN_TEXT = re.compile(r"(?<!<)</?(?:" + "|".join(re.escape(n) for n in _TAG_NAMES) + r"|h[1-6])(?=[\s/>])[^<>]*>"
                          r"|<!--|<!\[CDATA\[|<!doctype|<\?xml", re.I)


def test_the_tag_pattern_of_the_property_finds_tags():
    assert _TAG_IN_TEXT.search("testo <b>grassetto</b>") and _TAG_IN_TEXT.search('<a href="x">')
    assert _TAG_IN_TEXT.search("x <!-- c") and _TAG_IN_TEXT.search("<o:p>") and _TAG_IN_TEXT.search("<MY-WIDGET>")
    assert not _TAG_IN_TEXT.search("3 < 4 e 5 > 2") and not _TAG_IN_TEXT.search("<<A volte>>")


@pytest.mark.parametrize("fmt", ["html", "markdown", "text"])
def test_property_any_html_ish_input_gives_blocks_without_tags(fmt):
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_html_ish())
    def check(text):
        tables = parse_documents(_documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/x", "text": text,
                                              "format": fmt, "outlet": None, "url": None, "published_date": None}]),
                                 CONFIG)
        blocks = tables["blocks"]
        assert blocks["block_no"].to_list() == list(range(blocks.height))
        for block_text in blocks["text"]:
            assert not _TAG_IN_TEXT.search(block_text), block_text
        assert tables["articles"]["n_blocks"].to_list() == [blocks.height]

    check()


def test_property_blocks_keep_reading_order_under_any_nesting():
    """Numbered paragraphs wrapped in random containers and inline elements (closed or not) come out
    as blocks in the order they were written, each exactly once."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    wrapper = st.sampled_from(["div", "section", "article", "span", "b", "blockquote", "ul", "li", "td", "main"])
    opening = st.lists(st.tuples(wrapper, st.booleans()), max_size=30)

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.tuples(opening, st.sampled_from(["p", "li", "div", "h2", "blockquote"])), min_size=1, max_size=12))
    def check(paragraphs):
        html = ""
        for n, (wrappers, block) in enumerate(paragraphs):
            sentence = f"La frase numero {n + 1} è stata scritta per questa prova."
            html += "".join(f"<{name}>" for name, _ in wrappers) + f"<{block}>{sentence}</{block}>"
            html += "".join(f"</{name}>" for name, is_closed in reversed(wrappers) if is_closed)
        texts = [b.text for b in doc(html, "html").blocks]
        numbers = [int(m) for t in texts for m in re.findall(r"numero (\d+)", t)]
        assert numbers == list(range(1, len(paragraphs) + 1)), texts

    check()


# --- trafilatura's own log records ----------------------------------------------------------------

_PAGE_LIBRARIES = ("trafilatura", "htmldate", "courlan")


@pytest.fixture
def fresh_page_library_loggers():
    """The page libraries' loggers as a new process finds them (no level set), restored afterwards."""
    import logging

    from pipeline.intake.webpage import quiet_page_libraries

    saved = {name: logging.getLogger(name).level for name in _PAGE_LIBRARIES}
    for name in _PAGE_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET)
    quiet_page_libraries.cache_clear()
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)
    quiet_page_libraries.cache_clear()


# Ordinary pages trafilatura declines: a document that is one bare paragraph, a page with a title
# and one short paragraph, a page whose body is a short line outside any paragraph.
ORDINARY_PAGES = {
    "seeds/frammento.html": (f"<p>{P1}</p>", [("paragraph", P1)]),
    "seeds/breve.html": ("<html><head><title>Bollette, via libera</title></head><body>"
                         "<p>Approvato il decreto.</p></body></html>",
                         [("title", "Bollette, via libera"), ("paragraph", "Approvato il decreto.")]),
    "seeds/riga.html": ("<html><body>Il decreto è stato approvato.</body></html>",
                        [("paragraph", "Il decreto è stato approvato.")]),
}


def test_ordinary_pages_parse_without_error_records(caplog, fresh_page_library_loggers):
    import logging

    caplog.set_level(logging.INFO)
    rows = [{"doc_id": f"{i:016x}", "path": path, "text": html, "format": "html", "outlet": None, "url": None,
             "published_date": None} for i, (path, (html, _)) in enumerate(ORDINARY_PAGES.items())]
    tables = parse_documents(_documents(rows), CONFIG)
    for i, (path, (_, expected)) in enumerate(ORDINARY_PAGES.items()):
        blocks = tables["blocks"].filter(pl.col("doc_id") == f"{i:016x}").sort("block_no")
        assert blocks.select("kind", "text").rows() == expected, path
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_level_set_on_trafilatura_is_kept(caplog, fresh_page_library_loggers):
    """Whoever sets a level on trafilatura's logger (to debug a page) sees its records again."""
    import logging

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    caplog.set_level(logging.INFO)
    parse_documents(_documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/frammento.html", "text": f"<p>{P1}</p>",
                                 "format": "html", "outlet": None, "url": None, "published_date": None}]), CONFIG)
    assert any(r.name.startswith("trafilatura") and r.levelno == logging.ERROR for r in caplog.records)
