"""Stage `validate`: quality gates on every contract table, before anything is reported.

Reads every table of `pipeline.schemas` (a missing or unreadable Parquet file counts as a missing
table), lists the input entries from the seeds inventory (ingest's `seeds_dir` and `manifest` params,
read only) and counts the rows of each article collection among them (`ingest.collection_columns`),
runs the gate (`pipeline.quality.evaluate`: Great Expectations 1.x suites generated from the
schemas, cross-table reconciliation, data health), and writes

- `reports/quality/summary.json`: totals by table and severity, and every failure (DVC metrics);
- `reports/quality/index.html`: a self-contained page with every check and its offending rows.

Both are written first; then the stage exits non-zero if any error-level check failed, naming the
table, the expectation and sample offending rows with the input file and the sentence each comes
from, so `dvc repro` stops before the warehouse and the report. Warnings are printed and recorded but do not stop the run.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from pipeline.common import ROOT, load_params, settings_from_params, setup_logging, table_path
from pipeline.intake.inventory import INVENTORY_PATH, inventory
from pipeline.quality import GateSettings, evaluate
from pipeline.quality.page import render_page
from pipeline.quality.results import FAILED, blocking_document_paths, failure_report, summarize
from pipeline.schemas import TABLES

log = logging.getLogger("pipeline.validate")

SUMMARY_PATH = Path("reports/quality/summary.json")
PAGE_PATH = Path("reports/quality/index.html")


def input_entries(rows: Iterable[dict], seeds_dir: str, manifest: str | None) -> dict[str, str]:
    """Input entries as ingest must account for them, from inventory rows: path relative to the
    repository root -> kind (`file`, `link`, `special`, …). Every entry except hidden ones and the
    manifest (or a link to it).

    Taken from the `scan` inventory, not from ingest's own listing, so that an entry ingest lost
    is caught.
    """
    manifest_rel = os.path.relpath(manifest, seeds_dir) if manifest else None
    entries = {}
    for row in rows:
        rel = row["path"]
        if any(part.startswith(".") for part in rel.split("/")) or rel == manifest_rel:
            continue
        if row["kind"] == "link" and manifest_rel is not None:
            target = os.path.normpath(os.path.join(os.path.dirname(rel), row["detail"]))
            if target == manifest_rel:
                continue
        entries[Path(seeds_dir, rel).as_posix()] = row["kind"]
    return dict(sorted(entries.items()))


def list_input_files(root: Path, seeds_dir: str, manifest: str | None) -> list[str]:
    """The input entries of the seeds folder as it is now (`input_entries` of a fresh inventory)."""
    return list(input_entries(inventory(root / seeds_dir), seeds_dir, manifest))


def read_inventory(root: Path) -> list[dict]:
    """The inventory the `scan` stage wrote for this run."""
    with open(root / INVENTORY_PATH, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def input_row_counts(root: Path, input_files: list[str], inventory_kinds: dict[str, str],
                     collection_columns: dict | None = None) -> dict[str, int | None]:
    """path -> number of rows for each input that is an article collection (a regular file named
    *.csv, *.jsonl, *.ndjson or *.parquet that opens as one), counted here, independently of
    ingest's tables; None for every other input (one row in documents or rejected)."""
    from pipeline.intake.collections import collection_kind, column_aliases, count_rows

    aliases = column_aliases(collection_columns)
    counts: dict[str, int | None] = {}
    for rel in input_files:
        is_collection = inventory_kinds.get(rel) == "file" and collection_kind(rel) is not None
        counts[rel] = count_rows(root / rel, aliases) if is_collection else None
    return counts


def read_tables(root: Path) -> dict[str, pl.DataFrame]:
    """Every contract table that can be read; a missing or unreadable file is left out (the gate
    reports it as a missing table)."""
    tables = {}
    for name in TABLES:
        path = table_path(name, root)
        try:
            tables[name] = pl.read_parquet(path)
        except FileNotFoundError:
            log.error("%s: %s does not exist", name, TABLES[name].path)
        except Exception as err:  # noqa: BLE001 - a corrupt file is a failed check, not a crash
            log.error("%s: cannot read %s: %s", name, TABLES[name].path, err)
    return tables


def write_outputs(results, root: Path) -> dict:
    summary = summarize(results)
    (root / SUMMARY_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / SUMMARY_PATH).write_text(
        json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / PAGE_PATH).write_text(render_page(results), encoding="utf-8")
    return summary


def main() -> None:
    setup_logging()
    settings = settings_from_params(GateSettings, load_params("validate"), "validate")
    ingest = load_params("ingest")
    kinds = input_entries(read_inventory(ROOT), ingest["seeds_dir"], ingest.get("manifest"))
    inputs = input_row_counts(ROOT, list(kinds), kinds, ingest.get("collection_columns"))

    results = evaluate(read_tables(ROOT), inputs, settings)
    summary = write_outputs(results, ROOT)

    report = failure_report(results)
    if report:
        log.error("%s", report)
    totals, errors = summary["totals"], summary["by_severity"]["error"]
    warnings = summary["by_severity"]["warning"]
    log.info("validate: %d checks evaluated, %d passed, %d failed (%d errors, %d warnings), %d skipped; see %s",
             totals["evaluated"], totals["passed"], totals["failed"], errors["failed"], warnings["failed"],
             totals["skipped"], PAGE_PATH)
    if not summary["is_passing"]:
        blocking = sorted({r.check.table for r in results if r.status == FAILED and r.is_blocking})
        paths = blocking_document_paths(results)
        log.error("validate: error-level failures in %s%s: stopping the pipeline", ", ".join(blocking),
                  f" (rows from {', '.join(paths)})" if paths else "")
        sys.exit(1)


if __name__ == "__main__":
    main()
