"""Publication-date inference for documents whose manifest gives no date.

Grain of the result: one row per input document (doc_id, published_date, published_date_source).

Precedence (first evidence that yields a date wins):
1. manifest: the date given in seeds/sources.csv.
2. url: a date in the article URL's path (/2025/02/12/, /20250212/, 2025-02-12).
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

OUTPUT_SCHEMA = {"doc_id": pl.Utf8, "published_date": pl.Date, "published_date_source": pl.Utf8}

_URL_DATE_PATTERNS = (
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})/([01]?[0-9])/([0-3]?[0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})_([01][0-9])_([0-3][0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])"),
)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_from_url(url: str | None) -> dt.date | None:
    """A full date in the URL (host excluded), e.g. .../2025/02/12/slug or ...-2025-02-12.html."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.I)
    for pattern in _URL_DATE_PATTERNS:
        for m in pattern.finditer(path):
            found = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if found:
                return found
    return None


def infer_published_dates(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per document: published_date and where it came from (see module docstring)."""
    rows = []
    for doc_id, url, manifest_date in zip(docs["doc_id"], docs["url"], docs["manifest_date"]):
        if manifest_date is not None:
            rows.append((doc_id, manifest_date, "manifest"))
            continue
        from_url = date_from_url(url)
        if from_url is not None:
            rows.append((doc_id, from_url, "url"))
            continue
        rows.append((doc_id, None, None))
    return pl.DataFrame(rows, schema=OUTPUT_SCHEMA, orient="row")
