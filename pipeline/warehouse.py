"""Stage `warehouse`: one DuckDB file exposing every contract table as a view of the same name.

Each view reads its Parquet file by a path relative to the repository root
(`SELECT * FROM read_parquet('data/raw/documents.parquet')`), so open the warehouse from the
repository root, read-only, from Python (duckdb 1.5) or from the `duckdb` shell of the pinned
`duckdb-cli` (same storage version). The file holds only the catalog: the data is not copied,
and the file is byte-identical on every run (DuckDB writes uninitialised padding into data
blocks, so a file holding copied rows would not be). A few convenience views join the tables
the way readers ask questions (see README).
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.common import ROOT, setup_logging, table_path
from pipeline.schemas import TABLES

log = logging.getLogger("pipeline.warehouse")

WAREHOUSE = "data/warehouse.duckdb"

# Views for the questions readers ask most; each only reads contract tables.
CONVENIENCE_VIEWS = {
    "conflict_details": """
        SELECT c.conflict_id, c.kind, cl.label AS claim,
               aa.source_id AS source_a, sa.text AS sentence_a, c.value_a,
               ab.source_id AS source_b, sb.text AS sentence_b, c.value_b,
               c.explanation, c.status, c.confidence
        FROM conflicts c
        JOIN claims cl USING (claim_id)
        JOIN sentences sa ON sa.sent_id = c.sent_id_a
        JOIN sentences sb ON sb.sent_id = c.sent_id_b
        JOIN articles aa ON aa.doc_id = c.doc_id_a
        JOIN articles ab ON ab.doc_id = c.doc_id_b""",
    "claim_sentences": """
        SELECT e.claim_id, cl.label AS claim, cl.n_sources, e.source_id, e.stance,
               e.similarity, e.sent_id, s.text AS sentence
        FROM claim_evidence e
        JOIN claims cl USING (claim_id)
        JOIN sentences s USING (sent_id)""",
}


def present_tables(root: Path) -> tuple[list[str], list[str]]:
    """Contract tables whose Parquet file exists, and those that do not (yet)."""
    present = [name for name in TABLES if table_path(name, root).exists()]
    return present, [name for name in TABLES if name not in present]


def build_warehouse(root: Path, db_path: Path) -> list[str]:
    """(Re)create the DuckDB file; returns the names of the views created."""
    present, _ = present_tables(root)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path.resolve()))
    try:
        # Views are bound (and checked) against the repository root's files; the setting is not stored.
        con.execute("SET file_search_path = " + _sql_string(str(Path(root).resolve())))
        for name in present:
            # relative to the repository root, so the file is the same on every machine
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{TABLES[name].path}')")
        views = list(present)
        for name, sql in CONVENIENCE_VIEWS.items():
            try:
                con.execute(f"CREATE VIEW {name} AS {sql}")
                views.append(name)
            except duckdb.CatalogException:
                pass  # a table it reads is not built yet
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return views


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def main() -> None:
    setup_logging()
    db_path = ROOT / WAREHOUSE
    present, missing = present_tables(ROOT)
    if missing:
        log.warning("warehouse: not built yet, no view for: %s", ", ".join(missing))
    views = build_warehouse(ROOT, db_path)
    log.info("warehouse: %s with %d views", db_path.relative_to(ROOT), len(views))


if __name__ == "__main__":
    main()
