"""Helpers every stage shares: paths, params (one strict loader), table IO, stable ids, progress bars.

Stage modules stay thin IO shells: they read their inputs with `read_table`, call pure polars
functions, and write with `write_table`, which enforces the declared schema and a deterministic
row order so that the same input always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import sys
import types
import typing
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import yaml

from pipeline.schemas import TABLES, Table

ROOT = Path(os.environ.get("NEWS_AGREEMENT_ROOT", Path(__file__).resolve().parent.parent))
PARAMS_FILE = "params.yaml"

T = TypeVar("T")


LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO) -> None:
    """The one logging set-up every stage's `main` calls first: records at `level` and above go to
    stderr as `LEVEL logger: message` (a stage's summary is an INFO record, a problem with the input
    a WARNING, a stop an ERROR). Does nothing when logging is already set up (e.g. under pytest,
    whose handlers then capture the records)."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)


class ParamsLoader(yaml.SafeLoader):
    """params.yaml read as DVC reads it (YAML 1.2): only true/false are booleans. PyYAML's YAML 1.1
    also reads yes/no/on/off as booleans, and `dvc exp run -S` rewrites params.yaml without the
    quotes that kept the language code "no" (ingest.langid_candidates) a string."""


ParamsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ParamsLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def load_params(stage: str, root: Path | None = None) -> dict:
    """The `stage:` block of params.yaml (each stage reads only its own block), read as DVC reads it
    (`ParamsLoader`)."""
    root = root or ROOT
    with open(root / PARAMS_FILE, encoding="utf-8") as fh:
        params = yaml.load(fh, Loader=ParamsLoader) or {}
    return params.get(stage) or {}


class ParamsError(ValueError):
    """A params.yaml block that does not fit its settings dataclass (unknown key, wrong type)."""


def settings_from_params(cls: type[T], params: Mapping[str, Any] | None, stage: str) -> T:
    """The settings dataclass `cls` built from a params.yaml block (`stage` names the block in errors,
    e.g. "ingest" or "aggregate.events").

    Each key names a field and its value is cast by the field's annotation: int (a whole number;
    2.5 is an error, never truncated), float (any number), bool (true/false only), str, `X | None`,
    tuple[...] and list[...] (of the element type), dict[K, V] (the given keys over the default's:
    a block names only what it changes), a nested dataclass (a nested block, loaded the same way),
    and Any/object (as read). A missing key keeps its default; an unknown key is an error naming
    it and the block, as is a value that does not fit."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise ParamsError(f"params {stage}: expected a block of keys, got {type(params).__name__} {params!r}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(params) - set(fields), key=str)
    if unknown:
        raise ParamsError(f"params {stage}: unknown key{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(map(repr, unknown))} (known: {', '.join(sorted(fields))})")
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in params.items():
        default = _field_default(fields[name])
        values[name] = _cast(value, hints[name], f"{stage}.{name}", default)
    return cls(**values)


def _field_default(field: dataclasses.Field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _cast(value, annotation, where: str, default=dataclasses.MISSING):
    """`value` read as `annotation` (see `settings_from_params`), or ParamsError naming `where`."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation in (Any, object):
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                return _cast(value, option, where, default)
            except ParamsError as err:
                errors.append(str(err))
        raise ParamsError(errors[0] if len(errors) == 1 else f"params {where}: {value!r} fits none of "
                          f"{' | '.join(getattr(o, '__name__', str(o)) for o in options)}")
    if dataclasses.is_dataclass(annotation):
        return settings_from_params(annotation, value, where)
    if origin in (tuple, list):
        if not isinstance(value, (list, tuple)):
            raise ParamsError(f"params {where}: expected a list, got {value!r}")
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            items = [_cast(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)]
        elif origin is tuple and args:
            if len(args) != len(value):
                raise ParamsError(f"params {where}: expected {len(args)} items, got {len(value)}")
            items = [_cast(v, a, f"{where}[{i}]") for i, (v, a) in enumerate(zip(value, args))]
        else:
            items = [_cast(v, args[0], f"{where}[{i}]") if args else v for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict or annotation is dict:
        if not isinstance(value, Mapping):
            raise ParamsError(f"params {where}: expected a block of keys, got {value!r}")
        key_type, value_type = args or (Any, Any)
        cast = {_cast(k, key_type, where): _cast(v, value_type, f"{where}.{k}") for k, v in value.items()}
        return {**default, **cast} if isinstance(default, Mapping) else cast
    if annotation is bool:
        if not isinstance(value, bool):
            raise ParamsError(f"params {where}: expected true or false, got {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise ParamsError(f"params {where}: expected a whole number, got {value!r}")
        return int(value)
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamsError(f"params {where}: expected a number, got {value!r}")
        return float(value)
    if annotation is str:
        if not isinstance(value, str):
            raise ParamsError(f"params {where}: expected a string, got {value!r} (quote it in params.yaml)")
        return value
    raise TypeError(f"params {where}: settings field type {annotation!r} is not supported by the loader")


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


def frame(name: str, rows=None, *, orient: str | None = None) -> pl.DataFrame:
    """A frame of contract table `name`, typed by its declaration in `pipeline.schemas` (never by
    hand): `rows` as dicts, as a dict of column lists, or as tuples in declared column order with
    `orient="row"`; no rows: the empty table."""
    return pl.DataFrame(rows, schema=TABLES[name].polars_schema, orient=orient)


def empty_table(name: str) -> pl.DataFrame:
    return frame(name)


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
