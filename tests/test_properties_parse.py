"""Property-based tests of parse and of the publication-date reader (Hypothesis).

For arbitrary text, Markdown and HTML (see `tests.helpers`), `parse` returns without raising and
every table it writes meets the declared contract; the publication-date reader returns one row per
document that meets the contract of the `articles` columns it fills, and never takes the date of
an event the text marks as earlier or later than the article's.
"""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp.italian import MONTHS
from pipeline.nlp.pubdate import infer_published_dates
from pipeline.parsing.document import HTML_DATE, attach_published_dates, parse_document, parse_documents
from pipeline.parsing.rules import ParseConfig
from pipeline.schemas import FORMATS, TABLES
from tests.helpers import ITALIAN_WORDS, assert_meets_contract, bounded, dates, markup, news_dates, news_text

CONFIG = ParseConfig()
DOCUMENT_SCHEMA = {"doc_id": pl.Utf8, "path": pl.Utf8, "text": pl.Utf8, "format": pl.Utf8, "outlet": pl.Utf8,
                   "url": pl.Utf8, "published_date": pl.Date}


@st.composite
def html_text(draw) -> str:
    """Tags wrapped around news text, some of them unclosed or stray."""
    parts = draw(st.lists(st.tuples(st.sampled_from(("p", "div", "h1", "h2", "li", "blockquote", "span", "a", "b",
                                                     "article", "nav", "footer", "figure", "figcaption", "td")),
                                    news_text(12), markup), max_size=8))
    body = "".join(f"<{tag}>{text}</{tag}>{extra}" for tag, text, extra in parts)
    return draw(st.sampled_from(("{}", "<html><body>{}</body></html>", "<div>{}", "{}</div></div>"))).format(body)


def document_text(fmt: str) -> st.SearchStrategy[str]:
    return html_text() if fmt == "html" else news_text()


@st.composite
def documents(draw, max_docs: int = 3) -> pl.DataFrame:
    rows = []
    for i in range(draw(st.integers(1, max_docs))):
        fmt = draw(st.sampled_from(FORMATS))
        rows.append({
            "doc_id": f"{i:016x}", "path": f"seeds/{i}.{ {'text': 'txt', 'markdown': 'md', 'html': 'html'}[fmt] }",
            "text": draw(document_text(fmt)), "format": fmt,
            "outlet": draw(st.one_of(st.none(), st.sampled_from(("Il Post", "il post", "Gazzetta di Prova", " ", "Ω")))),
            "url": draw(st.one_of(st.none(), st.just("https://x.it/2025/02/12/a"), news_text(4))),
            "published_date": draw(st.one_of(st.none(), dates)),
        })
    return pl.DataFrame(rows, schema=DOCUMENT_SCHEMA)


@bounded(60)
@given(documents())
def test_parse_writes_tables_that_meet_the_contract(docs):
    tables = parse_documents(docs, CONFIG)
    context = {**tables, "documents": docs}
    # parse_documents keeps a web page's markup date in a private column for attach_published_dates
    assert_meets_contract("articles", tables["articles"].drop(HTML_DATE, strict=False), context, subset=True)
    for name in ("blocks", "links", "sources"):
        assert_meets_contract(name, tables[name], context)
    assert tables["articles"]["doc_id"].to_list() == docs["doc_id"].to_list()
    n_blocks = dict(tables["blocks"].group_by("doc_id").len().iter_rows())
    for doc_id, n in tables["articles"].select("doc_id", "n_blocks").iter_rows():
        assert n == n_blocks.get(doc_id, 0)
        assert tables["blocks"].filter(pl.col("doc_id") == doc_id)["block_no"].to_list() == list(range(n))
    articles = attach_published_dates(tables["articles"], docs, tables["blocks"])
    assert HTML_DATE not in articles.columns
    assert_meets_contract("articles", articles.select(TABLES["articles"].column_names), context)


@bounded(80)
@given(st.sampled_from(FORMATS).flatmap(lambda fmt: st.tuples(st.just(fmt), document_text(fmt))))
def test_parse_document_never_raises(fmt_and_text):
    fmt, text = fmt_and_text
    parsed = parse_document(text, fmt, CONFIG)
    assert all(b.kind is not None for b in parsed.blocks)


@pytest.mark.parametrize("tag", ["div", "blockquote"])
def test_parse_document_never_raises_on_deeply_nested_html(tag):
    # an example test, not a property: a failing deep example would make Hypothesis shrink for minutes
    html = f"<{tag}>" * 3000 + "<p>Il testo della notizia.</p>" + f"</{tag}>" * 3000
    parsed = parse_document(html, "html", CONFIG)
    assert [b.text for b in parsed.blocks if "Il testo" in b.text] == ["Il testo della notizia."]


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


@bounded(80)
@given(html_text())
def test_html_blocks_carry_no_tags(html):
    parsed = parse_document(html, "html", CONFIG)
    for block in parsed.blocks:
        assert not _TAG.search(block.text), block.text


# --- publication date ----------------------------------------------------------------------------

PUBDATE_SCHEMA = {"doc_id": pl.Utf8, "text": pl.Utf8, "url": pl.Utf8, "manifest_date": pl.Date}


@bounded(80)
@given(st.lists(st.tuples(news_text(), st.one_of(st.none(), st.just("https://x.it/2024/02/30/a"), news_text(4)),
                          st.one_of(st.none(), dates)), min_size=1, max_size=4))
def test_publication_dates_meet_the_contract(docs):
    frame = pl.DataFrame([{"doc_id": f"d{i}", "text": t, "url": u, "manifest_date": m} for i, (t, u, m) in enumerate(docs)],
                         schema=PUBDATE_SCHEMA)
    out = infer_published_dates(frame)
    assert_meets_contract("articles", out, subset=True)
    assert out["doc_id"].to_list() == frame["doc_id"].to_list()
    for (_, _, manifest), (date, source) in zip(docs, out.select("published_date", "published_date_source").iter_rows()):
        assert (date is None) == (source is None)
        if manifest is not None:
            assert (date, source) == (manifest, "manifest")


EARLIER_CUES = ("dopo quella del", "dopo quello del", "la precedente telefonata del", "il precedente vertice del",
                "rispetto al", "rispetto a quella del")
LATER_CUES = ("il prossimo vertice del", "la prossima riunione del", "in vista del", "fissato per il",
              "rinviato al", "previsto per il", "quella del")
plain_words = st.lists(st.sampled_from([w for w in ITALIAN_WORDS if not re.search(r"[0-9]", w)]), max_size=12).map(" ".join)


@bounded(120)
@given(plain_words, st.sampled_from(EARLIER_CUES + LATER_CUES), news_dates, st.booleans(), plain_words)
def test_a_date_marked_as_another_event_is_never_the_publication_date(before, cue, day, with_year, after):
    stated = f"{day.day} {list(MONTHS)[day.month - 1]}" + (f" {day.year}" if with_year else "")
    text = f"{before} {cue} {stated} {after}."
    corpus = pl.DataFrame([
        {"doc_id": "dated", "text": "Testo.", "url": None, "manifest_date": day},  # the corpus year is the date's
        {"doc_id": "d", "text": text, "url": None, "manifest_date": None},
    ], schema=PUBDATE_SCHEMA)
    published = dict(infer_published_dates(corpus).select("doc_id", "published_date").iter_rows())["d"]
    assert published != day, text
