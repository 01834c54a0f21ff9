"""Stage `normalize`: from parsed blocks to sentences, entities, mentions, quotes, time
expressions, quantities and in-article anomalies.

Reads data/parsed/blocks.parquet and data/parsed/articles.parquet, writes the seven tables of
the normalized layer (see pipeline/schemas.py for their grain and columns). All the logic is
in pure functions of `pipeline.nlp`; this module only wires them and does the IO.

Run: `python -m pipeline.normalize` (params: the `normalize` block of params.yaml; where the
per-document work runs: the `execution` block, see pipeline/execution.py).
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
from pipeline.execution import (
    DaskEngine,
    ExecutionSettings,
    LocalEngine,
    concat_partitions,
    load_execution,
    open_engine,
    partition_frames,
)
from pipeline.nlp.anomalies import find_anomalies
from pipeline.nlp.entities import (
    ALIASES_CSV,
    Lexicon,
    default_lexicon,
    find_name_candidates,
    lexicon_from_rows,
    resolve_mentions,
)
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
    engine: LocalEngine | DaskEngine | None = None,
) -> dict[str, pl.DataFrame]:
    """All seven normalized tables from the parsed blocks and articles (pure).

    The per-document work (`normalize_documents`) runs on partitions of whole documents on
    `engine` (default: in this process, in one partition); what needs the whole corpus (the
    corpus year, the registry of names that links mentions to entities, the entities' types)
    is computed here, between the maps, so the tables do not depend on the partitioning.
    """
    settings = settings or NormalizeSettings()
    kinds = tuple(settings.sentence_block_kinds or SENTENCE_BLOCK_KINDS)
    lexicon = lexicon or default_lexicon()
    engine = engine or LocalEngine(ExecutionSettings(partition_docs=max(1, blocks["doc_id"].n_unique())))
    partition_docs = engine.settings.partition_docs

    published = articles.select("doc_id", "published_date")
    corpus_year = dominant_year(published["published_date"].drop_nulls().to_list())
    # Only documents with blocks have anything to normalize; their articles rows go with them.
    published = published.filter(pl.col("doc_id").is_in(blocks["doc_id"].unique().implode()))
    parts = partition_frames({"blocks": blocks, "published": published}, partition_docs)
    results = engine.map_partitions(normalize_documents, parts, desc="normalize", kinds=kinds,
                                    corpus_year=corpus_year, lexicon=lexicon)
    candidates = [c for result in results for c in result.pop("name_candidates")]
    tables = concat_partitions(results) if results else _empty_per_document_tables()

    mentions, entities = resolve_mentions(candidates, lexicon, progress=progress)
    entity_types = entities.select("entity_id", "type")
    parts = partition_frames({"sentences": tables["sentences"], "mentions": mentions}, partition_docs)
    quotes = engine.map_partitions(
        quotes_of_documents, parts, desc="quotes", entity_types=entity_types,
        min_words=settings.quotes.min_words,
        carry_sentences=settings.quotes.speaker_carry_sentences,
    )
    return {
        "sentences": tables["sentences"],
        "entities": entities,
        "mentions": mentions,
        "quotes": pl.concat(quotes) if quotes else empty_table("quotes"),
        "time_expressions": tables["time_expressions"],
        "quantities": tables["quantities"],
        "anomalies": tables["anomalies"],
    }


def normalize_documents(
    part: dict[str, pl.DataFrame], kinds: tuple[str, ...], corpus_year: int | None, lexicon: Lexicon
) -> dict:
    """The per-document tables of one partition of whole documents (its `blocks` and `published`
    rows): sentences, time expressions, quantities, anomalies, and the name candidates that
    `resolve_mentions` links corpus-wide afterwards."""
    blocks = part["blocks"]
    sentences = split_sentences(blocks, kinds=kinds)
    time_expressions = extract_time_expressions(sentences, part["published"], corpus_year)
    quantities = extract_quantities(sentences)
    return {
        "sentences": sentences,
        "name_candidates": find_name_candidates(sentences, lexicon),
        "time_expressions": time_expressions,
        "quantities": quantities,
        "anomalies": find_anomalies(sentences, time_expressions, quantities, blocks),
    }


def quotes_of_documents(
    part: dict[str, pl.DataFrame], entity_types: pl.DataFrame, min_words: int, carry_sentences: int
) -> pl.DataFrame:
    """The quotes of one partition of whole documents (its `sentences` and `mentions` rows), the
    speakers typed with the corpus-wide `entity_types` (entity_id, type)."""
    return extract_quotes(part["sentences"], part["mentions"], entity_types,
                          min_words=min_words, carry_sentences=carry_sentences)


def _empty_per_document_tables() -> dict[str, pl.DataFrame]:
    return normalize_documents(
        {"blocks": empty_table("blocks"), "published": empty_table("articles").select("doc_id", "published_date")},
        SENTENCE_BLOCK_KINDS, None, default_lexicon())


def main() -> None:
    setup_logging()
    settings = settings_from_params(NormalizeSettings, load_params("normalize"), "normalize")
    blocks = read_table("blocks")
    articles = read_table("articles", columns=["doc_id", "published_date"])
    with open_engine(load_execution()) as engine:
        tables = normalize(blocks, articles, settings, load_lexicon(settings.alias_table), engine)
    for name in OUTPUT_TABLES:
        df = tables.get(name)
        write_table(name, df if df is not None else empty_table(name))
    counts = ", ".join(f"{tables[name].height} {name}" for name in OUTPUT_TABLES)
    log.info("normalize: %s", counts)


if __name__ == "__main__":
    main()
