"""Run a plan's checks with Great Expectations 1.x and turn GE's results into `CheckResult`s.

One ephemeral (in-memory) context, one pandas data source with one dataframe asset. The plan's
batches are validated one suite per table and frame (`suites`): a table's batches whose frames hold
the same rows in the same order are validated once, on the union of their columns, so each check
sees exactly the rows of its own batch (same counts, same offending rows; sample rows keep only its
own batch's columns). The frame is handed over as a pyarrow-backed pandas frame (no copy of string columns,
integer columns with nulls stay integers). Each expectation carries its check id in `meta`, which
is how results are matched back to checks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipeline.quality.checks import Batch, Check, Plan
from pipeline.quality.results import FAILED, PASSED, SKIPPED, CheckResult, json_value

SAMPLE_TEXT_CHARS = 160  # longest text value shown in a sample row
# Expectations on the frame as a whole (its column list) must see their own frame alone.
_WHOLE_FRAME = frozenset({"ExpectTableColumnsToMatchOrderedList"})


@dataclass(frozen=True)
class Suite:
    """Batches validated together on one frame holding the columns of all of them, row for row."""

    batches: tuple[Batch, ...]
    data: pl.DataFrame
    index_columns: tuple[str, ...]  # the union of the batches' index columns

    @property
    def name(self) -> str:
        return "+".join(b.name for b in self.batches)


def _mergeable(batch: Batch) -> bool:
    # A batch without index columns gets GE's bare-value samples; merged, it would get rows.
    return bool(batch.index_columns) and not any(c.expectation in _WHOLE_FRAME for c in batch.checks)


def _aligned(frame: pl.DataFrame, batch: Batch) -> bool:
    """Same rows in the same order: same height, and every column both hold is equal (dtype and values)."""
    other = batch.data
    shared = [c for c in other.columns if c in frame.columns]
    if other.height != frame.height or not set(batch.index_columns) <= set(shared):
        return False
    return all(frame.schema[c] == other.schema[c] for c in shared) and frame.select(shared).equals(other.select(shared))


def _expectations(batch: Batch) -> set[str]:
    return {f"{c.expectation}{sorted(c.kwargs.items())}" for c in batch.checks}


def suites(batches: Sequence[Batch]) -> list[Suite]:
    """One suite per table and frame: the batches of one table (the table of their checks) whose frames
    hold the same rows in the same order (a table's row rules, its reference flags when no reference is
    null, its offset and consistency columns when every row finds its lookup, its count reconciliation)
    are validated once, on the union of their columns; each check then reads exactly the rows and
    columns it read alone. Other batches run alone, as they are."""
    groups: dict[str, list[list]] = {}  # table -> [[frame, batches], ...]
    order: list[list] = []
    for batch in batches:
        if not _mergeable(batch):
            order.append([batch.data, [batch]])
            continue
        for group in groups.setdefault(batch.checks[0].table, []):
            # GE keeps one of two equal expectations (two references' flags share a name): keep them apart
            if _aligned(group[0], batch) and not _expectations(batch) & {e for b in group[1] for e in _expectations(b)}:
                extra = [c for c in batch.data.columns if c not in group[0].columns]
                group[0] = group[0].hstack(batch.data.select(extra))
                group[1].append(batch)
                break
        else:
            group = [batch.data, [batch]]
            groups[batch.checks[0].table].append(group)
            order.append(group)
    return [Suite(tuple(members), frame, tuple(dict.fromkeys(c for b in members for c in b.index_columns)))
            for frame, members in order]


@contextmanager
def _quiet_gx_logging():
    """GE sets some of its loggers to INFO itself and logs its internals there (registering
    decorators, a temporary Data Docs folder per context): silence INFO while it runs."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("contract_tables").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _suite(suite: Suite):
    import great_expectations as gx

    out = gx.ExpectationSuite(name=suite.name)
    for batch in suite.batches:
        for check in batch.checks:
            expectation_class = getattr(gx.expectations, check.expectation)
            out.add_expectation(expectation_class(**check.kwargs, meta={"check_id": check.check_id}))
    return out


def _exception_message(exception_info: Any) -> str | None:
    """GE reports exceptions either flat or keyed by metric; return the first message, if any."""
    if not exception_info:
        return None
    if "raised_exception" in exception_info:
        infos = [exception_info]
    else:
        infos = [v for v in exception_info.values() if isinstance(v, dict)]
    for info in infos:
        if info.get("raised_exception"):
            return str(info.get("exception_message") or "an exception was raised")
    return None


def _sample_rows(check: Check, result: dict, index_columns: Sequence[str], limit: int,
                 other_columns: frozenset[str] = frozenset()) -> tuple[dict, ...]:
    """Offending rows with the identifying columns first, then the columns the check reads
    (`other_columns`: index columns of the other batches of a merged suite, left out)."""
    if check.expectation == "ExpectTableColumnsToMatchOrderedList":
        return tuple(json_value(m) for m in (result.get("details") or {}).get("mismatched", [])[:limit])
    rows = result.get("partial_unexpected_index_list")
    if rows is None:  # no index columns: GE lists bare values
        values = result.get("partial_unexpected_list") or []
        return tuple({"value": json_value(v)} for v in values[:limit])
    order = list(dict.fromkeys([*index_columns, *check.columns]))
    samples: list[dict] = []
    for row in rows:  # GE lists both copies of a duplicate: show each offending row once
        keys = [k for k in order if k in row] + sorted(k for k in row if k not in order and k not in other_columns)
        sample = {k: _shorten(json_value(row[k])) for k in keys}
        if sample not in samples:
            samples.append(sample)
    return tuple(samples[:limit])


def _shorten(value: Any, limit: int = SAMPLE_TEXT_CHARS) -> Any:
    """Long texts (a whole sentence or article) cut for the message, the page and the summary."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _observed(value: Any) -> Any:
    value = json_value(value)
    return round(value, 6) if isinstance(value, float) else value


def _to_result(check: Check, gx_result, index_columns: Sequence[str], sample_rows: int,
               other_columns: frozenset[str] = frozenset()) -> CheckResult:
    result = dict(gx_result.result or {})
    error = _exception_message(gx_result.exception_info)
    return CheckResult(
        check=check,
        status=PASSED if gx_result.success and error is None else FAILED,
        element_count=json_value(result.get("element_count")),
        unexpected_count=json_value(result.get("unexpected_count")),
        observed=_observed(result.get("observed_value")),
        sample_rows=() if gx_result.success else _sample_rows(check, result, index_columns, sample_rows,
                                                              other_columns),
        note=f"could not be evaluated: {error}" if error else None,
    )


def run_plan(plan: Plan, sample_rows: int = 5) -> list[CheckResult]:
    """Evaluate every batch of `plan`; results come back in the plan's check order."""
    with _quiet_gx_logging():
        return _run_plan(plan, sample_rows)


def _run_plan(plan: Plan, sample_rows: int) -> list[CheckResult]:
    batch_definition = _context()
    by_id: dict[str, CheckResult] = {}
    for suite in suites(plan.batches):
        frame = suite.data.to_pandas(use_pyarrow_extension_array=True)
        # Twice as many as shown: duplicates come in pairs of identical sample rows.
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 2 * sample_rows,
                         "return_unexpected_index_query": False}
        if suite.index_columns:
            result_format["unexpected_index_column_names"] = list(suite.index_columns)
        try:
            validation = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
                _suite(suite), result_format=result_format)
        except Exception as err:  # noqa: BLE001 - one unexpected frame fails its checks, not the run
            for batch in suite.batches:
                for check in batch.checks:
                    by_id[check.check_id] = CheckResult(
                        check=check, status=FAILED, note=f"could not be evaluated: {type(err).__name__}: {err}")
            continue
        batch_of = {c.check_id: (c, b) for b in suite.batches for c in b.checks}
        for gx_result in validation.results:
            check, batch = batch_of[gx_result.expectation_config.meta["check_id"]]
            others = frozenset(suite.index_columns) - set(batch.index_columns) - set(check.columns)
            by_id[check.check_id] = _to_result(check, gx_result, batch.index_columns, sample_rows, others)
    for check, reason in plan.skipped:
        by_id[check.check_id] = CheckResult(check=check, status=SKIPPED, note=reason)
    return [by_id[c.check_id] for c in plan.checks]
