"""Time expressions in Italian news sentences, resolved against the publication date.

Table grain (`time_expressions`): one row per time expression found in a sentence, keyed by
(sent_id, start). Offsets are character offsets into the sentence text.

A compiled regex grammar finds candidates, each rule tried only at token starts near its key
words (see `italian.TokenIndex`); overlapping candidates keep the earliest, then the longest. What is recognised, and how it resolves (`pub` = the article's publication date):

* full dates — "12 febbraio 2025", "venerdì 8 febbraio 2025", "1° marzo 2024", "12/02/2025":
  granularity day, not relative.
* day and month without a year — "18 agosto", "l'8 febbraio", "lo scorso 18 agosto": the year
  comes from `pub`. Among the occurrence on or before `pub` and the first one after it, the one
  closer to `pub` wins, with the distance into the future counted double (news mostly reports
  the past); "scorso"/"passato" force the past one, "prossimo" the future one. Relative.
* month and year — "febbraio 2025": granularity month. A month after a preposition without a
  year — "a febbraio", "entro marzo": granularity month, year chosen like a day-month.
* year after a preposition — "nel 2022", "dall'inizio del 2022": granularity year. A bare
  number is never a year ("175 prigionieri", "2000 soldati").
* weekdays — "mercoledì", "lunedì scorso", "il prossimo venerdì": the latest such day on or
  before `pub` (strictly before with "scorso"); the first one after `pub` with "prossimo" or when
  the clause around it has a future-tense verb ("…rà", "…ranno"). Relative. A weekday standing
  with a date ("venerdì 8 febbraio") is stored in `stated_weekday` and checked against the date:
  `is_weekday_consistent` (null when the date is unknown or was derived from the weekday itself).
* relative days — "oggi", "ieri", "ieri sera", "stamattina", "domani", "l'altro ieri".
* relative periods — "la prossima settimana", "la settimana scorsa" (granularity week, value =
  the Monday), "il mese scorso" (month), "l'anno scorso", "quest'anno" (year), and
  "N giorni/settimane/mesi/anni fa", "tra N giorni …" with digits or number words, optionally
  hedged ("quasi due mesi fa"): the period `pub` minus N units falls in.

`value_date` is always the first day of the period named (Monday for a week) and is null when
there is no publication date to resolve against, the date does not exist (31 febbraio), or it
would fall outside the calendar (years 1 to 9999). One
exception: in an article with no publication date, a day and month without a year take the corpus's
dominant year (`with_corpus_year`), so "venerdì 8 febbraio" can still be checked against its weekday.
Not time expressions: "Articolo 5", "15 anni", "G7", counts, times of day ("alle 10.30").
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from pipeline.nlp.italian import (
    MONTH_RE,
    MONTHS,
    NUMBER_WORD_RE,
    WEEKDAY_RE,
    WEEKDAY_VARIANTS,
    WEEKDAYS,
    Rule,
    TokenIndex,
    fold,
    number_word_value,
    prefilter_regex,
    triggers_of,
    weekday_name,
)
from pipeline.schemas import GRANULARITIES, TABLES
from pipeline.schemas import WEEKDAYS as SCHEMA_WEEKDAYS


@dataclass(frozen=True)
class TimeExpression:
    """One time expression found in a text; `year`/`month`/`day` are what the text states."""

    start: int
    end: int
    surface: str
    value_date: dt.date | None
    granularity: str
    is_relative: bool
    stated_weekday: str | None = None
    is_weekday_consistent: bool | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None


_AP = r"['’]"
_PAST = r"(?:scors[oa]|passat[oa])"
_NEXT = r"(?:prossim[oa])"
_DIRECTION = rf"(?:{_PAST}|{_NEXT})"
_PRE_DIRECTION = rf"(?:(?:(?:lo|il|la|l{_AP})\s*)?(?P<pre>{_DIRECTION})\s+)"
_POST_DIRECTION = rf"(?:\s+(?P<post>{_DIRECTION}))"
_YEAR = r"(?:19|20)[0-9]{2}"
_DAY_PART = r"(?:\s+(?:mattina|mattino|pomeriggio|sera|notte))"

_FUTURE_VERB = re.compile(r"\b\w+(?:rà|ranno)\b|\bprossim[oaie]\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:.!?«»\"“”()\[\]–—]")


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I | re.X)


DAY_MONTH = _compile(
    rf"""
    {_PRE_DIRECTION}?
    (?:(?P<weekday>{WEEKDAY_RE}),?\s+)?
    (?<![0-9.,/])(?P<day>[0-3]?[0-9]|primo)(?:°|º)?\s+(?P<month>{MONTH_RE})\b
    (?:\s+(?:del\s+|dell{_AP}anno\s+)?(?P<year>{_YEAR})(?![0-9]))?
    {_POST_DIRECTION}?
    """
)
NUMERIC_DATE = _compile(
    rf"""
    (?<![0-9.,/])(?P<day>[0-3]?[0-9])(?P<sep>[/.-])(?P<month>[01]?[0-9])(?P=sep)
    (?:(?P<year>{_YEAR})|(?<=/)(?P<year2>[0-9]{{2}}))(?![0-9]|[/.-][0-9])
    """
)
MONTH_YEAR = _compile(
    rf"""
    (?<![0-9]\s)(?<![0-9])\b(?P<month>{MONTH_RE})\s+(?:del\s+|dell{_AP}anno\s+)?(?P<year>{_YEAR})(?![0-9])
    """
)
# Month names are lowercase in Italian: a capitalised "Maggio" mid-sentence is usually a name.
MONTH_ONLY = re.compile(
    rf"(?i:\b(?:a|ad|in|di|da|entro|fino\s+a|nel\s+mese\s+di|inizio|fine|metà|met[aà]\s+di|"
    rf"dal|al|del|prima\s+di|dopo)\s+)"
    rf"(?P<month>{MONTH_RE})\b(?:\s+(?P<post>(?i:{_DIRECTION})))?(?!\s+(?i:del\s+)?{_YEAR})"
)
YEAR_AFTER_PREPOSITION = _compile(
    rf"""
    \b(?:nel|del|dal|al|nell{_AP}anno|dell{_AP}anno|entro\s+il|fino\s+al|prima\s+del|dopo\s+il)\s+
    (?P<year>{_YEAR})
    (?![0-9]|[.,/][0-9]|\s*(?:%|per\s*cento|euro|dollari|mila|milion|miliard))
    """
)
WEEKDAY = _compile(
    rf"""
    {_PRE_DIRECTION}?
    \b(?P<weekday>{WEEKDAY_RE})(?![\w'’])
    {_DAY_PART}?
    {_POST_DIRECTION}?
    """
)
RELATIVE_DAY = _compile(
    rf"""
    \b(?P<word>oggi|ieri|domani|dopodomani|l{_AP}altro\s*ieri|altroieri|altro\s+ieri
        |stamattina|stamani|stamane|stasera|questa\s+mattina|questa\s+sera|questo\s+pomeriggio)\b
    {_DAY_PART}?
    """
)
_RELATIVE_DAY_OFFSETS = {
    "oggi": 0, "ieri": -1, "domani": 1, "dopodomani": 2, "altroieri": -2, "stamattina": 0,
    "stamani": 0, "stamane": 0, "stasera": 0, "questamattina": 0, "questasera": 0,
    "questopomeriggio": 0,
}
RELATIVE_PERIOD = _compile(
    rf"""
    (?:(?:la|il|l{_AP}|lo)\s*)?
    (?:(?P<dir1>prossim[oa]|scors[oa]|passat[oa]|quest[oa])\s+(?P<unit1>settimana|mese|anno)
      |(?P<unit2>settimana|mese|anno)\s+(?P<dir2>prossim[oa]|scors[oa]|passat[oa])
      |quest{_AP}(?P<unit3>anno))\b
    """
)
_COUNT = rf"(?:[0-9]{{1,3}}|\b{NUMBER_WORD_RE}\b|un{_AP}|un|una|uno)"
_HEDGE = r"(?:(?:quasi|circa|oltre|almeno|appena|solo|più\s+di|poco\s+più\s+di|meno\s+di)\s+)"
PERIODS_AGO = _compile(
    rf"""
    \b{_HEDGE}?(?P<n>{_COUNT})\s*(?P<unit>giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa\b
    """
)
PERIODS_AHEAD = _compile(
    rf"""
    \b(?:tra|fra)\s+{_HEDGE}?(?P<n>{_COUNT})\s*(?P<unit>giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\b
    (?!\s+(?:e|o|di|dall|dalla|dal)\b)
    """
)


# --- calendar arithmetic ------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the month's end (31 gennaio + 1 -> 28/29 febbraio)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _choose_occurrence(past: dt.date | None, future: dt.date | None, pub: dt.date, direction: str | None,
                       future_clause: bool = False) -> dt.date | None:
    """Pick the past or future occurrence of a year-less date (rule in the module docstring)."""
    if direction == "past" or future is None:
        return past
    if direction == "future" or past is None:
        return future
    past_distance = (pub - past).days
    future_weight = 1 if future_clause else 2
    return future if future_weight * (future - pub).days < past_distance else past


def resolve_day_month(day: int, month: int, pub: dt.date | None, direction: str | None = None,
                      future_clause: bool = False) -> dt.date | None:
    """The date of 'day month' (no year) as seen from `pub`."""
    if pub is None:
        return None
    past = next((d for y in (pub.year, pub.year - 1, pub.year - 2)
                 if (d := _safe_date(y, month, day)) and d <= pub), None)
    future = next((d for y in (pub.year, pub.year + 1, pub.year + 2)
                   if (d := _safe_date(y, month, day)) and d > pub), None)
    return _choose_occurrence(past, future, pub, direction, future_clause)


def resolve_month(month: int, pub: dt.date | None, direction: str | None = None,
                  future_clause: bool = False) -> dt.date | None:
    """First day of the month named without a year, as seen from `pub`."""
    if pub is None:
        return None
    this_year = dt.date(pub.year, month, 1)
    if month <= pub.month:
        past, future = this_year, dt.date(pub.year + 1, month, 1)
    else:
        past, future = dt.date(pub.year - 1, month, 1), this_year
    if month == pub.month and direction != "future":
        return this_year
    anchor = pub.replace(day=1)
    return _choose_occurrence(past, future, anchor, direction, future_clause)


def resolve_weekday(weekday: int, pub: dt.date | None, direction: str | None) -> dt.date | None:
    """The latest such weekday on/before `pub` ('past': strictly before), or the next after it."""
    if pub is None:
        return None
    if direction == "future":
        return pub + dt.timedelta(days=(weekday - pub.weekday() - 1) % 7 + 1)
    back = (pub.weekday() - weekday) % 7
    if direction == "past" and back == 0:
        back = 7
    return pub - dt.timedelta(days=back)


def _direction(word: str | None) -> str | None:
    if not word:
        return None
    word = fold(word)
    if word.startswith("prossim"):
        return "future"
    if word.startswith(("scors", "passat")):
        return "past"
    return None


# How far a clause is looked for on each side: keeps the work per expression constant on whole
# documents (the publication-date reader passes entire texts) instead of growing with the text.
_CLAUSE_REACH = 400


def _clause_around(text: str, start: int, end: int) -> str:
    reach_left = max(0, start - _CLAUSE_REACH)
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, reach_left, start)), default=reach_left)
    right_match = _CLAUSE_BREAK.search(text, end, end + _CLAUSE_REACH)
    right = right_match.start() if right_match else min(len(text), end + _CLAUSE_REACH)
    return text[left:start] + " " + text[end:right]


def _count_value(token: str) -> int | None:
    token = fold(token).strip()
    if token.isdigit():
        return int(token)
    if token in ("un", "un'", "una", "uno"):
        return 1
    return number_word_value(token)


# --- one handler per grammar rule ---------------------------------------------------------------

def _span(m: re.Match[str], text: str, first_group: str) -> tuple[int, int, str]:
    """The match from `first_group` on (leading prepositions and articles are not part of the
    surface), or the whole match when the expression opens with 'lo scorso'/'il prossimo'."""
    start = m.start() if first_group == "pre" else m.start(first_group)
    return start, m.end(), text[start:m.end()]


def _day_month(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    day = 1 if fold(m["day"]) == "primo" else int(m["day"])
    month = MONTHS[fold(m["month"])]
    if not 1 <= day <= 31:
        return None
    stated = weekday_name(m["weekday"]) if m["weekday"] else None
    direction = _direction(m["post"] or m["pre"])
    first = "pre" if m["pre"] else ("weekday" if m["weekday"] else "day")
    start, end, surface = _span(m, text, first)
    if m["year"]:
        year = int(m["year"])
        value = _safe_date(year, month, day)
        relative = False
    else:
        year = None
        future_clause = bool(_FUTURE_VERB.search(_clause_around(text, start, end)))
        value = resolve_day_month(day, month, pub, direction, future_clause)
        relative = True
    consistent = None if (stated is None or value is None) else value.weekday() == WEEKDAYS[stated]
    return TimeExpression(start, end, surface, value, "day", relative, stated, consistent, day, month, year)


def _numeric_date(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    year = int(m["year"]) if m["year"] else 2000 + int(m["year2"])
    day, month = int(m["day"]), int(m["month"])
    value = _safe_date(year, month, day)
    if value is None:
        return None  # "31/13/2025" is no date at all: more likely a code than a typo
    return TimeExpression(m.start(), m.end(), m.group(), value, "day", False, None, None, day, month, year)


def _month_year(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    month, year = MONTHS[fold(m["month"])], int(m["year"])
    return TimeExpression(m.start(), m.end(), m.group(), dt.date(year, month, 1), "month", False,
                          month=month, year=year)


def _month_only(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    month = MONTHS[fold(m["month"])]
    start, end, surface = _span(m, text, "month")
    future_clause = bool(_FUTURE_VERB.search(_clause_around(text, start, end)))
    value = resolve_month(month, pub, _direction(m["post"]), future_clause)
    return TimeExpression(start, end, surface, value, "month", True, month=month)


def _year(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    year = int(m["year"])
    start, end, surface = _span(m, text, "year")
    return TimeExpression(start, end, surface, dt.date(year, 1, 1), "year", False, year=year)


_CAPITALISED_WORD_AFTER = re.compile(r"\s+[A-ZÀ-Ý]")


def _weekday(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    word = m["weekday"]
    # Weekdays are lowercase in Italian: capitalised mid-sentence before another capitalised
    # word they are names ("Domenica Rossi", "Sabato De Sarno").
    # The last non-space character before the weekday, found by stepping back over spaces only:
    # slicing off everything before it made whole-document reads (pubdate) quadratic.
    k = m.start("weekday")
    while k > 0 and text[k - 1].isspace():
        k -= 1
    mid_sentence = k > 0 and text[k - 1] not in ".!?«\"“:("
    if mid_sentence and word[0].isupper() and _CAPITALISED_WORD_AFTER.match(text, m.end("weekday")):
        return None
    stated = weekday_name(word)
    if stated is None:
        return None
    direction = _direction(m["post"] or m["pre"])
    start, end, surface = _span(m, text, "pre" if m["pre"] else "weekday")
    if direction is None and _FUTURE_VERB.search(_clause_around(text, start, end)):
        direction = "future"
    value = resolve_weekday(WEEKDAYS[stated], pub, direction)
    return TimeExpression(start, end, surface, value, "day", True, stated, None)


def _relative_day(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    key = re.sub(r"[\s'’]", "", fold(m["word"]))
    key = key.removeprefix("l") if key.startswith("laltro") else key
    offset = _RELATIVE_DAY_OFFSETS[key]
    value = pub + dt.timedelta(days=offset) if pub else None
    return TimeExpression(m.start(), m.end(), m.group(), value, "day", True)


def _relative_period(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    unit = fold(m["unit1"] or m["unit2"] or m["unit3"])
    word = fold(m["dir1"] or m["dir2"] or "quest")
    step = 1 if word.startswith("prossim") else -1 if word.startswith(("scors", "passat")) else 0
    value = None
    if unit == "settimana":
        granularity = "week"
        value = _monday(pub) + dt.timedelta(weeks=step) if pub else None
    elif unit == "mese":
        granularity = "month"
        value = add_months(pub.replace(day=1), step) if pub else None
    else:
        granularity = "year"
        value = dt.date(pub.year + step, 1, 1) if pub else None
    return TimeExpression(m.start(), m.end(), m.group(), value, granularity, True)


def _shift(pub: dt.date | None, n: int, unit: str) -> tuple[dt.date | None, str]:
    if unit.startswith("giorn"):
        return (pub + dt.timedelta(days=n) if pub else None), "day"
    if unit.startswith("settiman"):
        return (_monday(pub + dt.timedelta(weeks=n)) if pub else None), "week"
    if unit.startswith("mes"):
        return (add_months(pub.replace(day=1), n) if pub else None), "month"
    return (dt.date(pub.year + n, 1, 1) if pub else None), "year"


_UNIT_GRANULARITY = {"giorn": "day", "settiman": "week", "mes": "month", "ann": "year"}


def periods_ago(surface: str) -> tuple[int, str] | None:
    """The count and unit (day, week, month, year) of an "N … fa" surface, hedge dropped:
    "quasi due mesi fa" -> (2, "month"); None for anything else."""
    m = PERIODS_AGO.fullmatch(surface.strip())
    if m is None:
        return None
    n = _count_value(m["n"])
    unit = next(g for stem, g in _UNIT_GRANULARITY.items() if fold(m["unit"]).startswith(stem))
    return (n, unit) if n is not None else None


def _periods_ago(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    n = _count_value(m["n"])
    if n is None:
        return None
    value, granularity = _shift(pub, -n, fold(m["unit"]))
    return TimeExpression(m.start(), m.end(), m.group(), value, granularity, True)


def _periods_ahead(m: re.Match[str], text: str, pub: dt.date | None) -> TimeExpression | None:
    n = _count_value(m["n"])
    if n is None:
        return None
    value, granularity = _shift(pub, n, fold(m["unit"]))
    return TimeExpression(m.start(), m.end(), m.group(), value, granularity, True)


_MONTH_KEYS = frozenset(MONTHS)
_WEEKDAY_KEYS = frozenset(v.rstrip("'") for v in WEEKDAY_VARIANTS)
_PERIOD_UNIT_KEYS = frozenset("giorno giorni settimana settimane mese mesi anno anni".split())
# Each rule is tried only at the token starts up to `lookback` tokens before one of its keys:
# "lo scorso venerdì, 8 febbraio" begins 4 tokens before "febbraio".
GRAMMAR: tuple[Rule, ...] = (
    Rule(DAY_MONTH, _day_month, _MONTH_KEYS, lookback=5),
    Rule(NUMERIC_DATE, _numeric_date, on_digit=True, lookback=0),
    Rule(MONTH_YEAR, _month_year, _MONTH_KEYS, lookback=0),
    Rule(MONTH_ONLY, _month_only, _MONTH_KEYS, lookback=3),
    Rule(YEAR_AFTER_PREPOSITION, _year, on_digit=True, lookback=2),
    Rule(WEEKDAY, _weekday, _WEEKDAY_KEYS, lookback=2),
    Rule(RELATIVE_DAY, _relative_day, frozenset(
        "oggi ieri domani dopodomani altroieri stamattina stamani stamane stasera mattina sera pomeriggio".split()),
        lookback=2),
    Rule(RELATIVE_PERIOD, _relative_period, frozenset({"settimana", "mese", "anno"}), lookback=2),
    Rule(PERIODS_AGO, _periods_ago, _PERIOD_UNIT_KEYS, lookback=4),
    Rule(PERIODS_AHEAD, _periods_ahead, _PERIOD_UNIT_KEYS, lookback=5),
)
_TRIGGERS = triggers_of(GRAMMAR)
# Vectorised gate: a sentence without any key word or digit holds no time expression.
PREFILTER = prefilter_regex(_TRIGGERS, "[0-9]")


def is_well_formed(t: TimeExpression, text: str) -> bool:
    """Does `t` make a valid `time_expressions` row for `text`: offsets inside the text, the surface
    the text between them, granularity and stated weekday in the contract's value sets?"""
    return (
        0 <= t.start < t.end <= len(text)
        and text[t.start:t.end] == t.surface
        and t.granularity in GRANULARITIES
        and (t.stated_weekday is None or t.stated_weekday in SCHEMA_WEEKDAYS)
    )


def find_time_expressions(text: str, published: dt.date | None) -> list[TimeExpression]:
    """All time expressions in `text`, non-overlapping (earliest, then longest, wins), in order."""
    index = TokenIndex(text, _TRIGGERS)
    if not index.hits:
        return []
    candidates: list[TimeExpression] = []
    for rule in GRAMMAR:
        for start in index.starts_for(rule):
            m = rule.pattern.match(text, start)
            if m is None:
                continue
            try:
                found = rule.handler(m, text, published)
            except (OverflowError, ValueError):
                if published is None:
                    raise
                # a publication date at the edge of the calendar ("domani" of 31/12/9999): the
                # expression is kept, unresolved, as if there were no date to resolve against
                found = rule.handler(m, text, None)
            if found is not None and is_well_formed(found, text):
                candidates.append(found)
    candidates.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeExpression] = []
    for cand in candidates:
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    return kept


_TABLE_COLUMNS = TABLES["time_expressions"].column_names


def with_corpus_year(t: TimeExpression, corpus_year: int | None) -> TimeExpression:
    """A day and month stated without a year, in an article with no publication date, dated in the
    corpus's dominant year (the fallback `pubdate` uses too), so its stated weekday stays checkable.
    Other expressions are returned unchanged: relative days and weekdays need the day itself."""
    if corpus_year is None or t.value_date is not None or t.granularity != "day" or t.year is not None \
            or t.day is None or t.month is None:
        return t
    value = _safe_date(corpus_year, t.month, t.day)
    consistent = None if (t.stated_weekday is None or value is None) else value.weekday() == WEEKDAYS[t.stated_weekday]
    return dataclasses.replace(t, value_date=value, is_weekday_consistent=consistent)


def extract_time_expressions(sentences: pl.DataFrame, published: pl.DataFrame,
                             corpus_year: int | None = None) -> pl.DataFrame:
    """The `time_expressions` table for `sentences` (sent_id, doc_id, text), resolved against
    `published` (doc_id, published_date; a missing or null date leaves relative values null,
    except a year-less day and month, which takes `corpus_year`: see `with_corpus_year`)."""
    schema = TABLES["time_expressions"].polars_schema
    if sentences.is_empty():
        return pl.DataFrame(schema=schema)
    joined = (
        sentences.select("sent_id", "doc_id", "text")
        .filter(pl.col("text").str.contains(PREFILTER))
        .join(published.select("doc_id", "published_date").unique("doc_id", keep="first"),
              on="doc_id", how="left")
    )
    rows = []
    for sent_id, doc_id, text, pub in joined.select("sent_id", "doc_id", "text", "published_date").iter_rows():
        for t in find_time_expressions(text, pub):
            if pub is None:
                t = with_corpus_year(t, corpus_year)
            rows.append((doc_id, sent_id, t.surface, t.start, t.end, t.value_date, t.granularity,
                         t.is_relative, t.stated_weekday, t.is_weekday_consistent))
    return pl.DataFrame(rows, schema=schema, orient="row").select(_TABLE_COLUMNS)
