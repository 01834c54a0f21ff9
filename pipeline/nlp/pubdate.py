"""Publication-date inference for documents whose manifest gives no date.

Grain of the result: one row per input document (doc_id, published_date, published_date_source).

Precedence — the first rule that yields a date wins (the year-less dateline and anchor of 4
rank above 3c):

1. `manifest`: the date given in seeds/sources.csv; or, given the same way by the caller,
   `collection` (a collection row's date column) or `html_meta` (the web page's markup).
2. `url`: a full date in the path of the article URL (/2025/02/12/, /20250212/, -2025-02-12).
   Dates in image or link URLs inside the text are not used (an image may be years old).
3. `text`, in this order:
   a. a dateline or date line in the head of the document: "Roma, 12 febbraio 2025 –",
      "Pubblicato il 12/02/2025", a line holding only "12 febbraio 2025 10:30";
   b. a relative expression anchoring a full date: the publication is the date plus the
      distance. "oggi, 12 febbraio 2025" (that day), "ieri 12 febbraio 2025" (the day after),
      "tre giorni fa, il 9 febbraio 2025", "un anno fa, il 12 febbraio 2024", "il 2 maggio 2024,
      dieci giorni fa," (the "… fa" after the date must close its clause). Months and years
      are counted by the calendar (31 gennaio + 1 mese = 28/29 febbraio). Convention: a hedge
      ("quasi", "circa", "oltre", "più di") does not move the point estimate: "quasi due mesi
      fa, il 18 agosto" gives 18 ottobre, the round distance the writer had in mind;
   c. the latest full date (day, month and year stated) in the text, embedded post dates
      included ("— Name (@handle) 12 febbraio 2025", also the English form "February 12, 2025"),
      leaving out dates with a future cue ("si terrà il 3 marzo 2025", "previsto per il …",
      "entro il …", "il prossimo 3 marzo"). An article cannot predate the latest past event it
      reports, so this is the earliest day the article can have been published: a lower bound,
      in news usually the day itself or the day before.
4. `corpus`: a day and month without a year. The dominant year of the dates found by rules 1–3
   (most documents; a tie goes to the later year; a document's 3c lower bound votes even when a
   rule below outranks it) is taken as the year of publication, "now": the stated day gets the
   year that puts the estimate in it. In this order, and above 3c since they name the day
   itself: a year-less dateline ("ROMA, 12 FEB –"), a year-less anchor ("ieri, 12 febbraio";
   "quasi due mesi fa, il 18 agosto" -> 18 ottobre; in a 2025 corpus "due mesi fa, il 20
   novembre" -> 20 novembre 2024 + 2 mesi = 20 gennaio 2025). Then, below 3c and only when the
   text states no full date at all, the latest day-month, as in 3c. Only the year is borrowed.

Dates the text marks as past can never be the publication date, which is strictly after them:
"lo scorso 18 agosto", "il 18 agosto scorso", "risale al 18 agosto", "l'ultima volta … il 18
agosto" (same sentence, no other date between), "due mesi fa, il 18 agosto", "ieri, 18
agosto", and the date of an earlier event of the kind the article reports: "dopo quella del 12
febbraio", "la precedente telefonata del 12 febbraio", "rispetto al 12 febbraio". The date of a
later event ("il prossimo vertice del 3 aprile", "in vista del 3 aprile", "fissato per il 3
aprile", "rinviato al 3 aprile") or of another one that the text does not place ("quella del 12
febbraio") is no evidence at all (see `event_reference`). Such a date is not a 3c/4 candidate, and when it is at least as late as every unmarked
one, the latest-date rule gives nothing: the publication is only known to be after it. We
deliberately do not return "the day after" as a lower bound: a writer says "lo scorso 18 agosto"
weeks or months later (the day after, it would be "ieri"), so that day is almost always wrong,
and a wrong day is worse than none (a relative "oggi" would resolve to it downstream). Any
estimate from 3b or 4 must also be on or after the 3c lower bound and after every past-marked
full date; one that is not is dropped for the next rule.

A document that only names a weekday ("mercoledì") or a relative day ("ieri") gets no date
(null, source null): a year alone is not a day, and no day is invented.
Everything is deterministic: no clock is read, and ties are broken by date order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace

import polars as pl

from pipeline.nlp.italian import (
    ENGLISH_MONTHS,
    MONTH_ABBREVIATIONS,
    MONTH_RE,
    MONTHS,
    WEEKDAY_RE,
    fold,
)
from pipeline.common import progress
from pipeline.nlp.times import TimeExpression, add_months, find_time_expressions, periods_ago

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
# How far the publication lies after a stated date: (count, unit), unit day|week|month|year.
Offset = tuple[int, str]
# What may stand between a relative expression and the date it anchors: "ieri, il 12",
# "oggi (mercoledì 12 …", "due mesi fa – il 18 agosto"; and between a date and a following "… fa".
_ANCHOR_GAP = re.compile(r"[\s,(–—-]*(?:il\s+|l['’]\s*)?")
_ANCHOR_GAP_AFTER = re.compile(r"[\s,(–—-]*")
# A following "… fa" anchors the date only if it closes the clause: "il 18 agosto, due mesi fa,".
_CLAUSE_END = re.compile(r"\s*(?:[,;:.!?)\]–—\n]|$)")
# Direction words inside a date's own surface ("lo scorso 18 agosto", "il 18 agosto prossimo").
_STATED_PAST = re.compile(r"\b(?:scors[oa]|passat[oa])\b")
_STATED_FUTURE = re.compile(r"\bprossim[oa]\b")
# Cues that put a date in the past of the article: "risale al 18 agosto", "l'ultima volta … il 18 agosto".
_RECALLED_BEFORE = re.compile(r"\brisal(?:e|gono|iva|ivano|ente|enti)\s+(?:a|al|all['’]|allo)\s*$", re.I)
_LAST_TIME = re.compile(r"\bultima\s+volta\b", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")
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
_WORD_REACH = 200
# Cues, in the few words before a date and in its clause, that make it the date of another event
# than the one the article reports: an earlier one ("dopo quella del 12 febbraio", "la precedente
# telefonata del", "rispetto al"), a later one ("il prossimo vertice del", "in vista del",
# "fissato per il", "rinviato al"), or one of the same kind named by a pronoun ("quella del").
EVENT_CUE_WINDOW = 6
_EARLIER_EVENT = re.compile(
    r"\bprecedent[ei]\b|\bdopo\s+quell[oaie]\b|\brispetto\s+a(?:l|lla|lle|gli|i|llo|ll['’])?(?!\w)", re.I)
_LATER_EVENT = re.compile(
    r"\bprossim[oaie]\b|\bin\s+vista\b|\bin\s+programma\b|\bannunciat[oaie]\s+per\b"
    r"|\b(?:fissat|convocat|programmat|calendarizzat|rinviat|posticipat|slittat|previst)[oaie]\b",
    re.I,
)
_ANOTHER_EVENT = re.compile(r"\bquell[oaie]\s+(?:del|dello|della|dell['’]|di)\s*$", re.I)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
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


def _is_about_the_future(text: str, start: int, end: int, clause_breaks: list[int]) -> bool:
    """Does a future cue stand within a few words of the date, in the same clause?

    A short window, not the whole clause: in "sarà la continuazione del dialogo iniziato il
    12 febbraio" the date belongs to the past participle, not to "sarà". `clause_breaks` are the
    offsets of all _CLAUSE_BREAK characters of `text`, in order.
    """
    k = bisect.bisect_left(clause_breaks, start)
    left = clause_breaks[k - 1] + 1 if k else 0
    k = bisect.bisect_left(clause_breaks, end)
    right = clause_breaks[k] if k < len(clause_breaks) else len(text)
    # a few words never span more than _WORD_REACH characters: the slices stay short on long clauses
    before = text[max(left, start - _WORD_REACH):start].split()[-FUTURE_WINDOW_BEFORE:]
    after = text[end:min(right, end + _WORD_REACH)].split()[:FUTURE_WINDOW_AFTER]
    return bool(FUTURE_CLAUSE.search(" ".join(before) + " | " + " ".join(after)))


def event_reference(text: str, start: int, clause_breaks: list[int]) -> str | None:
    """Does the text mark the date at `start` as the date of another event than the article's?

    'earlier' ("dopo quella del 12 febbraio", "la precedente telefonata del 12 febbraio",
    "rispetto al 12 febbraio"), 'later' ("il prossimo vertice del 3 aprile", "in vista del 3
    aprile", "fissato per il 3 aprile"), 'other' ("quella del 12 febbraio": one of the same kind,
    when nothing says which way), else None. Only the last EVENT_CUE_WINDOW words before the date
    in its clause are read; `clause_breaks` are the offsets of all _CLAUSE_BREAK characters.
    """
    k = bisect.bisect_left(clause_breaks, start)
    left = clause_breaks[k - 1] + 1 if k else 0
    before = " ".join(text[max(left, start - _WORD_REACH):start].split()[-EVENT_CUE_WINDOW:])
    if _LATER_EVENT.search(before):
        return "later"
    if _EARLIER_EVENT.search(before):
        return "earlier"
    if _ANOTHER_EVENT.search(before):
        return "other"
    return None


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


def _direction_of(surface: str) -> str | None:
    """'past' for "lo scorso 18 agosto" / "18 agosto scorso", 'future' for "il prossimo 18 agosto"."""
    folded = fold(surface)
    if _STATED_FUTURE.search(folded):
        return "future"
    if _STATED_PAST.search(folded):
        return "past"
    return None


def _anchor_offset(expr: TimeExpression) -> Offset | None:
    """How far the publication lies after the date that a relative expression stands next to:
    "ieri" -> 1 day, "quasi due mesi fa" -> 2 months, "domani" -> -1 day; None if not an anchor."""
    if expr.granularity == "day":
        words = re.sub(r"^l['’]\s*altro\s*ieri", "altroieri", fold(expr.surface)).split()
        if words and words[0] in _ANCHOR_OFFSETS:
            return -_ANCHOR_OFFSETS[words[0]], "day"
    return periods_ago(expr.surface)


def _is_day_date(expr: TimeExpression) -> bool:
    return expr.granularity == "day" and expr.month is not None and expr.day is not None


def _find_anchors(text: str, expressions: list[TimeExpression]) -> dict[int, Offset]:
    """Index of each stated date that a relative expression anchors -> its offset.

    "ieri, 12 febbraio", "quasi due mesi fa, il 18 agosto", "dieci giorni fa (il 2 maggio)": the
    relative expression right before the date. "il 18 agosto, quasi due mesi fa": an "… fa"
    right after it, closing the clause (in "il 2 maggio, dieci giorni fa il governo aveva …" the
    offset belongs to the next event). A relative day after a date is no anchor: in "si è votato
    il 12 febbraio, oggi si discute" "oggi" is another day.
    """
    anchors: dict[int, Offset] = {}
    for i, (left, right) in enumerate(zip(expressions, expressions[1:])):
        if _is_day_date(right) and _ANCHOR_GAP.fullmatch(text, left.end, right.start):
            offset = _anchor_offset(left)
            if offset is not None:
                anchors.setdefault(i + 1, offset)
        if (_is_day_date(left) and _ANCHOR_GAP_AFTER.fullmatch(text, left.end, right.start)
                and _CLAUSE_END.match(text, right.end)):
            offset = periods_ago(right.surface)
            if offset is not None:
                anchors.setdefault(i, offset)
    return anchors


def _past_cued(text: str, expressions: list[TimeExpression]) -> set[int]:
    """Indices of day dates that a past cue marks: "risale al 18 agosto", and "l'ultima volta"
    in the same sentence with no other date between cue and date, on either side."""
    dates = [i for i, e in enumerate(expressions) if _is_day_date(e)]
    cued = {i for i in dates if _RECALLED_BEFORE.search(text, max(0, expressions[i].start - 40), expressions[i].start)}
    cues = [m.start() for m in _LAST_TIME.finditer(text)]
    if not cues:
        return cued
    breaks = [m.start() for m in _SENTENCE_BREAK.finditer(text)]
    for n, i in enumerate(dates):
        expr = expressions[i]
        previous_end = expressions[dates[n - 1]].end if n else 0
        next_start = expressions[dates[n + 1]].start if n + 1 < len(dates) else len(text)
        k = bisect.bisect_left(cues, expr.start)
        before = cues[k - 1] if k else None
        after = cues[k] if k < len(cues) and cues[k] >= expr.end else None
        if before is not None and before >= previous_end and not _breaks_between(breaks, before, expr.start):
            cued.add(i)
        elif after is not None and after < next_start and not _breaks_between(breaks, expr.end, after):
            cued.add(i)
    return cued


def _breaks_between(breaks: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(breaks, start)
    return k < len(breaks) and breaks[k] < end


def _shift(stated: dt.date, offset: Offset) -> dt.date | None:
    """`stated` moved by `offset`; None when that leaves the calendar ("novecentomila anni fa")."""
    n, unit = offset
    try:
        if unit == "day":
            return stated + dt.timedelta(days=n)
        if unit == "week":
            return stated + dt.timedelta(weeks=n)
        return add_months(stated, n if unit == "month" else 12 * n)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class YearlessDate:
    """A day and month stated without a year, and how far after it the publication lies."""

    month: int
    day: int
    offset: Offset = (0, "day")

    def resolve(self, year: int) -> dt.date | None:
        """The publication date, taking `year` as the year of publication ("now"): the stated
        day gets the year that puts the estimate in `year` ("due mesi fa, il 20 novembre" with
        2025 -> 20 novembre 2024 + 2 mesi = 20 gennaio 2025)."""
        stated = _safe_date(year, self.month, self.day)
        estimate = _shift(stated, self.offset) if stated else None
        if estimate is not None and estimate.year != year:  # the distance crossed New Year ("ieri, 31 dicembre")
            stated = _safe_date(year - (estimate.year - year), self.month, self.day)
            estimate = _shift(stated, self.offset) if stated else None
        return estimate


@dataclass(frozen=True)
class TextEvidence:
    """What one text says about its publication date, strongest first (see module docstring)."""

    exact: dt.date | None = None  # 3a dateline, 3b anchored full date
    yearless: YearlessDate | None = None  # 3b/4 year-less dateline or anchor: needs the corpus year
    lower_bound: dt.date | None = None  # 3c latest full date not contradicted by a past-marked one
    latest_past: dt.date | None = None  # latest full date the text marks as past: publication is after it
    yearless_lower_bound: YearlessDate | None = None  # 4 latest day-month, when no full date is stated

    def admits(self, estimate: dt.date) -> bool:
        """Is an estimate consistent with the dates this text reports as past?"""
        return ((self.lower_bound is None or estimate >= self.lower_bound)
                and (self.latest_past is None or estimate > self.latest_past))


def _latest_unless_contradicted(unmarked: list, past_marked: list):
    """The latest unmarked date if it is strictly after every past-marked one, else None."""
    latest = max(unmarked, default=None)
    if latest is None or (past_marked and max(past_marked) >= latest):
        return None
    return latest


def _embed_dates(text: str) -> list[dt.date]:
    found = []
    for m in EMBED_DATE.finditer(text):
        if m["year"]:
            day = _safe_date(int(m["year"]), MONTHS[fold(m["month"])], int(m["day"]))
        else:
            day = _safe_date(int(m["eyear"]), ENGLISH_MONTHS.index(m["emonth"].capitalize()) + 1, int(m["eday"]))
        if day:
            found.append(day)
    return found


def _text_evidence(text: str) -> TextEvidence:
    """Read a document's text for its publication date (rules 3 and 4 of the module docstring)."""
    text = _strip_links(text or "")
    head_full, head_partial = _head_date(text)
    if head_full:
        return TextEvidence(exact=head_full)
    expressions = find_time_expressions(text, None)
    anchors = _find_anchors(text, expressions)
    past_cued = _past_cued(text, expressions)
    clause_breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    anchored_full: dt.date | None = None
    anchored_yearless: YearlessDate | None = None
    full, full_past, partial, partial_past = _embed_dates(text), [], [], []
    for i, expr in enumerate(expressions):
        if not _is_day_date(expr):
            continue
        offset = anchors.get(i)
        if expr.year is not None and expr.value_date is None:
            continue  # 31 febbraio 2025
        if expr.year is None and not _safe_date(2000, expr.month, expr.day):  # 2000 is a leap year
            continue
        if offset is not None:
            if expr.year is not None:
                anchored_full = anchored_full or _shift(expr.value_date, offset)
            else:
                anchored_yearless = anchored_yearless or YearlessDate(expr.month, expr.day, offset)
        direction = _direction_of(expr.surface)
        if direction is None and offset is None:
            reference = event_reference(text, expr.start, clause_breaks)
            if reference in ("later", "other"):
                continue  # another event's date: not a bound on this article's date either way
            if reference == "earlier":
                direction = "past"
        if direction == "future" or (offset is not None and offset[0] < 0):
            continue
        if direction is None and offset is None and _is_about_the_future(text, expr.start, expr.end, clause_breaks):
            continue
        is_past = direction == "past" or i in past_cued or (offset is not None and offset[0] > 0)
        if expr.year is not None:
            (full_past if is_past else full).append(expr.value_date)
        else:
            (partial_past if is_past else partial).append((expr.month, expr.day))
    evidence = TextEvidence(
        lower_bound=_latest_unless_contradicted(full, full_past),
        latest_past=max(full_past, default=None),
    )
    if anchored_full and evidence.admits(anchored_full):
        return TextEvidence(exact=anchored_full)
    yearless = YearlessDate(*head_partial) if head_partial else anchored_yearless
    latest_partial = None
    if not full and not full_past:
        # "Latest" within a year: month-day order, as all get the same corpus year.
        latest_partial = _latest_unless_contradicted(partial, partial_past)
    return replace(evidence, yearless=yearless,
                   yearless_lower_bound=YearlessDate(*latest_partial) if latest_partial else None)


def dominant_year(dates: list[dt.date]) -> int | None:
    """The year most dates fall in; a tie goes to the later year."""
    if not dates:
        return None
    counts = Counter(d.year for d in dates)
    return max(counts, key=lambda year: (counts[year], year))


def infer_published_dates(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per document: published_date and where it came from (see module docstring).

    Input columns: doc_id, text, url (nullable), manifest_date (nullable date), and optionally
    manifest_date_source: where a given date comes from (`manifest`, `collection`, `html_meta`;
    default `manifest`). The same as `resolve_published_dates(date_evidence(docs))`; the two
    halves let a partitioned stage read each document on its own and vote the year once.
    """
    return resolve_published_dates(date_evidence(docs))


# What one document says about its publication date, before the corpus year is known:
# (doc_id, date, source) when it is decided by itself, else (doc_id, None, None, evidence).
DateEvidence = tuple[str, "dt.date | None", "str | None", "TextEvidence | None"]


def date_evidence(docs: pl.DataFrame) -> list[DateEvidence]:
    """Per document (input columns as `infer_published_dates`), in row order: its date when the
    given date, the URL or the text decide it (rules 1-3), else what its text says (`TextEvidence`)
    for `resolve_published_dates`. Each document is read by itself."""
    evidence: list[DateEvidence] = []
    if "manifest_date_source" not in docs.columns:
        docs = docs.with_columns(pl.lit(None, dtype=pl.Utf8).alias("manifest_date_source"))
    for doc_id, text, url, manifest_date, given_source in progress(
        docs.select("doc_id", "text", "url", "manifest_date", "manifest_date_source").iter_rows(),
        total=docs.height, desc="pubdate"
    ):
        if manifest_date is not None:
            evidence.append((doc_id, manifest_date, given_source or "manifest", None))
        elif (from_url := date_from_url(url)) is not None:
            evidence.append((doc_id, from_url, "url", None))
        else:
            found = _text_evidence(text)
            if found.exact is not None:
                evidence.append((doc_id, found.exact, "text", None))
            else:
                evidence.append((doc_id, None, None, found))
    return evidence


def resolve_published_dates(evidence: list[DateEvidence]) -> pl.DataFrame:
    """One row per entry of `evidence`, in its order: the corpus year is the dominant year of
    every decided date and of every text's latest full date (`dominant_year`), and the undecided
    documents get their best estimate with it (rule 4). The dates do not depend on the order of
    `evidence` (only the rows' order does)."""
    dated: dict[str, tuple[dt.date | None, str | None]] = {}
    pending: dict[str, TextEvidence] = {}
    year_votes: list[dt.date] = []
    for doc_id, date, source, found in evidence:
        if found is None:
            dated[doc_id] = (date, source)
            year_votes.append(date)
        else:
            pending[doc_id] = found
            if found.lower_bound is not None:
                year_votes.append(found.lower_bound)
    year = dominant_year(year_votes)
    for doc_id, found in pending.items():
        dated[doc_id] = _best_estimate(found, year)
    rows = [(e[0], *dated[e[0]]) for e in evidence]
    return pl.DataFrame(rows, schema=OUTPUT_SCHEMA, orient="row")


def _best_estimate(evidence: TextEvidence, year: int | None) -> tuple[dt.date | None, str | None]:
    """The strongest estimate of a text without an exact date, given the corpus year (or None)."""
    if year is not None and evidence.yearless is not None:
        estimate = evidence.yearless.resolve(year)
        if estimate is not None and evidence.admits(estimate):
            return estimate, "corpus"
    if evidence.lower_bound is not None:
        return evidence.lower_bound, "text"
    if year is not None and evidence.yearless_lower_bound is not None:
        estimate = evidence.yearless_lower_bound.resolve(year)
        if estimate is not None:
            return estimate, "corpus"
    return None, None
