"""Quality gates for the contract tables (stage `validate`).

- `checks`: which expectations hold for which table, generated from `pipeline.schemas` (columns,
  dtypes, nullability, keys, value sets, ranges, references) plus the cross-table rules the
  contract implies (offsets inside their text, reconciliation of counts and input files) and data
  health. Pure polars: it builds the frames each expectation runs on.
- `gx_runner`: runs those expectations with Great Expectations 1.x (imported only there).
- `results`: the outcome of each check, the deterministic summary and the failure messages.
- `context`: the input file and the sentence each offending sample row comes from.
- `page`: the self-contained HTML quality page.

`evaluate(tables, input_files, settings)` is the whole gate as one function: tables in, results out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from pipeline.quality.checks import Check, GateSettings, plan_checks
from pipeline.quality.results import CheckResult


def evaluate(
    tables: Mapping[str, pl.DataFrame],
    input_files: Sequence[str] | Mapping[str, int | None] | None,
    settings: GateSettings,
) -> list[CheckResult]:
    """Run every check on `tables` (name -> frame; a missing name is a missing table).

    `input_files` are the input paths relative to the repository root that ingest had to account
    for (or path -> number of rows, for article collections; None for single files); None skips
    the input reconciliation checks. Failed checks' sample rows carry the input
    file and the sentence they come from (`pipeline.quality.context`).
    """
    from pipeline.quality.context import add_context
    from pipeline.quality.gx_runner import run_plan

    results = run_plan(plan_checks(tables, input_files, settings), sample_rows=settings.sample_rows)
    return add_context(results, tables)


__all__ = ["Check", "CheckResult", "GateSettings", "evaluate", "plan_checks"]
