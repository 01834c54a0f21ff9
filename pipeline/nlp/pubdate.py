"""Publication-date inference for documents whose manifest gives no date.

Grain of the result: one row per input document (doc_id, published_date, published_date_source).

Precedence — the first rule that yields a date wins:

1. `manifest`: the date given in seeds/sources.csv.
2. `url`: a full date in the path of the article URL (/2025/02/12/, /20250212/, -2025-02-12).
   Dates in image or link URLs inside the text are not used (an image may be years old).
3. `text`, in this order:
   a. a dateline or date line in the head of the document: "Roma, 12 febbraio 2025 –",
      "Pubblicato il 12/02/2025", a line holding only "12 febbraio 2025 10:30";
   b. a relative word anchored to a full date: "oggi, 12 febbraio 2025" (that day),
      "ieri 12 febbraio 2025" (the day after), "tre giorni fa, il 9 febbraio 2025";
   c. the latest full date (day, month and year stated) in the text, embedded post dates
      included ("— Name (@handle) 12 febbraio 2025", also the English form "February 12, 2025"),
      leaving out dates with a future cue a few words before or after them ("si terrà il
      3 marzo 2025", "previsto per il …", "entro il …", "prossimo"). An article cannot predate
      the latest past event it reports, so this is the earliest day the article can have been
      published: a lower bound, in news usually the day itself or the day before.
4. `corpus`: the text states a day and month but no year (a yearless dateline, "ieri,
   12 febbraio", or otherwise the latest day-month outside future clauses, as in 3c): the year is
   the dominant year of the documents dated by rules 1–3 (most documents; a tie goes to the
   later year). Like 3c this is a lower bound, and only the year is borrowed from the corpus.

A document that only names a weekday ("mercoledì") or a relative day ("ieri") gets no date
(null, source null): a year alone is not a day, and no day is invented.
Everything is deterministic: no clock is read, and ties are broken by date order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import polars as pl

from pipeline.nlp.italian import (
    ENGLISH_MONTHS,
    MONTH_ABBREVIATIONS,
    MONTH_RE,
    MONTHS,
    WEEKDAY_RE,
    fold,
    number_word_value,
)
from pipeline.nlp.times import TimeExpression, find_time_expressions

OUTPUT_SCHEMA = {"doc_id": pl.Utf8, "published_date": pl.Date, "published_date_source": pl.Utf8}

# How far into the document a dateline or date line is looked for.
HEAD_CHARS = 1500

_URL_DATE_PATTERNS = (
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})/([01]?[0-9])/([0-3]?[0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})-([01][0-9])-([0-3][0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})_([01][0-9])_([0-3][0-9])(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])"),
)

_ABBR_RE = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))
_YEAR = r"(?:19|20)[0-9]{2}"
_TIME_OF_DAY = r"(?:[ \t]*(?:,|-|–|alle|ore|h)?[ \t]*[0-2]?[0-9][:.][0-5][0-9])?"

# "ROMA, 12 febbraio 2025 –", "Milano (ANSA), 12 feb. –", "**Kiev, mercoledì 12 febbraio** -"
DATELINE = re.compile(
    rf"""(?mix)^[ \t*_>]*
    (?-i:[A-ZÀ-Ý])[\w'’.-]*(?:[ \t]+[\w'’.-]+){{0,3}}[ \t]*(?:\([\w .]+\))?[ \t]*,[ \t]*
    (?:(?:{WEEKDAY_RE}),?[ \t]+)?
    (?P<day>[0-3]?[0-9])[ \t]+(?P<month>{MONTH_RE}|(?:{_ABBR_RE})\.?)(?:[ \t]+(?P<year>{_YEAR}))?
    [ \t*_]*[-–—]
    """
)
# A line that holds only a date, optionally introduced by "Pubblicato il" / "Aggiornato il".
DATE_LINE = re.compile(
    rf"""(?mix)^[ \t*_>]*(?:(?:pubblicato|aggiornato|data(?:[ \t]+di[ \t]+pubblicazione)?)[ \t]*(?:il|:)?[ \t]*)?
    (?:(?:{WEEKDAY_RE}),?[ \t]+)?
    (?:(?P<day>[0-3]?[0-9])[ \t]+(?P<month>{MONTH_RE})[ \t]+(?P<year>{_YEAR})
      |(?P<nday>[0-3]?[0-9])/(?P<nmonth>[01]?[0-9])/(?P<nyear>{_YEAR}))
    {_TIME_OF_DAY}[ \t*_]*$
    """
)
_ENGLISH_MONTH_RE = "|".join(ENGLISH_MONTHS)
# Social-media embeds end with "(@handle) 12 febbraio 2025" or "(@handle) February 12, 2025".
EMBED_DATE = re.compile(
    rf"""(?ix)\(@\w+\)\s*(?:
        (?P<day>[0-3]?[0-9])\s+(?P<month>{MONTH_RE})\s+(?P<year>{_YEAR})
      |(?P<emonth>{_ENGLISH_MONTH_RE})\s+(?P<eday>[0-3]?[0-9]),?\s+(?P<eyear>{_YEAR}))
    """
)
# Relative days that anchor an adjacent date: "ieri, 12 febbraio 2025" was published the 13th.
_ANCHOR_OFFSETS = {"oggi": 0, "stamattina": 0, "stamani": 0, "stamane": 0, "stasera": 0, "ieri": -1,
                   "domani": 1, "dopodomani": 2, "altroieri": -2}
_DAYS_AGO = re.compile(r"(?P<n>[0-9]{1,2}|[a-z]+)\s+giorni\s+fa", re.I)
# What may stand between the relative word and the date: "ieri, il 12", "oggi (mercoledì 12 …".
_ANCHOR_GAP = re.compile(r"[\s,(]*(?:il\s+|l['’])?")
# Clauses about what is still to come: their dates say nothing about when the article appeared.
FUTURE_CLAUSE = re.compile(
    r"\b\w+(?:rà|ranno)\b|\bprossim[oaie]\b|\bprevist[oaie]\b|\bin\s+programma\b|\bentro\b"
    r"|\bfino\s+al\b|\bscadenz|\batteso\b|\battesa\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?«»\"“”()\[\]\n]")
# Words looked at on each side of a date for a future cue.
FUTURE_WINDOW_BEFORE = 4
FUTURE_WINDOW_AFTER = 2


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    word = fold(word).rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS.get(word)


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


def _strip_links(text: str) -> str:
    """Drop URLs (image paths hold upload dates, not publication dates), keep the anchor text."""
    return re.sub(r"\]\([^)]*\)|https?://\S+", "]", text)


def _is_about_the_future(text: str, start: int, end: int) -> bool:
    """Does a future cue stand within a few words of the date, in the same clause?

    A short window, not the whole clause: in "sarà la continuazione del dialogo iniziato il
    12 febbraio" the date belongs to the past participle, not to "sarà".
    """
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right_match = _CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    before = text[left:start].split()[-FUTURE_WINDOW_BEFORE:]
    after = text[end:right].split()[:FUTURE_WINDOW_AFTER]
    return bool(FUTURE_CLAUSE.search(" ".join(before) + " | " + " ".join(after)))


def _head_date(text: str) -> tuple[dt.date | None, tuple[int, int] | None]:
    """Dateline or date line near the top: a full date, or a (day, month) pair without year."""
    head = text[:HEAD_CHARS]
    m = DATE_LINE.search(head)
    if m:
        if m["year"]:
            found = _safe_date(int(m["year"]), MONTHS[fold(m["month"])], int(m["day"]))
        else:
            found = _safe_date(int(m["nyear"]), int(m["nmonth"]), int(m["nday"]))
        if found:
            return found, None
    m = DATELINE.search(head)
    if m:
        month = _month_number(m["month"])
        if month:
            if m["year"]:
                return _safe_date(int(m["year"]), month, int(m["day"])), None
            return None, (month, int(m["day"]))
    return None, None


def _anchor_offset(surface: str) -> int | None:
    """Days from the publication date to the day a relative expression names, if exact."""
    words = re.sub(r"^l['’]\s*altro\s*ieri", "altroieri", fold(surface)).split()
    if words and words[0] in _ANCHOR_OFFSETS:
        return _ANCHOR_OFFSETS[words[0]]
    m = _DAYS_AGO.fullmatch(fold(surface))
    if m:
        n = int(m["n"]) if m["n"].isdigit() else number_word_value(m["n"])
        return -n if n is not None else None
    return None  # hedged ("quasi tre giorni fa") or not a day


def _anchored_date(text: str, expressions: list[TimeExpression]) -> tuple[dt.date | None, tuple[int, int, int] | None]:
    """'oggi, 12 febbraio 2025' -> that day; without year -> (month, day, offset) for the corpus."""
    for relative, stated in zip(expressions, expressions[1:]):
        if stated.day is None or stated.month is None or relative.granularity != "day":
            continue
        if not _ANCHOR_GAP.fullmatch(text, relative.end, stated.start):
            continue
        offset = _anchor_offset(relative.surface)
        if offset is None:
            continue
        if stated.year is not None:
            if stated.value_date is not None:
                return stated.value_date - dt.timedelta(days=offset), None
        elif _safe_date(2000, stated.month, stated.day):  # 2000 is a leap year: 29 febbraio passes
            return None, (stated.month, stated.day, offset)
    return None, None


def _explicit_dates(text: str, expressions: list[TimeExpression]) -> tuple[list[dt.date], list[tuple[int, int]]]:
    """Full dates and year-less (month, day) pairs stated outside future clauses."""
    full: list[dt.date] = []
    partial: list[tuple[int, int]] = []
    for expr in expressions:
        if expr.granularity != "day" or expr.month is None or expr.day is None:
            continue
        if _is_about_the_future(text, expr.start, expr.end) or fold(expr.surface).endswith(("prossimo", "prossima")):
            continue
        if expr.year is not None:
            if expr.value_date:
                full.append(expr.value_date)
        elif _safe_date(2000, expr.month, expr.day):
            partial.append((expr.month, expr.day))
    for m in EMBED_DATE.finditer(text):
        if m["year"]:
            found = _safe_date(int(m["year"]), MONTHS[fold(m["month"])], int(m["day"]))
        else:
            month = ENGLISH_MONTHS.index(m["emonth"].capitalize()) + 1
            found = _safe_date(int(m["eyear"]), month, int(m["eday"]))
        if found:
            full.append(found)
    return full, partial


def _text_evidence(text: str) -> tuple[dt.date | None, tuple[int, int, int] | None]:
    """(full date from the text, or None; year-less (month, day, offset) for the corpus rule)."""
    text = _strip_links(text or "")
    head_full, head_partial = _head_date(text)
    if head_full:
        return head_full, None
    expressions = find_time_expressions(text, None)
    anchored_full, anchored_partial = _anchored_date(text, expressions)
    if anchored_full:
        return anchored_full, None
    full, partial = _explicit_dates(text, expressions)
    if full:
        return max(full), None
    if head_partial:
        return None, (*head_partial, 0)
    if anchored_partial:
        return None, anchored_partial
    if partial:
        # "Latest" within a year: month-day order, as all get the same corpus year.
        return None, (*max(partial), 0)
    return None, None


def dominant_year(dates: list[dt.date]) -> int | None:
    """The year most dates fall in; a tie goes to the later year."""
    if not dates:
        return None
    counts = Counter(d.year for d in dates)
    return max(counts, key=lambda year: (counts[year], year))


def infer_published_dates(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per document: published_date and where it came from (see module docstring).

    Input columns: doc_id, text, url (nullable), manifest_date (nullable date).
    """
    dated: dict[str, tuple[dt.date | None, str | None]] = {}
    yearless: dict[str, tuple[int, int, int]] = {}
    for doc_id, text, url, manifest_date in docs.select("doc_id", "text", "url", "manifest_date").iter_rows():
        if manifest_date is not None:
            dated[doc_id] = (manifest_date, "manifest")
            continue
        from_url = date_from_url(url)
        if from_url is not None:
            dated[doc_id] = (from_url, "url")
            continue
        from_text, partial = _text_evidence(text)
        if from_text is not None:
            dated[doc_id] = (from_text, "text")
            continue
        dated[doc_id] = (None, None)
        if partial is not None:
            yearless[doc_id] = partial
    year = dominant_year([d for d, _ in dated.values() if d is not None])
    if year is not None:
        for doc_id, (month, day, offset) in yearless.items():
            stated = _safe_date(year, month, day)
            if stated is not None:
                dated[doc_id] = (stated - dt.timedelta(days=offset), "corpus")
    rows = [(doc_id, *dated[doc_id]) for doc_id in docs["doc_id"]]
    return pl.DataFrame(rows, schema=OUTPUT_SCHEMA, orient="row")
