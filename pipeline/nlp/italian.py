"""Italian lexicon shared by the time, quantity and publication-date extractors.

Month and weekday names, number words, and a parser for Italian number formats. Everything
here is plain data or a pure function; regex fragments are exported as strings so that the
extractors can compile them once into their own grammars.
"""

from __future__ import annotations

import re
import unicodedata

MONTHS: dict[str, int] = {
    "gennaio": 1,
    "febbraio": 2,
    "marzo": 3,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "agosto": 8,
    "settembre": 9,
    "ottobre": 10,
    "novembre": 11,
    "dicembre": 12,
}
# Abbreviations seen in datelines and bylines ("12 feb. 2025"); "mar" is ambiguous with
# "mare"/"martedì" only without the dot, so abbreviations require a trailing dot or a digit year.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6,
    "lug": 7, "ago": 8, "set": 9, "sett": 9, "ott": 10, "nov": 11, "dic": 12,
}

# Monday = 0, as in datetime.date.weekday(); names as in schemas.WEEKDAYS.
WEEKDAYS: dict[str, int] = {
    "lunedì": 0,
    "martedì": 1,
    "mercoledì": 2,
    "giovedì": 3,
    "venerdì": 4,
    "sabato": 5,
    "domenica": 6,
}
WEEKDAY_NAMES: tuple[str, ...] = tuple(WEEKDAYS)
# Accentless and apostrophe spellings found in badly encoded or typed text ("venerdi", "venerdi'").
WEEKDAY_VARIANTS: dict[str, str] = {
    **{name: name for name in WEEKDAYS},
    **{name[:-1] + "i": name for name in WEEKDAYS if name.endswith("ì")},
    **{name[:-1] + "i'": name for name in WEEKDAYS if name.endswith("ì")},
}
ENGLISH_MONTHS_FOR_DETAIL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
ENGLISH_WEEKDAYS_FOR_DETAIL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

UNITS: dict[str, int] = {
    "zero": 0,
    "un": 1, "uno": 1, "una": 1, "un'": 1,
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9,
    "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15,
    "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19, "venti": 20,
    "ventuno": 21, "ventidue": 22, "ventitré": 23, "ventitre": 23, "ventiquattro": 24,
    "venticinque": 25, "ventisei": 26, "ventisette": 27, "ventotto": 28, "ventinove": 29,
    "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70,
    "ottanta": 80, "novanta": 90, "cento": 100, "duecento": 200, "trecento": 300,
    "quattrocento": 400, "cinquecento": 500, "seicento": 600, "settecento": 700,
    "ottocento": 800, "novecento": 900, "mille": 1000, "duemila": 2000, "tremila": 3000,
    "diecimila": 10000, "centomila": 100000,
}
# Number words that are also something else and must not be read as numbers on their own:
# "un/una/uno" are articles, "sei" is "you are". The extractors only accept them next to a unit.
AMBIGUOUS_NUMBER_WORDS = frozenset({"un", "uno", "una", "un'", "sei"})

# Multipliers written as words after a number ("1,2 milioni", "due miliardi").
MULTIPLIERS: dict[str, int] = {
    "mila": 1000,
    "migliaio": 1000,
    "migliaia": 1000,
    "milione": 1_000_000,
    "milioni": 1_000_000,
    "mln": 1_000_000,
    "miliardo": 1_000_000_000,
    "miliardi": 1_000_000_000,
    "mld": 1_000_000_000,
}

# Approximate collective nouns: "una decina di", "centinaia di".
# value = the point the word names; plural "centinaia" means "several hundred" (see quantities).
COLLECTIVES_SINGULAR: dict[str, int] = {
    "decina": 10, "dozzina": 12, "quindicina": 15, "ventina": 20, "trentina": 30,
    "quarantina": 40, "cinquantina": 50, "sessantina": 60, "settantina": 70,
    "ottantina": 80, "novantina": 90, "centinaio": 100, "migliaio": 1000,
}
COLLECTIVES_PLURAL: dict[str, int] = {
    "decine": 10, "dozzine": 12, "centinaia": 100, "migliaia": 1000,
}


def _alternation(words) -> str:
    """A regex alternation of literal words, longest first so that prefixes do not win."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


MONTH_RE = _alternation(MONTHS)
WEEKDAY_RE = _alternation(WEEKDAY_VARIANTS)
NUMBER_WORD_RE = _alternation(w for w in UNITS if not w.endswith("'"))


def fold(text: str) -> str:
    """Lowercase and unify apostrophes so that lexicon lookups match typographic text."""
    return unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("‘", "'")


def weekday_name(variant: str) -> str | None:
    """Canonical weekday ('venerdì') for a spelling found in text ('Venerdi'), else None."""
    return WEEKDAY_VARIANTS.get(fold(variant))


def parse_number(token: str) -> float | None:
    """Parse a number as Italian news prints it.

    '1.000' -> 1000 (dot groups thousands), '3,5' -> 3.5 (comma is the decimal mark),
    '1.234,5' -> 1234.5, '12' -> 12. A single dot followed by other than three digits ('2.5')
    is read as a decimal point, the usual English-style slip. Returns None if not a number.
    """
    token = token.strip()
    if not token or not re.fullmatch(r"[0-9][0-9.,]*", token) or token[-1] in ".,":
        return None
    if "," in token:
        integer, _, decimals = token.rpartition(",")
        if "," in integer or not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})*|[0-9]+", integer):
            return None
        return float(integer.replace(".", "") + "." + decimals)
    if "." in token:
        if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", token):
            return float(token.replace(".", ""))
        if token.count(".") == 1:
            return float(token)
        return None
    return float(token)


def number_word_value(word: str) -> int | None:
    """Value of a number word ('tre' -> 3, "un'" -> 1), else None."""
    return UNITS.get(fold(word))
