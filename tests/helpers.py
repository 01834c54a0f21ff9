"""Builders of small contract frames for tests (hand-made rows, schema-conformant)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipeline.common import conform, write_table
from pipeline.schemas import TABLES


def with_required_defaults(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """`df` plus every required column of table `name` it lacks, set to a neutral value (the first
    allowed value, the minimum or 0, False or ""), so fixtures survive columns added to the contract."""
    for column in TABLES[name].columns:
        if column.name in df.columns or column.nullable:
            continue
        if column.values:
            value = column.values[0]
        elif column.dtype == pl.Boolean:
            value = False
        elif column.dtype in (pl.Int64, pl.Float64):
            value = column.min or 0
        else:
            value = ""
        df = df.with_columns(pl.lit(value).cast(column.dtype).alias(column.name))
    return df


def write_contract_table(name: str, df: pl.DataFrame, root: Path) -> None:
    write_table(name, with_required_defaults(name, df), root)


def contract_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """A frame of table `name` from row dicts: absent nullable columns are null, types as declared."""
    schema = TABLES[name].polars_schema
    columns = {c: [r.get(c) for r in rows] for c in schema if any(c in r for r in rows)}
    return conform(name, pl.DataFrame(columns, schema={c: schema[c] for c in columns}))


def fact(
    fact_id: str, event_id: str | None, sent_id: str, source_id: str, measure: str, low: float | None,
    high: float | None, value: str, *, kind: str = "quantity", unit: str | None = "item", qualifier: str = "exact",
    modality: str = "outcome", attributed_to: str | None = None, scope: str | None = None,
    is_comparable: bool = True,
) -> dict:
    """One `facts` row; the doc_id is the sent_id's first part (`<doc_id>:<block_no>:<n>`)."""
    return {
        "fact_id": fact_id, "event_id": event_id, "doc_id": sent_id.split(":")[0], "sent_id": sent_id,
        "source_id": source_id, "kind": kind, "measure": measure, "scope": scope, "modality": modality,
        "attributed_to": attributed_to, "unit": unit, "qualifier": qualifier, "low": low, "high": high,
        "value": value, "is_comparable": is_comparable,
    }
