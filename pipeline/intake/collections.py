"""Article collections: one article per row of a CSV, JSON Lines or Parquet file in `seeds/`.

A collection is read as a stream of records, one at a time, so that its size does not matter: the
CSV module reads one record at a time from a decoding file object, JSON Lines one line at a time,
and Parquet one batch of rows at a time (`pyarrow.parquet.ParquetFile.iter_batches`, only the
mapped columns). Nothing here decides whether a row is accepted: `iter_rows` yields each row's
mapped fields (or why the row is malformed) and the caller classifies it as it does a file.

Columns are mapped by name, case-insensitively, with `-` and spaces read as `_`: the first column
of the header found among each field's aliases (`DEFAULT_COLUMNS`, chosen to fit media-monitoring
exports, news-please and trafilatura JSON, and CMS dumps) unless `ingest.collection_columns` in
params.yaml names the column(s) for that field. A collection needs a text column (`text` or
`html`); one without is rejected whole (`NoTextColumn`).

Row ids: the `id` column's value, else the row number (1-based; for JSON Lines the line number).
An id seen before in the same collection gets `@<row number>` appended, so that every row of a
collection has its own `<file>#<row id>` path.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.intake.decode import BOMS, DecodeError, decode_single_byte, sniff_binary

# File suffix (lower case) -> collection shape.
COLLECTION_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}

# Field -> column names tried in order (compared after `column_key`). `text` and `html` are the
# article: `text` when the row has it, else `html` (a saved page, parsed as HTML).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article_text", "full_text", "fulltext", "article",
             "raw_text", "testo", "corpo"),
    "html": ("html", "raw_html", "content_html", "body_html", "page_html"),
    "title": ("title", "headline", "titolo"),
    "author": ("author", "authors", "byline", "autore", "creator"),
    "url": ("url", "link", "permalink", "canonical_url", "article_url", "story_url"),
    "outlet": ("outlet", "media_name", "sitename", "site_name", "source_name", "publisher", "media", "source",
               "testata", "source_domain", "domain", "hostname"),
    "published_date": ("published_date", "publish_date", "date_publish", "publication_date", "published_at",
                       "pubdate", "published", "date", "datetime", "data"),
    "language": ("language", "lang", "lingua"),
    "id": ("id", "article_id", "doc_id", "stories_id", "story_id", "guid", "uuid", "record_id"),
}
FIELDS = tuple(DEFAULT_COLUMNS)
ID_MAX_CHARS = 200
_SAMPLE_BYTES = 1 << 20  # read to decide a CSV's encoding and separator
_CSV_SEPARATORS = (",", ";", "\t", "|")
_SURROGATE = re.compile("[\udc80-\udcff]")


def collection_kind(path: str | os.PathLike) -> str | None:
    """`csv`, `jsonl` or `parquet` when the file name says it is a collection, else None."""
    return COLLECTION_SUFFIXES.get(os.path.splitext(os.fspath(path))[1].lower())


def column_key(name: object) -> str:
    """How column names are compared: case-insensitive, `-` and spaces as `_`, BOM and quotes dropped."""
    return re.sub(r"[\s\-]+", "_", str(name).replace("\ufeff", "").strip().strip("\"'").casefold())


class NoTextColumn(ValueError):
    """The collection has no column that holds the article; the message names the columns found."""


class CollectionError(ValueError):
    """The collection cannot be read at all (not a Parquet file, binary data, …); the message says why."""


def column_aliases(overrides: Mapping[str, object] | None) -> dict[str, tuple[str, ...]]:
    """DEFAULT_COLUMNS with the fields named in `overrides` (params `ingest.collection_columns`:
    field -> a column name or a list of names) replaced. Unknown fields are an error."""
    aliases = dict(DEFAULT_COLUMNS)
    for name, columns in (overrides or {}).items():
        if name not in aliases:
            raise ValueError(f"ingest.collection_columns: unknown field {name!r} (fields: {', '.join(FIELDS)})")
        if columns is None:
            continue
        listed = [columns] if isinstance(columns, str) else list(columns)
        aliases[name] = tuple(str(c) for c in listed)
    return aliases


def map_columns(header: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """field -> the header's column for it (fields without a column are left out)."""
    by_key: dict[str, str] = {}
    for name in header:
        by_key.setdefault(column_key(name), name)
    mapping = {}
    for name, names in aliases.items():
        found = next((by_key[column_key(n)] for n in names if column_key(n) in by_key), None)
        if found is not None:
            mapping[name] = found
    return mapping


def resolve_columns(header: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """`map_columns`, raising `NoTextColumn` when neither `text` nor `html` has a column."""
    mapping = map_columns(header, aliases)
    if "text" not in mapping and "html" not in mapping:
        shown = ", ".join(repr(h) for h in header[:30]) + (f" and {len(header) - 30} more" if len(header) > 30 else "")
        expected = ", ".join([*aliases["text"], *aliases["html"]])
        raise NoTextColumn(
            f"the collection has no text column: its columns are {shown or '(none)'}; the article must be in a "
            f"column named one of {expected} (or name yours in params.yaml, ingest.collection_columns.text)")
    return mapping


@dataclass
class CollectionRow:
    """One row of a collection: its number, its id, and either its mapped fields or why it is malformed.

    `fields`: field -> value as read (strings, numbers, dates, lists), absent when the row lacks it.
    `raw_bytes`: size of the row as stored, when known (the line of a JSON Lines file)."""

    row_no: int
    row_id: str
    fields: dict[str, object] = field(default_factory=dict)
    malformed: str | None = None
    raw: bytes | None = None


@dataclass
class Collection:
    """An open collection: its shape, the encoding of its text, the column mapping (None for JSON
    Lines, mapped row by row) and the columns it has."""

    path: Path
    kind: str
    encoding: str
    header: list[str]
    mapping: dict[str, str] | None
    n_rows: int | None = None  # known up front for Parquet
    separator: str = ","  # CSV
    codec: str = "utf-8"  # CSV and JSON Lines: the Python codec of the bytes after `skip`
    skip: int = 0  # bytes of byte order mark


# --- opening -----------------------------------------------------------------------------------


def _sniff_encoding(sample: bytes) -> tuple[str, str, int]:
    """(codec, label, bytes to skip) for a text collection from its first bytes: a BOM decides;
    else UTF-8 when the sample is valid UTF-8 (a character cut at its end is allowed); else the
    single-byte code page ingest would choose (cp1252 for Italian Windows exports)."""
    for bom, codec, label in ((codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
                              (codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
                              (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16")):
        if sample.startswith(bom):
            return codec, label, len(bom)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", "utf-8", 0
    except UnicodeDecodeError:
        pass

    try:
        _, label = decode_single_byte(sample)
    except DecodeError as err:
        raise CollectionError(f"cannot be decoded as text: the file {err}") from err
    return label, label, 0


def _sniff_separator(first_line: str) -> str:
    """The separator of a CSV: the candidate that occurs most often in its header line, outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {sep: unquoted.count(sep) for sep in _CSV_SEPARATORS}
    best = max(_CSV_SEPARATORS, key=lambda sep: counts[sep])  # a tie keeps the order above
    return best if counts[best] else ","


def _text_stream(path: Path, codec: str, skip: int) -> io.TextIOWrapper:
    raw = open(path, "rb")  # noqa: SIM115 - closed with the wrapper
    raw.seek(skip)
    # Bytes that are not valid in the chosen codec become lone surrogates, so that a bad row is
    # found and rejected by itself (`_has_bad_bytes`) instead of stopping the whole file.
    errors = "surrogateescape" if codec.replace("_", "-").lower() not in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be") else "replace"
    return io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")


def open_collection(path: Path, aliases: Mapping[str, tuple[str, ...]] | None = None) -> Collection:
    """Open `path` and read what is needed before the rows: encoding, separator, header, column
    mapping. Raises `NoTextColumn` or `CollectionError` (with a sentence) for a collection that
    cannot be read at all."""
    aliases = aliases or DEFAULT_COLUMNS
    kind = collection_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(path)
            header = list(meta.schema_arrow.names)
            n_rows = meta.metadata.num_rows
        except Exception as err:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
            raise CollectionError(f"is not a readable Parquet file: {err}") from err
        return Collection(path, kind, "utf-8", header, resolve_columns(header, aliases), n_rows)
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)

    if not any(sample.startswith(bom) for bom, _, _ in BOMS) and (why := sniff_binary(sample, 0.05)):
        raise CollectionError(f"binary data, not text: the file {why}")
    codec, label, skip = _sniff_encoding(sample)
    if kind == "jsonl":
        if codec not in ("utf-8", "cp1252", "latin-1", "iso8859-15"):
            raise CollectionError(f"is JSON Lines in {label}: JSON Lines are read as UTF-8 only")
        header = _first_object_keys(path, codec)
        if header is not None:
            resolve_columns(header, aliases)  # the first article names no text field: the whole file is rejected
        return Collection(path, kind, label, header or [], None, codec=codec, skip=skip)
    with _text_stream(path, codec, skip) as stream:
        first_line = stream.readline()
    separator = _sniff_separator(first_line)
    with _text_stream(path, codec, skip) as stream:
        header = next(csv.reader(stream, delimiter=separator), [])
    header = [h.strip() for h in header]
    return Collection(path, kind, label, header, resolve_columns(header, aliases), separator=separator,
                      codec=codec, skip=skip)


def _first_object_keys(path: Path, codec: str, max_lines: int = 1000) -> list[str] | None:
    """The keys of the first JSON object among the first `max_lines` lines, None if there is none."""
    with open(path, "rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if line_no > max_lines:
                return None
            try:
                record = json.loads(line.removeprefix(codecs.BOM_UTF8).decode(codec))
            except (UnicodeDecodeError, ValueError):
                continue
            if isinstance(record, dict):
                return [str(k) for k in record]
    return None


# --- rows --------------------------------------------------------------------------------------


class _RowIds:
    """Row ids unique within one collection: the id column's value, else the row number."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def assign(self, value: object, row_no: int) -> str:
        text = _as_text(value)
        base = " ".join(text.split())[:ID_MAX_CHARS] if text else ""
        candidate = base or str(row_no)
        while candidate in self.used:
            candidate = f"{candidate}@{row_no}"
        self.used.add(candidate)
        return candidate


def _as_text(value: object) -> str | None:
    """A scalar cell as text: numbers without a spurious '.0', lists joined; None for null/NaN."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (list, tuple)):
        parts = [p for p in (_as_text(v) for v in value) if p]
        return ", ".join(parts) if parts else None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def iter_rows(collection: Collection, aliases: Mapping[str, tuple[str, ...]] | None = None) -> Iterator[CollectionRow]:
    """Every row of an open collection, in file order, holding one row (one Parquet batch) at a time."""
    aliases = aliases or DEFAULT_COLUMNS
    if collection.kind == "parquet":
        yield from _parquet_rows(collection)
    elif collection.kind == "jsonl":
        yield from _jsonl_rows(collection, aliases)
    else:
        yield from _csv_rows(collection)


def _mapped(record: Mapping[str, object], mapping: Mapping[str, str]) -> dict[str, object]:
    return {name: record.get(column) for name, column in mapping.items()}


def _csv_rows(collection: Collection) -> Iterator[CollectionRow]:
    csv.field_size_limit(sys.maxsize if sys.maxsize < 2**63 else 2**62)
    header = collection.header
    mapping = collection.mapping or {}
    index = {name: header.index(column) for name, column in mapping.items()}
    ids = _RowIds()
    with _text_stream(collection.path, collection.codec, collection.skip) as stream:
        reader = csv.reader(stream, delimiter=collection.separator)
        next(reader, None)  # the header
        row_no = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as err:  # the reader cannot go on (e.g. NUL in a field on old Pythons)
                row_no += 1
                yield CollectionRow(row_no, ids.assign(None, row_no),
                                    malformed=f"the CSV reader stopped at this record ({err}); the rest of the file "
                                              "was not read")
                return
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is no row
            row_no += 1
            extra = record[len(header):]
            fields = {name: (record[i] if i < len(record) else None) for name, i in index.items()}
            row_id = ids.assign(fields.get("id"), row_no)
            if any(cell.strip() for cell in extra):
                yield CollectionRow(row_no, row_id, malformed=(
                    f"the record has {len(record)} fields where the header has {len(header)}: a field with an "
                    f"unquoted {collection.separator!r} or a stray quote?"))
                continue
            bad = [name for name, value in fields.items() if isinstance(value, str) and _SURROGATE.search(value)]
            if bad:
                yield CollectionRow(row_no, row_id, malformed=(
                    f"the {', '.join(mapping[b] for b in bad)} field has bytes that are not valid "
                    f"{collection.encoding}"))
                continue
            yield CollectionRow(row_no, row_id, fields)


def _jsonl_rows(collection: Collection, aliases: Mapping[str, tuple[str, ...]]) -> Iterator[CollectionRow]:
    """One row per non-blank line; each object is mapped by its own keys (they may vary by line)."""
    ids = _RowIds()
    mappings: dict[tuple[str, ...], dict[str, str]] = {}
    codec = collection.codec
    with open(collection.path, "rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if line_no == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode(codec))
            except (UnicodeDecodeError, ValueError) as err:
                what = f"not valid {codec}" if isinstance(err, UnicodeDecodeError) else f"not valid JSON ({err})"
                yield CollectionRow(line_no, ids.assign(None, line_no), malformed=f"line {line_no} is {what}", raw=line)
                continue
            if not isinstance(record, dict):
                yield CollectionRow(line_no, ids.assign(None, line_no), raw=line,
                                    malformed=f"line {line_no} is a JSON {type(record).__name__}, not an object")
                continue
            keys = tuple(str(k) for k in record)
            mapping = mappings.get(keys)
            if mapping is None:
                mapping = map_columns(list(keys), aliases)
                if len(mappings) < 10_000:
                    mappings[keys] = mapping
            fields = _mapped(record, mapping)
            raw_id = fields.get("id")
            row_id = ids.assign(raw_id if not isinstance(raw_id, (dict, list)) else None, line_no)
            if "text" not in mapping and "html" not in mapping:
                yield CollectionRow(line_no, row_id, raw=line, malformed=(
                    f"line {line_no} has no text field: its keys are {', '.join(keys[:30]) or '(none)'}"))
                continue
            yield CollectionRow(line_no, row_id, fields, raw=line)


def _parquet_rows(collection: Collection, batch_size: int = 512) -> Iterator[CollectionRow]:
    import pyarrow.parquet as pq

    mapping = collection.mapping or {}
    columns = sorted(set(mapping.values()))
    ids = _RowIds()
    row_no = 0
    total = collection.n_rows or 0
    try:
        # Buffered column reads without pre-buffering: measured on a 237 MB file, reading it
        # whole peaks at 142 MB instead of 360 MB (and no longer grows with the file).
        parquet = pq.ParquetFile(collection.path, buffer_size=1 << 20, pre_buffer=False)
        batches = parquet.iter_batches(batch_size=batch_size, columns=columns, use_threads=False)
        for batch in batches:
            data = {name: batch.column(column).to_pylist() for name, column in
                    ((name, batch.schema.get_field_index(column)) for name, column in mapping.items())}
            for i in range(batch.num_rows):
                row_no += 1
                fields = {name: values[i] for name, values in data.items()}
                yield CollectionRow(row_no, ids.assign(fields.get("id"), row_no), fields)
    except Exception as err:  # noqa: BLE001 - a corrupt page: the rows after it cannot be read
        for missing in range(row_no + 1, max(total, row_no + 1) + 1):
            yield CollectionRow(missing, ids.assign(None, missing),
                                malformed=f"the Parquet file could not be read past row {row_no}: {err}")


def count_rows(path: Path, aliases: Mapping[str, tuple[str, ...]] | None = None) -> int | None:
    """How many rows `iter_rows` yields for the collection at `path` (malformed rows included),
    counted without classifying them; None when the collection cannot be opened (it is then one
    rejected entry, like a file). Parquet rows are counted from the file's metadata."""
    try:
        collection = open_collection(path, aliases)
    except (NoTextColumn, CollectionError, OSError):
        return None
    if collection.kind == "parquet":
        return collection.n_rows
    if collection.kind == "jsonl":
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    return sum(1 for _ in _csv_rows(collection))


# --- values ------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y%m%d")


def parse_row_date(value: object) -> dt.date | None:
    """A row's publication date: a date or timestamp value, an ISO 8601 string (the date as written,
    not converted to another time zone), dd/mm/yyyy and the like, an RFC 2822 date (RSS), or Unix
    seconds / milliseconds. None when it is none of these."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        seconds = value / 1000 if value > 1e11 else value
        if 1e8 < seconds < 4.2e9:
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        return None
    text = str(value).strip()
    if not text:
        return None
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)", text)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10] if fmt != "%Y%m%d" else text, fmt).date()
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def row_text(value: object) -> str | None:
    """The article text of a cell: a string, or a list of paragraphs joined by blank lines."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\n\n".join(p for p in (row_text(v) for v in value) if p)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return None
