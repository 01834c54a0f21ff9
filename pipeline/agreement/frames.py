"""Small helpers between polars frames and the Python loops of the agreement logic."""

from __future__ import annotations

import polars as pl


def columns(df: pl.DataFrame, *names: str) -> list[list]:
    """The named columns as Python lists (iterating a Series element by element is slow)."""
    return [df[name].to_list() for name in names]
