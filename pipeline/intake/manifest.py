"""The manifest (`seeds/sources.csv`): outlet, URL, publication date and language per input file.
"""

from __future__ import annotations

import logging
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# --- manifest ----------------------------------------------------------------------------------

MANIFEST_FIELDS = ("path", "outlet", "url", "published_date", "language")


@dataclass(frozen=True)
class ManifestEntry:
    outlet: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    language: str | None = None


def _parse_manifest_date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _manifest_key(path: str) -> str:
    return Path(path.strip().replace("\\", "/")).as_posix().removeprefix("./")


def parse_manifest(content: str, source: str = "manifest") -> tuple[dict[str, ManifestEntry], list[str]]:
    """Manifest CSV text -> ({path relative to seeds_dir: entry}, warnings).

    Never raises: a manifest without a `path` column yields no entries and a warning; a bad row
    (unparseable date, duplicate path) keeps what it can and adds a warning.
    """
    warnings: list[str] = []
    entries: dict[str, ManifestEntry] = {}
    try:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as err:
        return {}, [f"{source}: not a readable CSV ({err}); outlet, url and date are unknown for every file"]
    if "path" not in header:
        return {}, [f"{source}: no 'path' column in the header {header}; the manifest is ignored"]
    reader.fieldnames = header
    try:
        rows = list(reader)
    except csv.Error as err:
        return {}, [f"{source}: malformed CSV ({err}); the manifest is ignored"]
    for line_no, row in enumerate(rows, start=2):
        values = {k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
        path = values.get("path", "")
        if not path:
            warnings.append(f"{source} line {line_no}: empty path, row skipped")
            continue
        key = _manifest_key(path)
        if key in entries:
            warnings.append(f"{source} line {line_no}: {key} listed again, the first row is kept")
            continue
        date_text = values.get("published_date", "")
        date = _parse_manifest_date(date_text) if date_text else None
        if date_text and date is None:
            warnings.append(f"{source} line {line_no}: published_date {date_text!r} is not a date (YYYY-MM-DD)")
        entries[key] = ManifestEntry(
            outlet=values.get("outlet") or None,
            url=values.get("url") or None,
            published_date=date,
            language=(values.get("language") or "").lower() or None,
        )
    return entries, warnings


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read the manifest file; a missing or broken manifest is a warning, never an error."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        log.warning("manifest %s not found: outlet, url and published_date are unknown for every file", path)
        return {}
    except (OSError, UnicodeDecodeError) as err:
        log.warning("manifest %s unreadable (%s): outlet, url and published_date are unknown", path, err)
        return {}
    entries, warnings = parse_manifest(content, source=path.name)
    for message in warnings:
        log.warning(message)
    return entries
