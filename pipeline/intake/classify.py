"""Accept or reject one input: a file from its bytes (`classify_file`) or a row of an article
collection (`classify_row`, `iter_collection`), with the settings of `IngestConfig`.
"""

from __future__ import annotations

import logging
import csv
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.common import settings_from_params
from pipeline.intake.decode import (
    BinaryContent,
    DecodeError,
    collapse_letter_spacing,
    decode_bytes,
    canonical_document_text,
    remove_controls,
    repair_mojibake,
)
from pipeline.intake.detect import LETTER_OR_DIGIT, detect_format, detect_language, language_identifier, visible_text
from pipeline.intake.manifest import ManifestEntry

log = logging.getLogger(__name__)

# --- classification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestParams:
    """The params.yaml `ingest` block, key for key (documented there)."""

    seeds_dir: str = "seeds"
    manifest: str | None = None
    max_bytes: int = 2_000_000
    languages: tuple[str, ...] = ("it",)
    langid_candidates: tuple[str, ...] = ()
    lang_min_letters: int = 200
    # field -> one column name or a list of them (pipeline.intake.collections.column_aliases reads it)
    collection_columns: dict[str, Any] = field(default_factory=dict)
    max_control_ratio: float = 0.05


@dataclass(frozen=True)
class IngestConfig:
    """What deciding one input needs (`IngestConfig.from_params` derives it from `IngestParams`)."""

    max_bytes: int
    languages: tuple[str, ...]
    langid_candidates: tuple[str, ...]
    lang_min_letters: int
    max_control_ratio: float
    # field -> column names of article collections (pipeline.intake.collections.DEFAULT_COLUMNS
    # with params ingest.collection_columns applied); None: the defaults.
    collection_columns: tuple[tuple[str, tuple[str, ...]], ...] | None = None

    @property
    def column_aliases(self) -> dict[str, tuple[str, ...]]:
        from pipeline.intake.collections import DEFAULT_COLUMNS

        return dict(self.collection_columns) if self.collection_columns else dict(DEFAULT_COLUMNS)

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> IngestConfig:
        """From the params.yaml `ingest` block, read by the strict loader (`IngestParams`): the
        candidates of language identification include the accepted languages, and the collection
        column names are the defaults with the block's overrides applied."""
        settings = settings_from_params(IngestParams, params, "ingest")
        languages = settings.languages or ("it",)
        candidates = tuple(dict.fromkeys([*settings.langid_candidates, *languages]))
        language_identifier(candidates)  # fails now, not once per file, on a code py3langid does not know
        return cls(
            max_bytes=settings.max_bytes,
            languages=languages,
            langid_candidates=candidates,
            lang_min_letters=settings.lang_min_letters,
            max_control_ratio=settings.max_control_ratio,
            collection_columns=tuple(column_aliases(settings.collection_columns).items()),
        )


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 100_000 else f"{n / 1_000_000:.1f} MB ({n:,} bytes)"


def too_large_detail(n_bytes: int, max_bytes: int) -> str:
    return f"the file is {_size(n_bytes)}, over the limit of {max_bytes:,} bytes (params ingest.max_bytes)"


def classify_file(
    rel_path: str,
    raw: bytes,
    manifest: ManifestEntry | None,
    config: IngestConfig,
) -> tuple[str, dict]:
    """Decide one file from its bytes: ("document", documents row) or ("rejected", rejected row).
    Never raises for any bytes.

    Accepted text is decoded (`decode_bytes`: stray controls removed, mojibake repaired), its
    letter spacing collapsed (`collapse_letter_spacing`), and its language identified on its
    visible text. A file with no visible letter or digit (only markup, links, base64) is `empty`.
    Duplicates are decided by the caller, which sees all files (`ingest_files`).
    """
    table, row = _classify_file(rel_path, raw, manifest, config)
    return table, _in_column_order(table, row)


@lru_cache(maxsize=2)
def _column_names(table: str) -> tuple[str, ...]:
    from pipeline.schemas import TABLES

    return tuple(TABLES["documents" if table == "document" else "rejected"].column_names)


def _in_column_order(table: str, row: dict) -> dict:
    """The row with every column of its table, in declared order (absent ones null)."""
    return {name: row.get(name) for name in _column_names(table)}


def _classify_file(rel_path: str, raw: bytes, manifest: ManifestEntry | None, config: IngestConfig) -> tuple[str, dict]:
    sha = hashlib.sha256(raw).hexdigest()
    n_bytes = len(raw)

    def reject(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {"path": rel_path, "sha256": sha, "n_bytes": n_bytes, "reason": reason, "detail": detail}

    if n_bytes == 0:
        return reject("empty", "the file is empty (0 bytes)")
    if n_bytes > config.max_bytes:
        return reject("too_large", too_large_detail(n_bytes, config.max_bytes))
    try:
        text, encoding = decode_bytes(raw, config.max_control_ratio)
    except BinaryContent as err:
        return reject("binary", f"binary data, not text: the file {err}")
    except DecodeError as err:
        return reject("undecodable", f"cannot be decoded as text: the file {err}")
    return _classify_text(rel_path, text, encoding, sha, n_bytes, manifest.language if manifest else None, config,
                          reject, "the file", document={
                              "doc_id": sha[:16],
                              "outlet": manifest.outlet if manifest else None,
                              "url": manifest.url if manifest else None,
                              "published_date": manifest.published_date if manifest else None,
                          })


def _classify_text(rel_path: str, text: str, encoding: str, sha: str, n_bytes: int, fallback_language: str | None,
                   config: IngestConfig, reject, what: str, document: dict, fmt: str | None = None) -> tuple[str, dict]:
    """Accept decoded `text` (of a file or a collection row, `what` names it in sentences) or
    reject it: empty, no visible text, language. `document` holds the row's other columns."""
    if not text.strip():
        return reject("empty", f"{what} has only whitespace ({_size(n_bytes)})")
    text, collapsed = collapse_letter_spacing(text)
    if collapsed:
        encoding += "+letter-spacing-collapsed"
    visible = visible_text(text)
    if not LETTER_OR_DIGIT.search(visible):
        return reject("empty", f"{what} has no visible text ({_size(n_bytes)}): only markup, links, "
                               "data: URIs, encoded data or punctuation, without a letter or digit")
    lang, reliable = detect_language(
        text, config.languages, config.langid_candidates, config.lang_min_letters, fallback_language, visible=visible
    )
    if lang not in config.languages:
        accepted = ", ".join(config.languages)
        said = "is detected as" if reliable else (
            f"is too short to identify and the {'manifest' if what == 'the file' else 'language column'} says it is")
        return reject("unsupported_language", f"the text {said} '{lang}', not an accepted language ({accepted})")
    if fallback_language and reliable and fallback_language != lang:
        log.warning("%s: the %s says '%s' but the text reads as '%s'; using '%s'", rel_path,
                    "manifest" if what == "the file" else "language column", fallback_language, lang, lang)
    return "document", {
        "path": rel_path,
        "sha256": sha,
        "n_bytes": n_bytes,
        "encoding": encoding,
        "text": text,
        "format": fmt or detect_format(text),
        "lang": lang,
        **document,
    }


# --- collections -------------------------------------------------------------------------------


def column_aliases(overrides) -> dict[str, tuple[str, ...]]:
    """Column names of collections: the documented defaults with params `ingest.collection_columns`."""
    from pipeline.intake.collections import column_aliases as aliases

    return aliases(overrides)


@dataclass(frozen=True)
class CollectionFile:
    """An input entry that is an article collection (CSV, JSON Lines, Parquet): read row by row
    from `path` by `iter_collection`, never loaded whole."""

    path: Path


def _row_path(rel_path: str, row_id: str) -> str:
    return f"{rel_path}#{row_id}"


def classify_row(rel_path: str, file_sha: str, encoding: str, row, config: IngestConfig) -> tuple[str, dict]:
    """Decide one row (`pipeline.intake.collections.CollectionRow`) of the collection `rel_path`:
    ("document", documents row) or ("rejected", rejected row). Never raises.

    The text is the `text` column, else the `html` column (read as an HTML page). It is cleaned
    as a file's text is (controls, mojibake, NFC, letter spacing) and judged by the same rules
    (empty, too large, language); the row's title, author, outlet, URL, date and language are its
    metadata. doc_id: the first 16 hex of sha256 of the file's sha256 and the row id."""
    table, out = _classify_row(rel_path, file_sha, encoding, row, config)
    return table, _in_column_order(table, out)


def _classify_row(rel_path: str, file_sha: str, encoding: str, row, config: IngestConfig) -> tuple[str, dict]:
    from pipeline.common import stable_id
    from pipeline.intake.collections import parse_row_date, row_text

    path = _row_path(rel_path, row.row_id)
    base = {"path": path, "row_id": row.row_id}
    if row.malformed is not None:
        raw = row.raw or b""
        return "rejected", {**base, "sha256": hashlib.sha256(raw).hexdigest() if row.raw else None,
                            "n_bytes": len(raw), "reason": "malformed_row", "detail": f"malformed row: {row.malformed}"}
    fields = row.fields
    text, fmt = row_text(fields.get("text")), None
    if (text is None or not text.strip()) and row_text(fields.get("html")):
        text, fmt = row_text(fields.get("html")), "html"
    if text is None and fields.get("text") is not None:
        return "rejected", {**base, "sha256": None, "n_bytes": 0, "reason": "malformed_row",
                            "detail": f"malformed row: its text is a {type(fields['text']).__name__}, not a string"}
    raw = (text or "").encode("utf-8", "surrogatepass")
    sha, n_bytes = hashlib.sha256(raw).hexdigest(), len(raw)

    def reject(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {**base, "sha256": sha, "n_bytes": n_bytes, "reason": reason, "detail": detail}

    if not text:
        return reject("empty", "the row has no text (the text column is empty or null)")
    if n_bytes > config.max_bytes:
        return reject("too_large", f"the row's text is {_size(n_bytes)}, over the limit of {config.max_bytes:,} "
                                   "bytes (params ingest.max_bytes)")
    text, repaired = repair_mojibake(text)
    if repaired:
        encoding += "+mojibake-repaired"
    n_chars = len(text)
    text, n_controls = remove_controls(text)
    if n_controls:
        if n_controls > config.max_control_ratio * max(n_chars, 1):
            return reject("binary", f"binary data, not text: {n_controls:,} of the row's {n_chars:,} characters are "
                                    f"control characters, over the limit of {config.max_control_ratio:.0%} "
                                    "(params ingest.max_control_ratio)")
        encoding += "+controls-removed"
    text = canonical_document_text(text)
    if _LONE_SURROGATE.search(text):
        return reject("undecodable", "the row's text holds invalid characters (lone surrogates)")

    def meta(name: str) -> str | None:
        value = _as_meta_text(fields.get(name))
        return " ".join(value.split()) if value else None

    language = (meta("language") or "").lower()[:2] or None
    return _classify_text(path, text, encoding, sha, n_bytes, language, config, reject, "the row", fmt=fmt, document={
        "doc_id": stable_id(file_sha, row.row_id),
        "row_id": row.row_id,
        "outlet": meta("outlet"),
        "url": meta("url"),
        "published_date": parse_row_date(fields.get("published_date")),
        "title": meta("title"),
        "author": meta("author"),
    })


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _as_meta_text(value) -> str | None:
    from pipeline.intake.collections import _as_text

    text = _as_text(value)
    return text if text and text.strip() else None


def iter_collection(rel_path: str, path: Path, config: IngestConfig) -> Iterator[tuple[str, dict]]:
    """(table, row) for every row of the collection at `path`, or one rejected row for the whole
    file when it cannot be read as a collection (no text column, not Parquet, binary, unreadable)
    or has no rows. One row (one Parquet batch) is held at a time."""
    from pipeline.intake.collections import CollectionError, NoTextColumn, iter_rows, open_collection

    aliases = config.column_aliases
    try:
        file_sha = _sha256_of_file(path)
        size = os.path.getsize(path)
    except OSError as err:
        yield "rejected", {"path": rel_path, "sha256": None, "n_bytes": 0, "reason": "unreadable",
                           "detail": f"cannot read the file: {err.strerror or err}"}
        return

    def whole(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {"path": rel_path, "sha256": file_sha, "n_bytes": size, "reason": reason, "detail": detail}

    if size == 0:
        yield whole("empty", "the file is empty (0 bytes)")
        return
    try:
        collection = open_collection(path, aliases)
    except NoTextColumn as err:
        yield whole("no_text_column", str(err)[0].upper() + str(err)[1:])
        return
    except CollectionError as err:
        reason = "binary" if str(err).startswith("binary") else "undecodable"
        yield whole(reason, f"cannot be read as a {Path(rel_path).suffix.lstrip('.').upper()} collection: the file {err}")
        return
    except (OSError, UnicodeError, csv.Error) as err:
        yield whole("unreadable", f"cannot be read as a collection: {err}")
        return
    n_rows = 0
    try:
        for row in iter_rows(collection, aliases):
            n_rows += 1
            try:
                yield classify_row(rel_path, file_sha, collection.encoding, row, config)
            except Exception as err:  # noqa: BLE001 - one bad row never stops the run
                log.exception("%s: unexpected error on row %s", rel_path, row.row_id)
                yield "rejected", {"path": _row_path(rel_path, row.row_id), "row_id": row.row_id, "sha256": None,
                                   "n_bytes": 0, "reason": "malformed_row",
                                   "detail": f"malformed row: reading it failed unexpectedly: {type(err).__name__}: {err}"}
    except OSError as err:
        log.error("%s: reading stopped after %d rows: %s", rel_path, n_rows, err)
        if n_rows == 0:
            yield whole("unreadable", f"cannot read the collection: {err.strerror or err}")
        return
    if n_rows == 0:
        yield whole("empty", f"the collection has a header ({', '.join(collection.header[:10])}) but no rows")


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
