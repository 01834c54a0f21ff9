"""Documents -> tables: `parse_corpus` (documents frame in; articles with their publication
dates, blocks, links, sources out; per-document work on the execution engine), built from
`parse_each_document`, `build_sources` and the publication-date halves
(`published_date_evidence`, then `pipeline.nlp.pubdate.resolve_published_dates` corpus-wide);
`parse_documents` and `attach_published_dates` for a whole frame at once; `parse_document` for one text.
"""

from __future__ import annotations

import logging
import re
from html import unescape as html_unescape
from pathlib import PurePosixPath

import polars as pl

from pipeline.common import frame, progress, slugify
from pipeline.parsing.html import mark_outside_main_text, parse_html_tree, tree_depth, units_from_html
from pipeline.parsing.markdown import units_from_text
from pipeline.parsing.rules import ParseConfig, classify_units
from pipeline.parsing.syntax import drop_hidden_markup, strip_markup
from pipeline.parsing.units import WHITESPACE, ParsedDocument, Unit, has_letters
from pipeline.schemas import TABLES

log = logging.getLogger(__name__)

# --- documents -> tables -----------------------------------------------------------------------


def parse_document(text: str, fmt: str, config: ParseConfig, main_text: str | None = None) -> ParsedDocument:
    """Blocks of one document. For HTML, `main_text` (the page's main text as trafilatura finds
    it, `pipeline.intake.webpage.main_text`) turns the paragraphs outside it into boilerplate
    (`mark_outside_main_text`), unless the page is nested too deep for lxml's tree builder."""
    if fmt == "html":
        tree = parse_html_tree(text)
        units = units_from_html(text, tree=tree)
        if main_text:
            from pipeline.intake.webpage import LXML_MAX_DEPTH

            if tree_depth(tree) <= LXML_MAX_DEPTH:
                mark_outside_main_text(units, main_text)
    else:
        units = units_from_text(drop_hidden_markup(text), markdown=fmt == "markdown")
    return classify_units(_without_markup(units), config)


def _without_markup(units: list[Unit]) -> list[Unit]:
    """Tags left in the units' text removed; a unit that was nothing but markup is left out."""
    kept = []
    for u in units:
        if "<" in u.text:
            text = strip_markup(u.text)
            if not text.strip() and not u.links:
                continue
            u.text = text
        kept.append(u)
    return kept


_ANY_TAG = re.compile(r"<[a-z/!?][^<>]{0,2000}>", re.I)


def fallback_text(text: str, fmt: str) -> str:
    """The visible text of a document that could not be parsed, as one paragraph: hidden markup
    and tags removed (for HTML every tag, with entities decoded), spacing collapsed."""
    text = drop_hidden_markup(text)
    if fmt == "html":
        text = html_unescape(_ANY_TAG.sub(" ", text))
    return WHITESPACE.sub(" ", strip_markup(text)).strip()


def source_id_for(doc_id: str, outlet: str | None) -> str:
    """The outlet's slug when known, else a stable per-document id ("doc-" + 8 hex of doc_id)."""
    slug = slugify(outlet) if outlet else ""
    return slug or f"doc-{doc_id[:8]}"


# Columns of `documents` that only collection rows fill (absent from frames built by older code or tests).
_ROW_METADATA = {"row_id": pl.Utf8, "title": pl.Utf8, "author": pl.Utf8}
# Private column of the articles frame between `parse_documents` and `attach_published_dates`.
HTML_DATE = "html_published_date"


def _plain(value: str | None) -> str | None:
    """A metadata string as block text: tags (also ones spelled with entities) removed, one line."""
    if not value:
        return None
    text = WHITESPACE.sub(" ", strip_markup(html_unescape(value) if "&" in value else value)).strip()
    return text if has_letters(text) else None


def _with_row_metadata(documents: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in _ROW_METADATA.items()
               if name not in documents.columns]
    return documents.with_columns(missing) if missing else documents


def parse_documents(documents: pl.DataFrame, config: ParseConfig) -> dict[str, pl.DataFrame]:
    """documents -> {articles (without publication dates), blocks, links, sources}: the tables of
    `parse_each_document` with the `sources` of the whole input (`build_sources`)."""
    tables = parse_each_document(documents, config)
    named = tables.pop("named")
    tables["sources"] = build_sources(tables["articles"], named)
    return tables


def parse_each_document(documents: pl.DataFrame, config: ParseConfig) -> dict[str, pl.DataFrame]:
    """documents -> {articles (without publication dates), blocks, links, named (doc_id, path and
    the outlet found, for `build_sources`)}, each document by itself.

    Metadata, first given first: a collection row's own title, author, outlet, URL and date
    (documents columns) win over the text; for a web page (format html) what its markup states
    (`pipeline.intake.webpage.page_metadata`) comes next: the title when the text has none, the
    author, the site name as outlet when the manifest gives none, the canonical URL, and the date
    (kept in the private column `html_published_date` for `attach_published_dates`)."""
    from pipeline.intake.webpage import PageMetadata, main_text, page_metadata

    articles, blocks, links, outlets = [], [], [], []
    documents = _with_row_metadata(documents)
    rows = documents.select("doc_id", "path", "text", "format", "outlet", "url", "title", "author").iter_rows(named=True)
    for doc in progress(rows, desc="parse", total=documents.height):
        page = page_metadata(doc["text"]) if doc["format"] == "html" else PageMetadata()
        try:
            main = main_text(doc["text"]) if doc["format"] == "html" else None
            parsed = parse_document(doc["text"], doc["format"], config, main_text=main)
        except Exception:  # noqa: BLE001 - one bad document never stops the run
            log.exception("%s: parsing failed; the whole text is kept as one paragraph", doc["path"])
            parsed = ParsedDocument([Unit(raw=doc["text"], text=fallback_text(doc["text"], doc["format"]),
                                          kind="paragraph")], None, None, None, None)
        given_title = _plain(doc["title"]) or (None if parsed.title else _plain(page.title))
        if given_title and not parsed.title:
            parsed.blocks.insert(0, Unit(raw=given_title, text=given_title, kind="title"))
        for block_no, b in enumerate(parsed.blocks):
            blocks.append({"doc_id": doc["doc_id"], "block_no": block_no, "kind": b.kind, "text": b.text, "raw": b.raw})
            for link in b.links:
                links.append({"doc_id": doc["doc_id"], "block_no": block_no, "kind": link.kind,
                              "text": link.text, "target": link.target})
        outlet = doc["outlet"] or page.site_name
        outlets.append(outlet)
        articles.append({
            "doc_id": doc["doc_id"],
            "source_id": source_id_for(doc["doc_id"], outlet),
            "title": given_title or parsed.title,
            "subtitle": parsed.subtitle,
            "section": parsed.section,
            "byline": _plain(doc["author"]) or _plain(page.author) or parsed.byline,
            "n_blocks": len(parsed.blocks),
            "n_chars": len(doc["text"]),
            "url": doc["url"] or page.url,
            HTML_DATE: page.published_date,
        })
    schema = {k: v for k, v in TABLES["articles"].polars_schema.items()
              if k not in ("published_date", "published_date_source")}
    articles_df = pl.DataFrame(articles, schema={**schema, HTML_DATE: pl.Date})
    named = documents.select("doc_id", "path").with_columns(pl.Series("outlet", outlets, dtype=pl.Utf8))
    return {
        "articles": articles_df,
        "blocks": frame("blocks", blocks),
        "links": frame("links", links),
        "named": named,
    }


def build_sources(articles: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """One row per source_id: the outlet's name (or "<file name> (outlet unknown)") and its documents.

    The file name comes first so that names cut short in charts stay distinguishable.
    """
    named = articles.select("doc_id", "source_id").join(documents.select("doc_id", "path", "outlet"), on="doc_id")
    named = named.with_columns(
        pl.coalesce(
            pl.col("outlet"),
            pl.format("{} (outlet unknown)", pl.col("path").map_elements(lambda p: PurePosixPath(p).name,
                                                                           return_dtype=pl.Utf8)),
        ).alias("name")
    )
    return named.group_by("source_id").agg(
        pl.col("name").min().alias("name"),  # min: deterministic when spellings of one outlet differ
        pl.len().cast(pl.Int64).alias("n_docs"),
    )


def document_plain_text(blocks: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> the markup-free text of all its blocks, in reading order, one block per paragraph."""
    return (
        blocks.sort("doc_id", "block_no")
        .group_by("doc_id", maintain_order=True)
        .agg(pl.col("text").str.join("\n\n").alias("text"))
    )


def attach_published_dates(articles: pl.DataFrame, documents: pl.DataFrame, blocks: pl.DataFrame) -> pl.DataFrame:
    """Add published_date and published_date_source from `pipeline.nlp.pubdate`. A date given
    with the document comes first: the manifest's (`manifest`), a collection row's
    (`collection`), then the web page's markup (`html_meta`, the private `html_published_date`
    column, dropped here); the URL rule reads the article's URL (`articles.url`)."""
    from pipeline.nlp.pubdate import resolve_published_dates

    dates = resolve_published_dates(published_date_evidence(articles, documents, blocks))
    return with_published_dates(articles, dates)


def published_date_evidence(articles: pl.DataFrame, documents: pl.DataFrame, blocks: pl.DataFrame) -> list:
    """What each document says about its publication date (`pipeline.nlp.pubdate.date_evidence`),
    one entry per documents row, each document read by itself (see `attach_published_dates`)."""
    from pipeline.nlp.pubdate import date_evidence

    documents = _with_row_metadata(documents)
    if HTML_DATE not in articles.columns:
        articles = articles.with_columns(pl.lit(None, dtype=pl.Date).alias(HTML_DATE))
    if "url" not in articles.columns:
        articles = articles.with_columns(pl.lit(None, dtype=pl.Utf8).alias("url"))
    given = documents.select(
        "doc_id",
        pl.col("url").alias("document_url"),
        pl.col("published_date").alias("document_date"),
        pl.when(pl.col("row_id").is_not_null()).then(pl.lit("collection")).otherwise(pl.lit("manifest"))
        .alias("document_date_source"),
    ).join(articles.select("doc_id", "url", HTML_DATE), on="doc_id", how="left")
    inputs = (
        given.join(document_plain_text(blocks), on="doc_id", how="left")
        .with_columns(
            pl.col("text").fill_null(""),
            pl.coalesce("document_url", "url").alias("url"),
            pl.coalesce("document_date", HTML_DATE).alias("manifest_date"),
            pl.when(pl.col("document_date").is_not_null()).then(pl.col("document_date_source"))
            .when(pl.col(HTML_DATE).is_not_null()).then(pl.lit("html_meta"))
            .otherwise(pl.lit(None, dtype=pl.Utf8)).alias("manifest_date_source"),
        )
        .select("doc_id", "text", "url", "manifest_date", "manifest_date_source")
    )
    return date_evidence(inputs)


def with_published_dates(articles: pl.DataFrame, dates: pl.DataFrame) -> pl.DataFrame:
    """The articles with their `dates` (doc_id, published_date, published_date_source) joined,
    the private `html_published_date` column dropped."""
    dates = dates.select("doc_id", "published_date", "published_date_source")
    if "url" not in articles.columns:
        articles = articles.with_columns(pl.lit(None, dtype=pl.Utf8).alias("url"))
    return articles.drop(HTML_DATE, strict=False).join(dates, on="doc_id", how="left")


# --- the corpus on the execution engine ----------------------------------------------------------


def parse_partition(part: dict[str, pl.DataFrame], config: ParseConfig) -> dict:
    """The per-document results of one partition of whole documents (its `documents` rows): the
    tables of `parse_each_document` and the publication-date evidence of each document (the year
    is voted corpus-wide afterwards, by `parse_corpus`)."""
    documents = part["documents"]
    tables = parse_each_document(documents, config)
    tables["date_evidence"] = published_date_evidence(tables["articles"], documents, tables["blocks"])
    return tables


def parse_corpus(documents: pl.DataFrame, config: ParseConfig, engine=None) -> dict[str, pl.DataFrame]:
    """documents -> {articles (with publication dates), blocks, links, sources} (pure).

    Each partition of whole documents is parsed on `engine` (`parse_partition`; default: in this
    process, in one partition); what needs the whole corpus is done here, after the map: the
    dominant year that dates a "12 febbraio" without a year (`resolve_published_dates`) and the
    `sources` table (a source's documents may lie in any partition). The tables are the same,
    once conformed, for any engine and partitioning.
    """
    from pipeline.execution import ExecutionSettings, LocalEngine, concat_partitions, partition_frames
    from pipeline.nlp.pubdate import resolve_published_dates

    engine = engine or LocalEngine(ExecutionSettings(partition_docs=max(1, documents["doc_id"].n_unique())))
    parts = partition_frames({"documents": documents}, engine.settings.partition_docs)
    results = (engine.map_partitions(parse_partition, parts, desc="parse", config=config) if parts
               else [parse_partition({"documents": documents}, config)])
    evidence = [entry for result in results for entry in result.pop("date_evidence")]
    tables = concat_partitions(results)
    sources = build_sources(tables["articles"], tables["named"])
    articles = with_published_dates(tables["articles"], resolve_published_dates(evidence))
    return {"articles": articles, "blocks": tables["blocks"], "links": tables["links"], "sources": sources}
