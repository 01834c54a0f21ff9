"""Quantities in Italian news sentences, as intervals in canonical units.

Table grain (`quantities`): one row per quantity in a sentence, keyed by (sent_id, start);
offsets are character offsets into the sentence text.

Kinds and canonical units:
* duration — seconds, minutes and hours in `minute` ("2h05'" = 125, "un'ora e mezza" = 90,
  "mezz'ora" = 30); days and weeks in `day`; months in `month`; years in `year`.
* money — `EUR`, `USD`, `GBP`, `RUB` ("1,2 milioni di euro", "$ 300", "50 miliardi di dollari").
* percent — `percent` ("30%", "30 per cento"); `percentage_point` for "punti percentuali".
* distance — `km`; weight — `kg`.
* age — `year`: only with an unambiguous cue ("ha 45 anni", "all'età di 15 anni", "un uomo di
  45 anni"); "da tre anni", "per tre anni", "tre anni di guerra" are durations; a bare
  "di 15 anni" without a person noun is skipped as ambiguous.
* count — `item`, with `noun` = the lowercase word counted ("oltre 300 droni d'attacco" → droni,
  "milioni di persone" → persone). A number without a following noun is not a count, except
  when it closes a clause whose subject it counts: "I voti contrari sono stati 18." → voti, or
  follows a verb as "in N" ("hanno votato in 200", "erano in migliaia"): a count of the people
  acting, with a null noun.

Interval representation (`low`, `high`) by qualifier, v the stated value:
  exact [v, v]; about [v, v] (approximate: consumers add their own tolerance); more_than and
  at_least [v, open); less_than and at_most [open, v]; almost [ALMOST_LOW_FACTOR·v, v]
  ("quasi tre ore" = 144–180 minutes); range [a, b] ("tre o quattro ore", "tra 10 e 15").
  Collective words: "una decina", "un centinaio", "un paio" are about their value; the plurals
  "decine", "centinaia", "migliaia", "milioni" mean "at least two of them": at_least [2·unit, open)
  ("migliaia di persone" = at least 2000).

Ranges, and what is not a range:
* "tra A e B" ("tra il 5 e il 3 per cento") and "A o B" are intervals whatever the order: [3, 5].
* "da A a B" ("dal 10 al 15") is an interval when it ascends; descending ("da 300 a 200 persone")
  or after a verb of change ("i morti sono saliti da 10 a 15") it is a change, read as two exact
  values (300 and 200 persone), never as one interval.
* "A-B" (hyphen or dash) is an interval only when it ascends ("10-15 persone"); a joined pair that
  descends or looks like a date, a season or a score is not a quantity at all, and no part of it is
  read alone ("3-1 gol" is not "1 gol"): "2025-04", "2024-25", "2024-2025", "12-04-2025", "3-1",
  a small pair after a match word ("la partita è finita 1-2", "ha vinto 1-2"), and any pair of
  digits joined by "/" ("10/12": a date or a fraction).
* A multiplier written once applies to both ends ("1,5-2 milioni") when the first number is not
  larger than the second as written; otherwise ("tra 500 e 1 milione") the reading is ambiguous
  and nothing is read.
Whatever rule produced it, a candidate that is not a well-formed row (offsets outside the text,
surface not the text between them, low > high, a value that is not finite, both bounds open,
a kind or qualifier outside the contract) is dropped in `find_quantities`, the one place every
quantity passes through.

Not quantities: anything inside a time expression (dates, "nel 2022", "tre anni fa"), times of
day ("alle 10.30"), law and article numbers ("Articolo 5", "comma 3"), ordinals ("1°"), numbers
in names ("G7", "F-16"), phone numbers (digit groups), and the articles "un/una/uno" (a number
word only next to a unit or a multiplier: "un'ora", "un milione di"). Page furniture is not a
quantity either: a reading time ("4 min di lettura", "Tempo di lettura: 2 minuti", "Lettura 4 min")
says how long the page takes to read, not how long anything it reports lasted; a day and an
abbreviated month ("2 MAG", "12 feb. 2025") is a date stamp, not a count of "mag" (see `DATE_STAMP`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import polars as pl

from pipeline.nlp.italian import (
    AMBIGUOUS_NUMBER_WORDS,
    COLLECTIVES_PLURAL,
    COLLECTIVES_SINGULAR,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MULTIPLIERS,
    NUMBER_STEMS,
    NUMBER_WORD_RE,
    NUMBER_WORDS,
    THOUSANDS_WORD_RE,
    fold,
    Rule,
    TokenIndex,
    number_word_value,
    number_words_value,
    parse_number,
    prefilter_regex,
    triggers_of,
)
from pipeline.nlp.times import find_time_expressions
from pipeline.schemas import QUALIFIERS, QUANTITY_KINDS, TABLES

# "quasi N" is read as at least this fraction of N.
ALMOST_LOW_FACTOR = 0.8


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    surface: str
    kind: str
    unit: str
    noun: str | None
    low: float | None
    high: float | None
    qualifier: str


# --- number grammar -----------------------------------------------------------------------------

_AP = r"['’]"
_DIGITS = r"(?<![\w.,/])(?<![^\W\d_]-)(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?)(?![.,][0-9])"
# Any number word but the ambiguous ones ("uno", "sei" are handled below, "un/una" are articles).
_WORD_NUMBER = rf"\b(?!(?:un|una|uno|sei)\b){NUMBER_WORD_RE}\b"
_ARTICLE_ONE = rf"\b(?:un{_AP}|un|una|uno)"
_MULT = r"(?:" + "|".join(sorted(MULTIPLIERS, key=len, reverse=True)) + r")\b"
# "un milione e duecentomila": the thousands after a million, read with it (not as a count of their own).
_MILLION_AND = rf"(?:(?<=milione)|(?<=milioni))\s+e\s+{THOUSANDS_WORD_RE}\b"
_NUM_PLAIN = (rf"(?:{_DIGITS}(?:\s*{_MULT}|mila\b)?|{_WORD_NUMBER}(?:\s+{_MULT}(?:{_MILLION_AND})?)?"
              rf"|{_ARTICLE_ONE}\s+{_MULT}(?:{_MILLION_AND})?|\bsei\b(?=\s+[a-zà-ù]+[ie]\b))")
# With a unit right after, "un'ora", "una settimana", "un milione" are numbers too.
_NUM_WITH_UNIT = rf"(?:{_NUM_PLAIN}|{_ARTICLE_ONE}\s*|\bsei\b)"

_OF = r"d(?:i|el|ei|ella|elle|egli|ello|all['’]?)"  # "più di", "più del", "meno della" …
_QUALIFIER = (
    rf"(?:(?P<qual>circa|quasi|più\s+{_OF}|poco\s+più\s+{_OF}|poco\s+meno\s+{_OF}|ben\s+oltre|oltre|"
    rf"almeno|non\s+meno\s+{_OF}|fino\s+a(?:d|l|i|lle|gli)?|non\s+più\s+{_OF}|al\s+massimo|al\s+più|"
    r"(?:non\s+)?(?:superiore|inferiore)\s+a(?:d|l|i|lla|lle|gli|llo)?|"
    rf"meno\s+{_OF}|intorno\s+a(?:i|gli|lle|l)?|attorno\s+a(?:i|gli|lle|l)?|all{_AP}incirca|"
    r"approssimativamente|pressoché|sopra\s+i|sotto\s+i|appena|solo|soltanto)\s+"
    # an article may follow: "oltre il 50 per cento", "circa il 30%", "oltre i 300 droni"
    # (but "oltre ai 300 droni" is "besides", and stays unqualified)
    rf"(?:(?:il|lo|la|i|gli|le|l{_AP})\s*)?)"
)
_QUALIFIERS = {
    "circa": "about", "intorno": "about", "attorno": "about", "all'incirca": "about",
    "approssimativamente": "about",
    "quasi": "almost", "poco meno di": "almost", "pressoché": "almost",
    "più di": "more_than", "poco più di": "more_than", "oltre": "more_than", "ben oltre": "more_than",
    "sopra i": "more_than",
    "almeno": "at_least", "non meno di": "at_least",
    "fino a": "at_most", "fino ad": "at_most", "non più di": "at_most", "al massimo": "at_most",
    "al più": "at_most",
    "meno di": "less_than", "sotto i": "less_than",
    "non superiore a": "at_most", "non inferiore a": "at_least", "superiore a": "more_than", "inferiore a": "less_than",
    "appena": "exact", "solo": "exact", "soltanto": "exact",
}


def _qualifier_of(words: str | None) -> str:
    if not words:
        return "exact"
    key = re.sub(r"\s+", " ", fold(words)).strip()
    if key.startswith(("intorno", "attorno")):
        key = key.split()[0]
    key = re.sub(r" d(?:el|ei|ella|elle|egli|ello|all'?)$", " di", key)
    key = re.sub(r"^fino a(?:l|i|lle|gli)$", "fino a", key)
    key = re.sub(r"^((?:non )?(?:superiore|inferiore) a)(?:d|l|i|lla|lle|gli|llo)?$", r"\1", key)
    return _QUALIFIERS.get(key, "exact")


def number_value(text: str) -> float | None:
    """'1,2 milioni' -> 1200000, 'tre' -> 3, '300mila' -> 300000, "un'" -> 1, 'un milione e
    duecentomila' -> 1200000 (number words are read by text2num, digits by `parse_number`)."""
    words = fold(text).strip()
    if not re.search(r"[0-9]", words):
        whole = number_words_value(words) if " e " in words else number_word_value(words)
        if whole is not None:
            return float(whole)
    m = re.fullmatch(r"(.+?)\s*(mila|" + "|".join(MULTIPLIERS) + r")?", words)
    if not m:
        return None
    base, mult = m.group(1).strip(), m.group(2)
    if base in ("un", "un'", "una", "uno"):
        value = 1.0
    elif number_word_value(base) is not None:
        value = float(number_word_value(base))
    else:
        value = parse_number(base)
    if value is None:
        return None
    return value * (1000 if mult == "mila" else MULTIPLIERS.get(mult, 1) if mult else 1)


def _interval(qualifier: str, low: float, high: float | None = None) -> tuple[float | None, float | None]:
    if qualifier == "range":
        return (min(low, high), max(low, high))
    if qualifier in ("more_than", "at_least"):
        return (low, None)
    if qualifier in ("less_than", "at_most"):
        return (None, low)
    if qualifier == "almost":
        return (low * ALMOST_LOW_FACTOR, low)
    return (low, low)


def _amount(num: str, qualifier_words: str | None) -> tuple[float | None, float | None, str] | None:
    value = number_value(num)
    if value is None:
        return None
    qualifier = _qualifier_of(qualifier_words)
    low, high = _interval(qualifier, value)
    return low, high, qualifier


@dataclass(frozen=True)
class _Reading:
    """How a matched value reads: an interval (`low`, `high`, `qualifier`), or, for a change
    ("da 300 a 200"), the two values with their offsets: `change` = ((start, end, value) of the
    first number, (start, value) of the second, whose span runs to the end of the match)."""

    low: float | None
    high: float | None
    qualifier: str
    change: tuple[tuple[int, int, float], tuple[int, float]] | None = None


# A pair read as a date, a season, a score or an ambiguous range: no quantity, and no part of it
# may be read as one either ("3-1 gol" is not "1 gol").
NOT_A_QUANTITY = _Reading(None, None, "exact")


@dataclass(frozen=True)
class Claim:
    """A span that holds no quantity and that no shorter candidate inside it may take."""

    start: int
    end: int


# Verbs of change before "da A a B": the two numbers are a before and an after, not an interval.
_CHANGE_BEFORE = re.compile(
    r"\b(?:pass(?:a|ano|at[oaie]|er[àa]|ati|ando)|sal(?:e|gono|it[oaie]|iva|ivano|ir[àa])"
    r"|scend(?:e|ono|eva|evano|er[àa])|sces[oaie]|ris(?:alit|ces)[oaie]"
    r"|(?:aument|cal|dimezz|raddoppi|triplic|balz|croll|lievit|schizz|precipit|aggiorn|rialz|abbass|port|cambi)"
    r"(?:a|ano|at[oaie]|ava|avano|er[àa])"
    r"|diminu(?:it[oaie]|isce|iscono)|cresc(?:e|ono|iut[oaie])|ridott[oaie]|riduc(?:e|ono)|rivist[oaie]"
    r"|corrett[oaie])\b(?:\s+[\w'’]+){0,4}\s+$",
    re.I,
)
# A small pair joined by a dash after a match word is a score ("la partita è finita 1-2").
_SCORE_BEFORE = re.compile(
    r"\b(?:finit[oa]|terminat[oa]|chius[oa]|vint[oa]|vinc[eo]\w*|pers[oa]|perde\w*|battut[oa]|batte\w*"
    r"|pareggi\w*|risultat[oi]|punteggi[oi]|impost[oa]|impone|sconfitt[aoe]|successo|vittoria|rimonta"
    r"|gara|partita|match|derby|set|finale|andata|ritorno)\b[^.;:!?]{0,30}$",
    re.I,
)
_SCORE_MAX = 30
_YEAR_DIGITS = re.compile(r"(?:19|20)[0-9]{2}")


def _range_form(m: re.Match[str]) -> str | None:
    """'between' (tra A e B), 'from_to' (da A a B), 'or' (A o B), 'joined' (A-B, A/B), or None."""
    groups = m.groupdict()
    if groups.get("a"):
        return "between"
    if groups.get("a2"):
        return "from_to"
    if groups.get("a3"):
        joiner = m.string[m.end("a3"):m.start("b3")].strip()
        return "or" if fold(joiner) == "o" else "joined"
    return None


def _joined_pair_is_a_range(m: re.Match[str], first: str, last: str) -> bool:
    """Is "A-B" (or "A/B") an interval, rather than a date, a season, a score or a code?"""
    text = m.string
    joiner = text[m.end("a3"):m.start("b3")].strip()
    first_digits = re.match(r"[0-9][0-9.,]*", first)
    last_digits = re.match(r"[0-9][0-9.,]*", last)
    if first_digits is None or last_digits is None:
        return True  # number words: "venti-trenta persone"
    if joiner == "/":
        return False  # "10/12": a date or a fraction
    a_text, b_text = first_digits.group(), last_digits.group()
    if re.match(r"0[0-9]", a_text) or re.match(r"0[0-9]", b_text):
        return False  # "2025-04", "1-05": dates and codes
    if _YEAR_DIGITS.fullmatch(a_text) and (len(b_text) == 2 or _YEAR_DIGITS.fullmatch(b_text)):
        return False  # "2024-25", "2024-2025": a season or a span of years
    if re.search(r"[0-9]\s*[-–/.]\s*$", text[:m.start("a3")]) or re.match(r"\s*[-–/]\s*[0-9]", text[m.end("b3"):]):
        return False  # one link of a longer chain: "12-04-2025", "1-2-3"
    a, b = parse_number(a_text), parse_number(b_text)
    small = a is not None and b is not None and a.is_integer() and b.is_integer() and max(a, b) <= _SCORE_MAX
    if small and _SCORE_BEFORE.search(text, max(0, m.start() - 60), m.start("a3")):
        return False  # "ha vinto 1-2", "la partita è finita 1-2"
    return True


def _range_or_amount(m: re.Match[str]) -> _Reading | None:
    """How the qualifier and either the range or the single number read (see the module docstring)."""
    number, first, last = _value_parts(m)
    if not (first and last):
        read = _amount(number, m["qual"])
        return None if read is None else _Reading(*read)
    form = _range_form(m)
    a, b = number_value(first), number_value(last)
    if a is None or b is None or a == b:
        return None
    # "1,5-2 milioni": the multiplier written once applies to both ends.
    last_multiplier = re.search(_MULT, fold(last))
    if last_multiplier and not re.search(_MULT, fold(first)):
        factor = MULTIPLIERS[last_multiplier.group()]
        if a > b / factor:
            return NOT_A_QUANTITY  # "tra 500 e 1 milione": 500 or 500 milioni? Abstain.
        a *= factor
    if form in ("between", "or"):
        return _Reading(min(a, b), max(a, b), "range")
    if form == "from_to":
        if a > b or _CHANGE_BEFORE.search(m.string, max(0, m.start() - 80), m.start()):
            return _Reading(None, None, "exact", change=((m.start("a2"), m.end("a2"), a), (m.start("b2"), b)))
        return _Reading(a, b, "range")
    if a > b or not _joined_pair_is_a_range(m, first, last):
        return NOT_A_QUANTITY
    return _Reading(a, b, "range")


def _change(m: re.Match[str], read: _Reading, kind: str, unit: str, noun: str | None,
            convert, convert_last=None) -> tuple[Quantity, Quantity]:
    """The two exact values of a change ("da 300 a 200 persone"): "300", then "200 persone"."""
    (start, end, first), (second_start, second) = read.change
    convert_last = convert_last or convert
    text = m.string
    return (
        Quantity(start, end, text[start:end], kind, unit, noun, convert(first), convert(first), "exact"),
        Quantity(second_start, m.end(), text[second_start:m.end()], kind, unit, noun,
                 convert_last(second), convert_last(second), "exact"),
    )


def _value_group(num: str) -> str:
    """A number, or a range of two numbers: 'tra 10 e 15', 'tra il 5 e il 3', 'da 10 a 15',
    'dal 10 al 15', 'tre o quattro', '10-15'."""
    article = rf"(?:(?:il|lo|la|i|gli|le)\s+|l{_AP}\s*)"
    return (
        rf"(?:(?:tra|fra)\s+{article}?(?P<a>{num})\s+e\s+{article}?(?P<b>{num})"
        rf"|(?:(?:da|dai|dalle|dal|dallo|dagli)\s+|dall{_AP}\s*)(?P<a2>{num})\s+"
        rf"(?:(?:a|ai|alle|al|allo|agli)\s+|all{_AP}\s*)(?P<b2>{num})"
        rf"|(?P<a3>{num})\s*(?:o|-|–|/)\s*(?P<b3>{num})"
        rf"|(?P<n>{num}))"
    )


def _value_parts(m: re.Match[str]) -> tuple[str | None, str | None, str | None]:
    """(single number, range start, range end) as written; a range has three spellings, each
    with its own pair of groups (a/b, a2/b2, a3/b3) because a regex cannot reuse a name."""
    groups = m.groupdict()
    for first, last in (("a", "b"), ("a2", "b2"), ("a3", "b3")):
        if groups.get(first):
            return None, groups[first], groups[last]
    return groups.get("n"), None, None


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I | re.X)


_VALUE_UNIT = _value_group(_NUM_WITH_UNIT)
_VALUE_PLAIN = _value_group(_NUM_PLAIN)

# --- durations ---------------------------------------------------------------------------------

_HOUR_FRACTION = rf"(?:\s+e\s+(?P<frac>mezza|mezzo|un\s+quarto|tre\s+quarti|(?P<fracmin>[0-9]{{1,2}}|{_WORD_NUMBER})\s+minuti))"
DURATION_HOURS = _compile(
    rf"""{_QUALIFIER}?{_VALUE_UNIT}\s*(?P<unit>ore\b|ora\b|h\b){_HOUR_FRACTION}?(?P<suffix>\s+circa\b)?"""
)
DURATION_CLOCK = _compile(r"""(?<![\w.])(?P<h>[0-9]{1,2})\s?h\s?(?P<m>[0-5][0-9])(?:['’′]|\b)""")
DURATION_HALF_HOUR = _compile(
    rf"""{_QUALIFIER}?(?P<what>mezz{_AP}\s*ora|mezzora|un\s+quarto\s+d{_AP}\s*ora|tre\s+quarti\s+d{_AP}\s*ora)\b"""
)
DURATION_COUPLE = _compile(rf"""{_QUALIFIER}?\bun\s+paio\s+(?:di\s+|d{_AP}\s*)(?P<unit>ore|minuti|giorni|settimane|mesi|anni)\b""")
DURATION_OTHER = _compile(
    rf"""{_QUALIFIER}?{_VALUE_UNIT}\s*(?P<unit>minuti|minuto|min\b|secondi|giorni|giorno|settimane|settimana|mesi|mese|anni|anno)\b
    (?P<suffix>\s+circa\b)?"""
)
_DURATION_UNITS = {
    "minut": ("minute", 1.0), "min": ("minute", 1.0), "second": ("minute", 1 / 60),
    "giorn": ("day", 1.0), "settiman": ("day", 7.0), "mes": ("month", 1.0), "ann": ("year", 1.0),
}
_AGE_BEFORE = re.compile(
    r"(?:\b(?:ha|aveva|avrà|avrebbe|avevano|hanno|compie|compiuto|compiere|compiuti)\s+|"
    r"\bet[àa]\s+di\s+|\b(?:uomo|donna|ragazz[oaie]|bambin[oaie]|giovane|figli[oaie]|anzian[oaie]|"
    r"militare|soldato|studente|studentessa|cittadin[oaie]|pensionat[oaie]|madre|padre|"
    r"vittima|ostaggio|prigioniero|turista|reporter|giornalista)\s+di\s+)$",
    re.I,
)
# A page's reading time, before the figure: "Tempo di lettura: 2 minuti", "Leggi in 3 minuti", and
# a bare "Lettura" that opens the text or follows a separator ("Lettura 4 min", "di Anna Neri |
# Lettura: 5 min"); "in prima lettura" (a bill's reading) is not one.
_READING_TIME_BEFORE = re.compile(
    r"(?:\btemp[oi]\s+(?:di|della|per\s+la|stimato\s+(?:di|per\s+la))\s+lettura(?:\s+stimat[oa])?"
    r"|(?:^|[|·•/,;:()\[\]–—-])\s*lettura(?:\s+stimata)?"
    r"|\b(?:leggi|si\s+legge|da\s+leggere)\s+in)\s*[:\-–—]?\s*$",
    re.I,
)
# ... and after it: "4 min di lettura", "3 minuti per leggere"; but "20 minuti di lettura della
# sentenza" is how long a reading lasted, and stays a duration.
_READING_TIME_AFTER = re.compile(
    r"\s*(?:di\s+lettura|per\s+leggere|read)\b(?!\s+d(?:i\b|e[il]|egli|ell))",
    re.I,
)


def is_reading_time(text: str, start: int, end: int) -> bool:
    """Is the duration at text[start:end] a page's reading time ("4 min di lettura")?"""
    # search with pos/endpos, not on a slice: "^" must stay the real start of the text
    return bool(_READING_TIME_BEFORE.search(text, max(0, start - 60), start)
                or _READING_TIME_AFTER.match(text, end))


_DURATION_CONTEXT_BEFORE = re.compile(
    r"\b(?:da|per|in|dopo|durante|oltre|entro|negli\s+ultimi|nei\s+prossimi|di|tra|fra|ultimi|prossimi)\s+$",
    re.I,
)


def _duration_hours(m: re.Match[str], text: str) -> Quantity | tuple[Quantity, ...] | Claim | None:
    number, first, _ = _value_parts(m)
    unit_word = fold(m["unit"])
    if unit_word == "ora" and fold(number or "").strip() not in ("un'", "un", "una", "1"):
        return None  # "ora" alone is "now"; as a unit it only follows "un'"
    if unit_word == "h" and not re.match(r"[0-9]", number or first or ""):
        return None
    if is_reading_time(text, m.start(), m.end()):
        return Claim(m.start(), m.end())
    read = _range_or_amount(m)
    if read is None:
        return None
    if read is NOT_A_QUANTITY:
        return Claim(m.start(), m.end())
    low, high, qualifier = read.low, read.high, read.qualifier
    extra = 0.0
    if m["frac"]:
        frac = fold(m["frac"])
        extra = {"mezza": 30.0, "mezzo": 30.0, "un quarto": 15.0, "tre quarti": 45.0}.get(frac)
        if extra is None:
            minutes = number_value(m["fracmin"])
            extra = minutes if minutes is not None and minutes < 60 else 0.0
    if read.change:  # "da 3 a 2 ore e mezza": the fraction goes with the second value
        return _change(m, read, "duration", "minute", None, lambda v: v * 60, lambda v: v * 60 + extra)
    if m["suffix"] and qualifier == "exact":
        qualifier = "about"
    if qualifier == "range":
        low, high = low * 60 + extra, high * 60 + extra
    else:
        low, high = _interval(qualifier, number_value(number) * 60 + extra)
    return Quantity(m.start(), m.end(), m.group(), "duration", "minute", None, low, high, qualifier)


def _duration_clock(m: re.Match[str], text: str) -> Quantity | None:
    minutes = int(m["h"]) * 60 + int(m["m"])
    return Quantity(m.start(), m.end(), m.group(), "duration", "minute", None, minutes, minutes, "exact")


def _duration_half_hour(m: re.Match[str], text: str) -> Quantity | None:
    what = re.sub(r"[\s'’]", "", fold(m["what"]))
    minutes = 15.0 if what.startswith("unquarto") else 45.0 if what.startswith("trequarti") else 30.0
    qualifier = _qualifier_of(m["qual"])
    low, high = _interval(qualifier, minutes)
    return Quantity(m.start(), m.end(), m.group(), "duration", "minute", None, low, high, qualifier)


def _duration_unit(unit_word: str) -> tuple[str, float]:
    unit_word = fold(unit_word)
    if unit_word == "ore":
        return "minute", 60.0
    for prefix, found in _DURATION_UNITS.items():
        if unit_word.startswith(prefix):
            return found
    raise KeyError(unit_word)


def _duration_couple(m: re.Match[str], text: str) -> Quantity | None:
    unit, factor = _duration_unit(m["unit"])
    return Quantity(m.start(), m.end(), m.group(), "duration", unit, None, 2 * factor, 2 * factor, "about")


def _duration_other(m: re.Match[str], text: str) -> Quantity | tuple[Quantity, ...] | Claim | None:
    single, first, _ = _value_parts(m)
    unit_word = fold(m["unit"])
    number = fold(single or first or "").strip()
    singular = unit_word in ("minuto", "giorno", "settimana", "mese", "anno")
    article = number in ("un", "un'", "una", "uno")
    if singular != article and not (singular and number in ("1",)):
        return None  # "un secondo mandato", "tre mese" — not a duration
    if unit_word in ("giorno", "settimana", "mese", "anno") and article and not m["qual"]:
        # "Un giorno Trump disse…" is narrative; as a duration it needs a cue ("per un giorno")
        if not _DURATION_CONTEXT_BEFORE.search(text[:m.start()]) and not re.match(r"\s+di\b", text[m.end():]):
            return None
    if unit_word == "anni" and single and not m["qual"]:
        before = text[:m.start()]
        if _AGE_BEFORE.search(before):
            value = number_value(single)
            if value is None:
                return None
            return Quantity(m.start(), m.end(), m.group(), "age", "year", None, value, value, "exact")
        if not _DURATION_CONTEXT_BEFORE.search(before) and not re.match(r"\s+di\b", text[m.end():]):
            return None  # "15 anni" on its own: age or duration, can't tell
        if re.search(r"\bdi\s+$", before, re.I):
            return None  # "una guerra di tre anni" vs "un ragazzo di 15 anni": ambiguous
    if unit_word in ("minuti", "minuto", "min", "secondi") and is_reading_time(text, m.start(), m.end()):
        return Claim(m.start(), m.end())
    read = _range_or_amount(m)
    if read is None:
        return None
    if read is NOT_A_QUANTITY:
        return Claim(m.start(), m.end())
    unit, factor = _duration_unit(unit_word)
    if read.change:
        return _change(m, read, "duration", unit, None, lambda v: v * factor)
    low, high, qualifier = read.low, read.high, read.qualifier
    if m["suffix"] and qualifier == "exact":
        qualifier = "about"
    low = None if low is None else low * factor
    high = None if high is None else high * factor
    return Quantity(m.start(), m.end(), m.group(), "duration", unit, None, low, high, qualifier)


# --- money, percent, distance, weight ---------------------------------------------------------

_CURRENCY_WORDS = {"euro": "EUR", "€": "EUR", "dollari": "USD", "dollaro": "USD", "$": "USD",
                   "us$": "USD", "usd": "USD", "eur": "EUR", "sterline": "GBP", "sterlina": "GBP",
                   "£": "GBP", "rubli": "RUB", "rublo": "RUB"}
MONEY_AFTER = _compile(
    rf"""{_QUALIFIER}?{_VALUE_PLAIN}\s*(?:di\s+)?(?P<cur>euro|dollari|dollaro|sterline|sterlina|rubli|rublo|€|\$)(?!\w)"""
)
MONEY_BEFORE = _compile(
    rf"""{_QUALIFIER}?(?P<cur>€|\$|US\$|£|\bEUR\b|\bUSD\b)\s*(?P<n>{_DIGITS}(?:\s*{_MULT})?)"""
)
PERCENT = _compile(rf"""{_QUALIFIER}?{_VALUE_PLAIN}\s*(?P<pct>%|per\s*cento\b|percento\b|punti\s+percentuali\b)""")
DISTANCE_WEIGHT = _compile(
    rf"""{_QUALIFIER}?{_VALUE_PLAIN}\s*(?P<mu>km\b|chilometri\b|metri\b|tonnellate\b|kg\b|chili\b|chilogrammi\b)"""
)
# "magnitudo 4.6", "magnitudo momento 4.4", "di magnitudo pari a 3,9": an earthquake's size (kind
# `other`, unit `magnitude`; noun `magnitudo`, or `magnitudo momento` for the moment scale, a different
# measure of the same shock). The decimal point is read as a decimal here, never as thousands.
MAGNITUDE = _compile(
    rf"""\bmagnitudo\s+(?P<scale>(?:momento|locale|richter|mw|ml)\s+)?(?:(?:pari\s+a|di|stimata\s+in)\s+)?
    (?P<qual>circa|quasi|oltre|più\s+di|almeno|intorno\s+a)?\s*(?P<mag>[0-9](?:[.,][0-9]{{1,2}})?)(?![0-9]|[.,][0-9])"""
)


def _magnitude(m: re.Match[str], text: str) -> Quantity | None:
    value = float(m["mag"].replace(",", "."))
    qualifier = _qualifier_of(m["qual"])
    low, high = _interval(qualifier, value)
    noun = "magnitudo momento" if fold(m["scale"] or "").strip() in ("momento", "mw") else "magnitudo"
    return Quantity(m.start(), m.end(), m.group(), "other", "magnitude", noun, low, high, qualifier)


_MEASURE_UNITS = {"km": ("distance", "km", 1.0), "chilometri": ("distance", "km", 1.0),
                  "metri": ("distance", "km", 0.001), "tonnellate": ("weight", "kg", 1000.0),
                  "kg": ("weight", "kg", 1.0), "chili": ("weight", "kg", 1.0),
                  "chilogrammi": ("weight", "kg", 1.0)}


def _scaled(m: re.Match[str], kind: str, unit: str, factor: float = 1.0) -> Quantity | tuple[Quantity, ...] | Claim | None:
    read = _range_or_amount(m)
    if read is None:
        return None
    if read is NOT_A_QUANTITY:
        return Claim(m.start(), m.end())
    if read.change:
        return _change(m, read, kind, unit, None, lambda v: v * factor)
    low, high, qualifier = read.low, read.high, read.qualifier
    low = None if low is None else low * factor
    high = None if high is None else high * factor
    return Quantity(m.start(), m.end(), m.group(), kind, unit, None, low, high, qualifier)


def _money_after(m: re.Match[str], text: str) -> Quantity | None:
    return _scaled(m, "money", _CURRENCY_WORDS[fold(m["cur"])])


def _money_before(m: re.Match[str], text: str) -> Quantity | None:
    return _scaled(m, "money", _CURRENCY_WORDS[fold(m["cur"])])


def _percent(m: re.Match[str], text: str) -> Quantity | None:
    unit = "percentage_point" if fold(m["pct"]).startswith("punti") else "percent"
    return _scaled(m, "percent", unit)


def _distance_weight(m: re.Match[str], text: str) -> Quantity | None:
    kind, unit, factor = _MEASURE_UNITS[fold(m["mu"])]
    return _scaled(m, kind, unit, factor)


# --- counts ---------------------------------------------------------------------------------------

_NOT_NOUNS = frozenset(
    """il lo la i gli le l un una uno di a da in con su per tra fra del della dello dei degli delle
    al alla allo ai agli alle dal dalla dallo dai dagli dalle nel nella nello nei negli nelle sul
    sulla sullo sui sugli sulle e ed o od ma che se non né anche come più meno circa oltre quasi
    sono è era erano sarà saranno sarebbero sia siano hanno ha avevano aveva avrebbe avrebbero fa
    fanno stati state stato stata volte volta anni anno mesi mese giorni giorno ore ora minuti
    settimane settimana secondi euro dollari per cento percento mila milioni miliardi milione
    miliardo cui questi queste quelli quelle loro suoi sue nostri vostri tutti tutte ci si ne mi
    ti vi contro dopo prima verso senza sopra sotto dentro fuori presso durante entro mentre quando
    dove perché però poi già ancora sempre mai ieri oggi domani""".split()
) | frozenset(MONTHS)
# Verb endings (3rd person plural, conditional, imperfect) and adverbs are not counted nouns.
_NOT_NOUN_ENDINGS = re.compile(r"(?:ano|ono|ebbero|evano|ivano|avano|rono|mente)$")
_ADJECTIVES = r"(?:(?:nuov[ie]|altr[ie]|ulteriori|prim[ie]|ultim[ie]|soli|sole|piccol[ie]|grandi|pien[ie]|divers[ie]|vari[e]?)\s+)"
COUNT = _compile(
    rf"""{_QUALIFIER}?{_VALUE_PLAIN}\s+(?:di\s+|d{_AP}\s*)?{_ADJECTIVES}?(?P<noun>[a-zà-ù][a-zà-ù]{{2,}})\b(?![{_AP[1:-1]}-])"""
)
_COLLECTIVE_WORDS = {**COLLECTIVES_SINGULAR, **COLLECTIVES_PLURAL,
                     "paio": 2, "milioni": 1_000_000, "miliardi": 1_000_000_000}
COLLECTIVE = _compile(
    rf"""{_QUALIFIER}?(?P<art>\b(?:un|una)\s+)?\b(?P<coll>{"|".join(sorted(_COLLECTIVE_WORDS, key=len, reverse=True))})\s+
    (?:di\s+(?P<times>migliaia|milioni|miliardi)\s+)?(?:di\s+|d{_AP}\s*)
    (?:(?P<cur>euro|dollari|sterline|rubli)\b|{_ADJECTIVES}?(?P<noun>[a-zà-ù][a-zà-ù]{{2,}})\b)"""
)
# Numbers that are labels, not amounts: "Articolo 5", "comma 3", "n. 12", "alle 10".
_LABEL_BEFORE = re.compile(
    r"\b(?:articol[oi]|art\.|comm[ai]|n\.|nr\.|numero|pagin[ae]|pag\.|p\.|capitol[oi]|paragraf[oi]|"
    r"punt[oi]|legge|decreto|risoluzione|alle|dalle|le\s+ore|ore|versione|serie|gruppo|quota|"
    r"taglia|codice|linea|binario|canale|kilometro|chilometro|km)\s*$",
    re.I,
)


def _count(m: re.Match[str], text: str) -> Quantity | tuple[Quantity, ...] | Claim | None:
    single, first, _ = _value_parts(m)
    noun = fold(m["noun"])
    if noun in _NOT_NOUNS or noun in NUMBER_WORDS or _NOT_NOUN_ENDINGS.search(noun):
        return None  # "i due vogliono", "tre volte", "due soltanto": verbs and adverbs
    if re.match(r"[0-9]", single or first or ""):
        if _LABEL_BEFORE.search(text[: m.start("n") if single else m.start()]):
            return None
        if single and re.match(r"\s*(?:°|º|ª)", text[m.end("n"):]):
            return None
    read = _range_or_amount(m)
    if read is None:
        return None
    if read is NOT_A_QUANTITY:
        return Claim(m.start(), m.end())
    if read.change:
        return _change(m, read, "count", "item", noun, float)
    return Quantity(m.start(), m.end(), m.group(), "count", "item", noun, read.low, read.high, read.qualifier)


# A day and an abbreviated month: the date stamp of a page or a dateline ("2 MAG", "12 feb. 2025",
# "Aggiornato il 2 mag alle 10:15"), never a count of "mag". "mar", "ago" and "set" are words too
# ("vinto in 3 set", "si è deciso in 3 set."): those are dates only written in capitals or with a year
# or a time of day after them.
DATE_STAMP = _compile(
    rf"""(?<![\w.,/])(?P<day>[0-9]{{1,2}})\s*(?P<mon>{"|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))})\b
    \.?(?:\s*(?P<year>(?:19|20)[0-9]{{2}}|['’][0-9]{{2}})\b)?"""
)
_AMBIGUOUS_MONTH_ABBREVIATIONS = frozenset({"mar", "ago", "set"})
_TIME_OF_DAY_AFTER = re.compile(r"\s*(?:[,|·•\-–—]\s*)?(?:(?:alle|ore|h)\s*)?[0-2]?[0-9][:.][0-5][0-9]\b", re.I)


def _date_stamp(m: re.Match[str], text: str) -> Claim | None:
    if not 1 <= int(m["day"]) <= 31:
        return None
    month = m["mon"]
    if fold(month) in _AMBIGUOUS_MONTH_ABBREVIATIONS and not (
            month.isupper() or m["year"] or _TIME_OF_DAY_AFTER.match(text, m.end())):
        return None
    return Claim(m.start(), m.end())


# "I voti contrari sono stati 18.", "Le vittime sono salite a 30.": the number closes the clause
# and the counted noun is the head of the sentence's subject.
PREDICATE_COUNT = _compile(
    rf"""[«"“]?\s*(?:il|lo|la|i|gli|le|l{_AP})\s*(?P<noun>[a-zà-ù]{{3,}})\b[^.;:!?]{{0,80}}?\s
    (?:sono|erano|furono|saranno|sarebbero)\s+(?:(?:stat[ie]|salit[ie]\s+a|arrivat[ie]\s+a|scese\s+a|scesi\s+a)\s+)?
    (?:(?:ancora|già|ormai|invece)\s+)?(?P<value>{_QUALIFIER}?(?P<n>{_NUM_PLAIN}))(?=\s*(?:[.;:!?,»"”)]|$))"""
)


def _predicate_count(m: re.Match[str], text: str) -> Quantity | None:
    noun = fold(m["noun"])
    if noun in _NOT_NOUNS or _NOT_NOUN_ENDINGS.search(noun):
        return None
    return _count_at_value(m, text, noun)


def _count_at_value(m: re.Match[str], text: str, noun: str | None) -> Quantity | None:
    """A count of `noun` read from the match's `n`/`qual` groups, spanning its `value` group."""
    read = _amount(m["n"], m["qual"])
    if read is None:
        return None
    low, high, qualifier = read
    start, end = m.span("value")
    return Quantity(start, end, text[start:end], "count", "item", noun, low, high, qualifier)


# "Sono 200 gli sfollati", "erano 15mila i manifestanti", "Sono state 45 le città con cortei": the
# copula first, then the number, then the counted noun with its article.
INVERTED_COUNT = _compile(
    rf"""\b(?:sono|erano|furono|saranno)\s+(?:(?:stat[ie]|salit[ie]\s+a|arrivat[ie]\s+a)\s+)?
    (?P<value>{_QUALIFIER}?(?P<n>{_NUM_PLAIN}))\s+(?:i|gli|le)\s+(?P<noun>[a-zà-ù]{{3,}})\b"""
)


def _inverted_count(m: re.Match[str], text: str) -> Quantity | None:
    noun = fold(m["noun"])
    if noun in _NOT_NOUNS or noun in NUMBER_WORDS or _NOT_NOUN_ENDINGS.search(noun):
        return None
    return _count_at_value(m, text, noun)


# "Contro il testo hanno votato in 200.", "si sono astenuti in tre", "erano in migliaia": "in N"
# closing a clause after a verb counts the people doing it; no noun is written.
IN_COUNT = _compile(
    rf"""\bin\s+(?P<value>{_QUALIFIER}?(?P<n>{_NUM_PLAIN}))(?=\s*(?:[.;:!?,»"”)]|$))"""
)
_VERB_BEFORE = re.compile(
    r"(?:\b(?:sono|erano|siamo|eravamo|furono|saranno)|[^\W\d_]+(?:at[oiae]|it[oiae]|ut[oiae]|ess[ie]|ars[io]|ano|ono))\s+$",
    re.I,
)


def _in_count(m: re.Match[str], text: str) -> Quantity | None:
    if not _VERB_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
        return None
    return _count_at_value(m, text, None)


def _collective(m: re.Match[str], text: str) -> Quantity | None:
    word = fold(m["coll"])
    plural = word in COLLECTIVES_PLURAL or word in ("milioni", "miliardi")
    if plural == bool(m["art"]):
        return None  # "una centinaia", "decina di" without article: not the idiom
    if not plural and word not in COLLECTIVES_SINGULAR and word != "paio":
        return None
    unit_value = float(_COLLECTIVE_WORDS[word]) * (MULTIPLIERS[fold(m["times"])] if m["times"] else 1)
    if plural:
        qualifier, low, high = "at_least", 2 * unit_value, None
    else:
        qualifier, low, high = "about", unit_value, unit_value
    if m["cur"]:
        return Quantity(m.start(), m.end(), m.group(), "money", _CURRENCY_WORDS[fold(m["cur"])], None,
                        low, high, qualifier)
    noun = fold(m["noun"])
    if noun in _NOT_NOUNS:
        return None
    return Quantity(m.start(), m.end(), m.group(), "count", "item", noun, low, high, qualifier)


_CURRENCY_KEYS = frozenset({"euro", "dollari", "dollaro", "sterline", "sterlina", "rubli", "rublo",
                            "€", "$", "£", "eur", "usd", "us"})
_NUMBER_KEYS = (frozenset(w for w in NUMBER_WORDS if w.isalpha()) - AMBIGUOUS_NUMBER_WORDS) | frozenset(MULTIPLIERS) | {"sei"}
# Each rule is tried at the token starts up to `lookback` tokens before one of its keys
# ("poco più di un'ora" begins 4 tokens before "ora"). For equal spans the earlier rule wins.
GRAMMAR: tuple[Rule, ...] = (
    Rule(DURATION_CLOCK, _duration_clock, on_digit=True, lookback=0),
    Rule(DURATION_HALF_HOUR, _duration_half_hour, frozenset({"mezz", "mezzora", "quarto", "quarti"}), lookback=5),
    Rule(DURATION_COUPLE, _duration_couple, frozenset({"paio"}), lookback=5),
    Rule(DURATION_HOURS, _duration_hours, frozenset({"ore", "ora", "h"}), on_digit=True, lookback=8),
    Rule(DURATION_OTHER, _duration_other, frozenset(
        "minuti minuto min secondi giorni giorno settimane settimana mesi mese anni anno".split()), lookback=8),
    Rule(MONEY_BEFORE, _money_before, _CURRENCY_KEYS, lookback=3),
    Rule(MONEY_AFTER, _money_after, _CURRENCY_KEYS, lookback=9),
    Rule(PERCENT, _percent, frozenset({"%", "cento", "percento", "percentuali"}), lookback=9),
    Rule(DISTANCE_WEIGHT, _distance_weight, frozenset(_MEASURE_UNITS), lookback=9),
    Rule(COLLECTIVE, _collective, frozenset(_COLLECTIVE_WORDS), lookback=4),
    Rule(DATE_STAMP, _date_stamp, on_digit=True, lookback=0),
    Rule(COUNT, _count, _NUMBER_KEYS, on_digit=True, lookback=3),
    Rule(PREDICATE_COUNT, _predicate_count, _NUMBER_KEYS, on_digit=True, at_start=True),
    Rule(INVERTED_COUNT, _inverted_count, frozenset({"sono", "erano", "furono", "saranno"}), lookback=0),
    Rule(MAGNITUDE, _magnitude, frozenset({"magnitudo"}), lookback=0),
    Rule(IN_COUNT, _in_count, _NUMBER_KEYS, on_digit=True, lookback=4),
)
_TRIGGERS = triggers_of(GRAMMAR)
# Vectorised gate: every quantity holds a digit, a symbol, a number or collective word, or an
# article before a unit ("un'ora", "una settimana").
# Number words are matched through their stems (see italian.NUMBER_STEMS).
PREFILTER = prefilter_regex(
    NUMBER_STEMS | frozenset(MULTIPLIERS) | frozenset(_COLLECTIVE_WORDS) | {"mezz", "mezzora", "quarto", "quarti"},
    r"[0-9€$£%]|vent|mila|(?-u:\b)un['’]\s*ora|(?-u:\b)(?:un|una)\s+(?:ora|minuto|settimana|giorno|mese|anno)(?-u:\b)",
)


def is_well_formed(q: Quantity, text: str) -> bool:
    """Does `q` make a valid `quantities` row for `text`: offsets inside the text, the surface
    the text between them, low <= high, finite values, not both bounds open, kind and qualifier
    in the contract's value sets?"""
    return (
        0 <= q.start < q.end <= len(text)
        and text[q.start:q.end] == q.surface
        and q.kind in QUANTITY_KINDS
        and q.qualifier in QUALIFIERS
        and bool(q.unit)
        and (q.low is not None or q.high is not None)
        and all(v is None or math.isfinite(v) for v in (q.low, q.high))
        and (q.low is None or q.high is None or q.low <= q.high)
    )


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in `text`, non-overlapping (earliest, then longest wins), outside time
    expressions."""
    index = TokenIndex(text, _TRIGGERS)
    if not index.hits:
        return []
    candidates: list[Quantity | Claim] = []
    for rule in GRAMMAR:
        for start in index.starts_for(rule):
            m = rule.pattern.match(text, start)
            if m is None or (found := rule.handler(m, text)) is None:
                continue
            # the one guard every quantity passes: no rule can emit a row that breaks the contract
            candidates.extend(q for q in (found if isinstance(found, tuple) else (found,))
                              if isinstance(q, Claim) or is_well_formed(q, text))
    if not candidates:
        return []
    # a time expression ("tre anni fa", "nel 2022", "12 febbraio") owns its words
    taken = [(t.start, t.end) for t in find_time_expressions(text, None)]
    candidates = [q for q in candidates if not any(q.start < end and start < q.end for start, end in taken)]
    candidates.sort(key=lambda q: (q.start, -(q.end - q.start)))
    kept: list[Quantity | Claim] = []
    for cand in candidates:
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    return [q for q in kept if isinstance(q, Quantity)]


def extract_quantities(sentences: pl.DataFrame) -> pl.DataFrame:
    """The `quantities` table for `sentences` (sent_id, doc_id, text)."""
    schema = TABLES["quantities"].polars_schema
    if sentences.is_empty():
        return pl.DataFrame(schema=schema)
    candidates = sentences.select("sent_id", "doc_id", "text").filter(pl.col("text").str.contains(PREFILTER))
    rows = []
    for sent_id, doc_id, text in candidates.iter_rows():
        for q in find_quantities(text):
            rows.append((doc_id, sent_id, q.surface, q.start, q.end, q.kind, q.unit, q.noun,
                         q.low, q.high, q.qualifier))
    return pl.DataFrame(rows, schema=schema, orient="row").select(TABLES["quantities"].column_names)
