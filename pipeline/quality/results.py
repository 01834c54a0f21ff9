"""The outcome of each check, the deterministic summary, and the messages a person reads.

Values coming back from Great Expectations (numpy scalars, pandas NA, dates) are turned into plain
JSON values here, so the summary is the same bytes for the same tables.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.quality.checks import ERROR, SEVERITIES, WARNING, Check
from pipeline.schemas import TABLES

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"

# Where an offending row comes from (`pipeline.quality.context` adds these keys to sample rows):
# (document column, sentence column, suffix of the keys `document_path<suffix>`, `sentence<suffix>`).
CONTEXT_POINTERS: tuple[tuple[str, str, str], ...] = (
    ("doc_id", "sent_id", ""), ("doc_id_a", "sent_id_a", "_a"), ("doc_id_b", "sent_id_b", "_b"))
CONTEXT_KEYS = tuple(key + suffix for _, _, suffix in CONTEXT_POINTERS for key in ("document_path", "sentence"))


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: str  # passed | failed | skipped
    element_count: int | None = None  # rows the expectation looked at (row-level expectations)
    unexpected_count: int | None = None  # offending rows
    observed: Any = None  # observed value of whole-table expectations (e.g. a share, a column list)
    sample_rows: tuple[dict, ...] = field(default_factory=tuple)  # up to N offending rows
    note: str | None = None  # why it was skipped, or the error raised while evaluating

    @property
    def is_blocking(self) -> bool:
        return self.status == FAILED and self.check.severity == ERROR

    def to_dict(self) -> dict:
        return {
            "check_id": self.check.check_id,
            "table": self.check.table,
            "severity": self.check.severity,
            "description": self.check.description,
            "expectation": self.check.expectation,
            "status": self.status,
            "element_count": self.element_count,
            "unexpected_count": self.unexpected_count,
            "observed": self.observed,
            "sample_rows": list(self.sample_rows),
            "note": self.note,
        }


def json_value(value: Any) -> Any:
    """A plain JSON value for whatever Great Expectations or pandas hands back."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays, arrow-backed values
        converted = value.tolist()
        if type(converted) is not type(value):
            return json_value(converted)
    import pandas as pd

    if pd.api.types.is_scalar(value) and pd.isna(value):  # pd.NA, pd.NaT
        return None
    if isinstance(value, (dt.date, dt.datetime)):  # also pandas Timestamp
        return value.isoformat()
    return str(value)


def _counts(results: Sequence[CheckResult]) -> dict[str, int]:
    evaluated = [r for r in results if r.status != SKIPPED]
    return {
        "evaluated": len(evaluated),
        "passed": sum(r.status == PASSED for r in evaluated),
        "failed": sum(r.status == FAILED for r in evaluated),
        "skipped": len(results) - len(evaluated),
    }


def summarize(results: Sequence[CheckResult]) -> dict:
    """Totals, by table, by severity, every failure in full, and the measured health figures
    (no timestamps, no absolute paths)."""
    tables_in_order = [t for t in TABLES if any(r.check.table == t for r in results)]
    failures = [r.to_dict() for r in results if r.status == FAILED]
    return {
        "is_passing": not any(r.is_blocking for r in results),
        "totals": _counts(results),
        "by_severity": {s: _counts([r for r in results if r.check.severity == s]) for s in SEVERITIES},
        "by_table": {t: _counts([r for r in results if r.check.table == t]) for t in tables_in_order},
        "failures": failures,
        # Numbers the whole-table checks measured (health shares, row counts), passed or not.
        "observed": {
            r.check.check_id: r.observed for r in results
            if isinstance(r.observed, (int, float)) and not isinstance(r.observed, bool)
        },
        "skipped": [
            {"check_id": r.check.check_id, "table": r.check.table, "severity": r.check.severity, "note": r.note}
            for r in results if r.status == SKIPPED
        ],
    }


def _format_row(row: dict) -> str:
    return "{" + ", ".join(f"{k}={v!r}" for k, v in row.items()) + "}"


def _format_context(row: dict) -> list[str]:
    """Under a sample row: the file and the sentence it comes from (one line per pointer pair)."""
    lines = []
    for _, _, suffix in CONTEXT_POINTERS:
        path, sentence = row.get("document_path" + suffix), row.get("sentence" + suffix)
        if path is None and sentence is None:
            continue
        where = f"in {path}" if path is not None else "in a document not in documents"
        quoted = f': "{sentence}"' if sentence is not None else ""
        lines.append(f"         {suffix[1:] + ': ' if suffix else ''}{where}{quoted}")
    return lines


def describe_failure(result: CheckResult) -> str:
    """One failure for a terminal: table, expectation, how many rows, sample offending rows, each
    with the input file and the sentence it comes from when the table points at them."""
    check = result.check
    head = f"[{check.severity}] {check.table}: {check.description} ({check.expectation}, check {check.check_id})"
    lines = [head]
    if result.unexpected_count is not None:
        lines.append(f"    {result.unexpected_count} of {result.element_count} rows fail")
    if result.observed is not None and not result.sample_rows:
        lines.append(f"    observed: {result.observed!r}")
    if result.note:
        lines.append(f"    {result.note}")
    for row in result.sample_rows:
        lines.append(f"    e.g. {_format_row({k: v for k, v in row.items() if k not in CONTEXT_KEYS})}")
        lines += _format_context(row)
    return "\n".join(lines)


def blocking_document_paths(results: Sequence[CheckResult]) -> list[str]:
    """The distinct input files named by the error-level failures' sample rows, in order."""
    paths: dict[str, None] = {}
    for result in results:
        if result.is_blocking:
            for row in result.sample_rows:
                for _, _, suffix in CONTEXT_POINTERS:
                    if isinstance(row.get("document_path" + suffix), str):
                        paths.setdefault(row["document_path" + suffix])
    return list(paths)


def failure_report(results: Sequence[CheckResult]) -> str:
    """Errors first, then warnings; empty when everything passed."""
    failed = [r for r in results if r.status == FAILED]
    ordered = [r for r in failed if r.check.severity == ERROR] + [r for r in failed if r.check.severity == WARNING]
    return "\n".join(describe_failure(r) for r in ordered)
