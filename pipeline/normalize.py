"""Stage `normalize`: from parsed blocks to sentences, entities, mentions, quotes, time
expressions, quantities and in-article anomalies.

Reads data/parsed/blocks.parquet and data/parsed/articles.parquet, writes the seven tables of
the normalized layer (see pipeline/schemas.py for their grain and columns). All the logic is
in pure functions of `pipeline.nlp`; this module only wires them and does the IO.

Run: `python -m pipeline.normalize` (params: the `normalize` block of params.yaml).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import polars as pl

from pipeline.common import (
    ROOT,
    empty_table,
    load_params,
    progress,
    read_table,
    settings_from_params,
    setup_logging,
    write_table,
)
from pipeline.nlp.anomalies import find_anomalies
from pipeline.nlp.entities import ALIASES_CSV, Lexicon, default_lexicon, lexicon_from_rows, link_mentions
from pipeline.nlp.pubdate import dominant_year
from pipeline.nlp.quantities import extract_quantities
from pipeline.nlp.quotes import extract_quotes
from pipeline.nlp.sentences import SENTENCE_BLOCK_KINDS, split_sentences
from pipeline.nlp.times import extract_time_expressions

log = logging.getLogger("pipeline.normalize")

OUTPUT_TABLES = ("sentences", "entities", "mentions", "quotes", "time_expressions", "quantities", "anomalies")


def load_lexicon(path: str | None) -> Lexicon:
    """The alias table at `path` (relative to the repository root), or the packaged default."""
    if not path or (ROOT / path).resolve() == ALIASES_CSV.resolve():
        return default_lexicon()
    import csv

    with open(ROOT / path, encoding="utf-8", newline="") as fh:
        return lexicon_from_rows(list(csv.DictReader(fh)))


@dataclass(frozen=True)
class QuoteSettings:
    """params.yaml `normalize.quotes`."""

    min_words: int = 3
    speaker_carry_sentences: int = 2


@dataclass(frozen=True)
class NormalizeSettings:
    """The params.yaml `normalize` block (documented there)."""

    sentence_block_kinds: tuple[str, ...] = SENTENCE_BLOCK_KINDS
    alias_table: str | None = None  # None: the packaged alias table
    quotes: QuoteSettings = QuoteSettings()


def normalize(
    blocks: pl.DataFrame,
    articles: pl.DataFrame,
    settings: NormalizeSettings | None = None,
    lexicon: Lexicon | None = None,
) -> dict[str, pl.DataFrame]:
    """All seven normalized tables from the parsed blocks and articles (pure)."""
    settings = settings or NormalizeSettings()
    kinds = tuple(settings.sentence_block_kinds or SENTENCE_BLOCK_KINDS)
    lexicon = lexicon or default_lexicon()

    sentences = split_sentences(blocks, kinds=kinds, progress=progress)
    mentions, entities = link_mentions(sentences, lexicon, progress=progress)
    quotes = extract_quotes(
        sentences,
        mentions,
        entities,
        min_words=settings.quotes.min_words,
        carry_sentences=settings.quotes.speaker_carry_sentences,
    )
    published = articles.select("doc_id", "published_date")
    corpus_year = dominant_year(published["published_date"].drop_nulls().to_list())
    time_expressions = extract_time_expressions(sentences, published, corpus_year)
    quantities = extract_quantities(sentences)
    anomalies = find_anomalies(sentences, time_expressions, quantities, blocks)
    return {
        "sentences": sentences,
        "entities": entities,
        "mentions": mentions,
        "quotes": quotes,
        "time_expressions": time_expressions,
        "quantities": quantities,
        "anomalies": anomalies,
    }


def main() -> None:
    setup_logging()
    settings = settings_from_params(NormalizeSettings, load_params("normalize"), "normalize")
    blocks = read_table("blocks")
    articles = read_table("articles", columns=["doc_id", "published_date"])
    tables = normalize(blocks, articles, settings, load_lexicon(settings.alias_table))
    for name in OUTPUT_TABLES:
        df = tables.get(name)
        write_table(name, df if df is not None else empty_table(name))
    counts = ", ".join(f"{tables[name].height} {name}" for name in OUTPUT_TABLES)
    log.info("normalize: %s", counts)


if __name__ == "__main__":
    main()
