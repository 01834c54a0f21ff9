"""Helpers every stage shares: paths, params, table IO, stable ids, progress bars.

Stage modules stay thin IO shells: they read their inputs with `read_table`, call pure polars
functions, and write with `write_table`, which enforces the declared schema and a deterministic
row order so that the same input always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import polars as pl
import yaml

from pipeline.schemas import TABLES, Table

ROOT = Path(os.environ.get("NEWS_AGREEMENT_ROOT", Path(__file__).resolve().parent.parent))
PARAMS_FILE = "params.yaml"

T = TypeVar("T")


def load_params(stage: str, root: Path | None = None) -> dict:
    """The `stage:` block of params.yaml (each stage reads only its own block)."""
    root = root or ROOT
    with open(root / PARAMS_FILE, encoding="utf-8") as fh:
        params = yaml.safe_load(fh) or {}
    return params.get(stage) or {}


def dataclass_from_params(cls: type[T], params: dict, cast=int) -> T:
    """An instance of the dataclass `cls` from the keys of a params block that name its fields
    (other keys are ignored; missing ones keep their defaults), each value passed through `cast`."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{key: cast(value) for key, value in params.items() if key in names})


def table_path(name: str, root: Path | None = None) -> Path:
    return (root or ROOT) / TABLES[name].path


def conform(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """Select and cast `df` to the declared schema of table `name`, in declared column order.

    Extra columns are an error (add them to the schema first); missing nullable columns are
    filled with nulls; rows are sorted by the full row so the output does not depend on the
    order work was done in.
    """
    table: Table = TABLES[name]
    extra = set(df.columns) - set(table.column_names)
    if extra:
        raise ValueError(f"{name}: columns not in the schema: {sorted(extra)}")
    missing = [c for c in table.columns if c.name not in df.columns]
    if any(not c.nullable for c in missing):
        raise ValueError(f"{name}: required columns missing: {[c.name for c in missing if not c.nullable]}")
    df = df.with_columns([pl.lit(None, dtype=c.dtype).alias(c.name) for c in missing])
    df = df.select([pl.col(c.name).cast(c.dtype) for c in table.columns])
    sort_cols = [c.name for c in table.columns if not isinstance(c.dtype, pl.List)]
    return df.sort(sort_cols, nulls_last=True, maintain_order=True)


def empty_table(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[name].polars_schema)


def write_table(name: str, df: pl.DataFrame, root: Path | None = None) -> Path:
    """Write a contract table to its Parquet path, conformed and deterministically ordered."""
    path = table_path(name, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    conform(name, df).write_parquet(path, compression="zstd", statistics=True)
    return path


def read_table(name: str, root: Path | None = None, columns: list[str] | None = None) -> pl.DataFrame:
    return pl.read_parquet(table_path(name, root), columns=columns)


def scan_table(name: str, root: Path | None = None) -> pl.LazyFrame:
    return pl.scan_parquet(table_path(name, root))


def stable_id(*parts: object, n: int = 16) -> str:
    """A deterministic hex id from the parts (same input, same id, on every machine)."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:n]


def slugify(text: str) -> str:
    """ASCII slug: 'Dmitrij Peskov' -> 'dmitrij-peskov', 'Fanpage.it' -> 'fanpage-it'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """A tqdm progress bar on stderr, silent when stderr is not a terminal or in CI."""
    from tqdm import tqdm

    disable = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    yield from tqdm(items, desc=desc, total=total, disable=disable, mininterval=0.5, file=sys.stderr)
