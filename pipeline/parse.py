"""Stage `parse`: split each document into typed blocks in reading order.

Outputs (grain in `pipeline.schemas`):
- `articles`: one row per document (title, subtitle, section, byline, publication date, sizes).
- `blocks`: one row per block of a document, in reading order; `text` has no markup, `raw` is the
  block as it stood in the input.
- `links`: one row per link, image or embed found in a block.
- `sources`: one row per source (outlet), counting its documents.

The rules live in `pipeline.parsing` (`units`, `syntax`, `markdown`, `html`, `rules`, `document`);
this module only reads `documents`, calls `parse_corpus` and writes the four tables. The documents
are parsed in partitions on the execution engine (params `execution`, pipeline/execution.py); the
corpus year of the publication dates and the `sources` table are computed in this process.
"""

from __future__ import annotations

import logging

import polars as pl

from pipeline.common import load_params, read_table, settings_from_params, setup_logging, write_table
from pipeline.execution import load_execution, open_engine
from pipeline.parsing.document import parse_corpus
from pipeline.parsing.rules import ParseConfig

log = logging.getLogger("pipeline.parse")


def main() -> None:
    setup_logging()
    config = settings_from_params(ParseConfig, load_params("parse"), "parse")
    documents = read_table("documents")
    with open_engine(load_execution()) as engine:
        tables = parse_corpus(documents, config, engine)
    for name, df in tables.items():
        write_table(name, df)
    n_untitled = tables["articles"].filter(pl.col("title").is_null()).height
    log.info("parse: %d articles (%d without a title), %d blocks, %d links, %d sources",
             tables["articles"].height, n_untitled, tables["blocks"].height, tables["links"].height,
             tables["sources"].height)


if __name__ == "__main__":
    main()
