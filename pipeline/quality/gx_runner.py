"""Run a plan's checks with Great Expectations 1.x and turn GE's results into `CheckResult`s.

One ephemeral (in-memory) context, one pandas data source with one dataframe asset; each batch
frame is handed over as a pyarrow-backed pandas frame (no copy of string columns, integer columns
with nulls stay integers) and validated against an `ExpectationSuite` built from its checks. Each
expectation carries its check id in `meta`, which is how results are matched back to checks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

from pipeline.quality.checks import Batch, Check, Plan
from pipeline.quality.results import FAILED, PASSED, SKIPPED, CheckResult, json_value

SAMPLE_TEXT_CHARS = 160  # longest text value shown in a sample row


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


def _suite(batch: Batch):
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=batch.name)
    for check in batch.checks:
        expectation_class = getattr(gx.expectations, check.expectation)
        suite.add_expectation(expectation_class(**check.kwargs, meta={"check_id": check.check_id}))
    return suite


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


def _sample_rows(check: Check, result: dict, index_columns: Sequence[str], limit: int) -> tuple[dict, ...]:
    """Offending rows with the identifying columns first, then the columns the check reads."""
    if check.expectation == "ExpectTableColumnsToMatchOrderedList":
        return tuple(json_value(m) for m in (result.get("details") or {}).get("mismatched", [])[:limit])
    rows = result.get("partial_unexpected_index_list")
    if rows is None:  # no index columns: GE lists bare values
        values = result.get("partial_unexpected_list") or []
        return tuple({"value": json_value(v)} for v in values[:limit])
    order = list(dict.fromkeys([*index_columns, *check.columns]))
    samples: list[dict] = []
    for row in rows:  # GE lists both copies of a duplicate: show each offending row once
        keys = [k for k in order if k in row] + sorted(k for k in row if k not in order)
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


def _to_result(check: Check, gx_result, index_columns: Sequence[str], sample_rows: int) -> CheckResult:
    result = dict(gx_result.result or {})
    error = _exception_message(gx_result.exception_info)
    return CheckResult(
        check=check,
        status=PASSED if gx_result.success and error is None else FAILED,
        element_count=json_value(result.get("element_count")),
        unexpected_count=json_value(result.get("unexpected_count")),
        observed=_observed(result.get("observed_value")),
        sample_rows=() if gx_result.success else _sample_rows(check, result, index_columns, sample_rows),
        note=f"could not be evaluated: {error}" if error else None,
    )


def run_plan(plan: Plan, sample_rows: int = 5) -> list[CheckResult]:
    """Evaluate every batch of `plan`; results come back in the plan's check order."""
    with _quiet_gx_logging():
        return _run_plan(plan, sample_rows)


def _run_plan(plan: Plan, sample_rows: int) -> list[CheckResult]:
    batch_definition = _context()
    by_id: dict[str, CheckResult] = {}
    for batch in plan.batches:
        frame = batch.data.to_pandas(use_pyarrow_extension_array=True)
        # Twice as many as shown: duplicates come in pairs of identical sample rows.
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 2 * sample_rows,
                         "return_unexpected_index_query": False}
        if batch.index_columns:
            result_format["unexpected_index_column_names"] = list(batch.index_columns)
        try:
            validation = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
                _suite(batch), result_format=result_format)
        except Exception as err:  # noqa: BLE001 - one unexpected frame fails its checks, not the run
            for check in batch.checks:
                by_id[check.check_id] = CheckResult(
                    check=check, status=FAILED, note=f"could not be evaluated: {type(err).__name__}: {err}")
            continue
        checks = {c.check_id: c for c in batch.checks}
        for gx_result in validation.results:
            check = checks[gx_result.expectation_config.meta["check_id"]]
            by_id[check.check_id] = _to_result(check, gx_result, batch.index_columns, sample_rows)
    for check, reason in plan.skipped:
        by_id[check.check_id] = CheckResult(check=check, status=SKIPPED, note=reason)
    return [by_id[c.check_id] for c in plan.checks]
