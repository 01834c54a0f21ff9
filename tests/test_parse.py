"""Unit tests of stage `parse` on Italian snippets written here (not the seeds)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.parse import (
    ParseConfig,
    attach_published_dates,
    byline_names,
    is_boilerplate_line,
    parse_document,
    parse_documents,
    source_id_for,
    strip_inline_markdown,
)

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
    import pipeline.parse as parse_module

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module, "classify_units", boom)
    documents = _documents([{"doc_id": "aaaaaaaaaaaaaaaa", "path": "seeds/a.txt", "text": P1, "format": "text",
                             "outlet": None, "url": None, "published_date": None}])
    tables = parse_documents(documents, CONFIG)
    assert tables["blocks"].rows() == [("aaaaaaaaaaaaaaaa", 0, "paragraph", P1, P1)]


# --- details -----------------------------------------------------------------------------------


def test_a_mistyped_opening_quote_after_the_period_still_ends_the_sentence():
    from pipeline.parse import is_terminated

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
