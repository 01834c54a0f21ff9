"""Italian lexicon shared by the time, quantity and publication-date extractors.

Month and weekday names, number words, and a parser for Italian number formats. Everything
here is plain data or a pure function; regex fragments are exported as strings so that the
extractors can compile them once into their own grammars.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

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
# Accentless and apostrophe spellings found in badly encoded or typed text ("venerdi", "venerdi'").
WEEKDAY_VARIANTS: dict[str, str] = {
    **{name: name for name in WEEKDAYS},
    **{name[:-1] + "i": name for name in WEEKDAYS if name.endswith("ì")},
    **{name[:-1] + "i'": name for name in WEEKDAYS if name.endswith("ì")},
}
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_UNIT_WORDS = ("", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove")
_TEEN_WORDS = ("dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici",
               "diciassette", "diciotto", "diciannove")
_TEN_WORDS = {2: "venti", 3: "trenta", 4: "quaranta", 5: "cinquanta", 6: "sessanta", 7: "settanta",
              8: "ottanta", 9: "novanta"}


def _spellings_below_100(n: int) -> list[str]:
    if n < 10:
        return [_UNIT_WORDS[n]]
    if n < 20:
        return [_TEEN_WORDS[n - 10]]
    tens, unit = divmod(n, 10)
    word = _TEN_WORDS[tens]
    if unit == 0:
        return [word]
    if unit in (1, 8):  # the tens drop their vowel before "uno", "otto": ventuno, trentotto
        return [word[:-1] + _UNIT_WORDS[unit]]
    if unit == 3:  # ventitré, also written ventitre
        return [word + "tré", word + "tre"]
    return [word + _UNIT_WORDS[unit]]


def _spellings_below_1000(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _spellings_below_100(n)
    prefix = "cento" if hundreds == 1 else _UNIT_WORDS[hundreds] + "cento"
    if rest == 0:
        return [prefix]
    out = []
    for tail in _spellings_below_100(rest):
        out.append(prefix + tail)
        if tail.startswith("o"):  # centotto, centottanta (also written centootto)
            out.append(prefix[:-1] + tail)
    return out


def _number_words() -> dict[str, int]:
    """Every spelling of 1–999 and of the thousands 1000–999000 ("mille", "duemila",
    "trecentomila", "ventunmila" with the elided "uno"), plus the article forms of one."""
    words: dict[str, int] = {"zero": 0, "un": 1, "una": 1, "un'": 1}
    for n in range(1, 1000):
        for word in _spellings_below_1000(n):
            words[word] = n
            words[("mille" if n == 1 else word + "mila")] = n * 1000
            if n > 20 and word.endswith("uno"):  # ventunmila, centunmila (also ventunomila)
                words[word[:-1] + "mila"] = n * 1000
    return words


NUMBER_WORDS: dict[str, int] = _number_words()
# Every number word holds one of these stems ("quarantasette", "trentotto", "duecento"), except
# for "vent…" and "…mila" compounds ("ventotto", "duemila"), whose short stems also occur inside
# other words; `prefilter_regex` callers add those as raw substrings.
NUMBER_STEMS = frozenset(
    (*_UNIT_WORDS[1:], *_TEEN_WORDS, *_TEN_WORDS.values(), "trent", "quarant", "cinquant", "sessant",
     "settant", "ottant", "novant", "cento", "mille", "zero")
)
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
# The shape of a number word, as a compact grammar (the alternation of all NUMBER_WORDS would
# be slow to match), thousands with a tail included ("milleduecento", "duemilacinque"); it
# over-generates ("ventiuno"), so a match is only a number if `number_word_value` reads it.
# Callers add word boundaries.
_UNIT_RE = r"(?:uno|due|tr[eé]|quattro|cinque|sei|sette|otto|nove)"
_BELOW_100_RE = (
    rf"(?:{_alternation(_TEEN_WORDS)}|(?:vent|trent|quarant|cinquant|sessant|settant|ottant|novant)[ai]?"
    rf"{_UNIT_RE}?|{_UNIT_RE})"
)
_BELOW_1000_RE = rf"(?:(?:due|tre|quattro|cinque|sei|sette|otto|nove)?cento?{_BELOW_100_RE}?|{_BELOW_100_RE})"
_ELIDED_ONE_RE = r"(?:(?:due|tre|quattro|cinque|sei|sette|otto|nove)?cent|vent|trent|quarant|cinquant|sessant|settant|ottant|novant)un"
THOUSANDS_WORD_RE = rf"(?:(?:mille|(?:{_ELIDED_ONE_RE}|{_BELOW_1000_RE})mila){_BELOW_1000_RE}?)"
NUMBER_WORD_RE = rf"(?:{THOUSANDS_WORD_RE}|{_BELOW_1000_RE}|zero)"


_NUMBER_WORD_FULL = re.compile(NUMBER_WORD_RE)


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


@lru_cache(maxsize=4096)
def number_words_value(words: str) -> int | None:
    """Value of number words as text2num reads them ('milleduecento' -> 1200, 'un milione e
    duecentomila' -> 1200000, 'tre milioni' -> 3000000), else None ('ventiuno', 'secondo', digits).

    text2num was measured against our grammar on 133 number phrases (uno…novantanove, hundreds,
    thousands, millions, forms that are no number): 127 read right by each, text2num missing only
    digit forms ("1,2 milioni", "300mila"), which `parse_number` reads, the grammar missing
    compounds ("milleduecento", "ventunmila", "un milione e duecentomila").
    """
    from text_to_num import text2num

    try:
        return int(text2num(fold(words).strip(), "it"))
    except ValueError:
        return None


def number_word_value(word: str) -> int | None:
    """Value of a number word ('tre' -> 3, 'quarantasette' -> 47, "un'" -> 1, 'milleduecento' ->
    1200), else None: the lexicon first, then text2num for a word of number shape it lacks."""
    folded = fold(word)
    value = NUMBER_WORDS.get(folded)
    if value is None and _NUMBER_WORD_FULL.fullmatch(folded):
        value = number_words_value(folded)
    return value


# --- fast candidate scanning -----------------------------------------------------------------------
#
# Running a dozen rich regexes at every character of every sentence is far too slow for 100,000
# articles. The extractors instead skip, in one vectorised polars pass, the sentences that hold no
# key word at all (`prefilter_regex`), tokenize the rest once, and try each rule only with
# `pattern.match` at the few token starts shortly before one of its key words.

_TOKEN_SPLIT = re.compile(r"(\w+|[€$£%])")


@dataclass(frozen=True)
class Rule:
    """One grammar rule: a pattern tried at candidate starts, the handler that reads a match, the
    key words (lowercase tokens) one of which every match contains, and how many tokens before a
    key word a match may begin ("poco più di un'ora": 4 tokens before "ora")."""

    pattern: re.Pattern[str]
    handler: Callable[..., Any]
    keys: frozenset[str] = frozenset()
    on_digit: bool = False  # tokens holding a digit are key words too
    lookback: int = 3
    at_start: bool = False  # the pattern reads a whole clause from the start of the text


class TokenIndex:
    """The tokens of a text that can trigger a rule, with the start offsets of all tokens."""

    __slots__ = ("starts", "hits")

    def __init__(self, text: str, triggers: frozenset[str]):
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters ('İ') lowercase to two: keep offsets exact
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        # split with a capturing group: [gap, token, gap, token, …, gap]; offsets by running length
        parts = _TOKEN_SPLIT.split(lowered)
        tokens = parts[1::2]
        self.starts: list[int] = list(accumulate(map(len, parts), initial=0))[1::2][: len(tokens)]
        # (token number, token) for trigger tokens and tokens holding a digit
        self.hits: list[tuple[int, str]] = [
            (i, word) for i, word in enumerate(tokens) if word in triggers or not word.isalpha()
        ]

    def starts_for(self, rule: Rule) -> list[int]:
        """Offsets where a match of `rule` may begin, in text order."""
        chosen: set[int] = set()
        for i, word in self.hits:
            if word in rule.keys or (rule.on_digit and not word.isalpha()):
                if rule.at_start:
                    return [0]
                chosen.update(range(max(0, i - rule.lookback), i + 1))
        return [self.starts[i] for i in sorted(chosen)]


def triggers_of(rules: tuple[Rule, ...]) -> frozenset[str]:
    return frozenset().union(*(rule.keys for rule in rules))


def prefilter_regex(words: frozenset[str], extra: str = "") -> str:
    """A polars (Rust) regex matching every text that holds one of `words`, or `extra`.

    It is a cheap vectorised gate before the Python extractors, so it may over-match but never
    miss: words of five letters or more match anywhere, shorter ones ("anno", "ieri") at ASCII
    word boundaries, which costs little in Rust, unlike Unicode ones.
    """
    plain = sorted(w for w in words if w.isalpha())
    long_words = [w for w in plain if len(w) >= 5]
    short_words = [w for w in plain if len(w) < 5]
    parts = []
    if long_words:
        parts.append("|".join(long_words))
    if short_words:
        parts.append(r"(?-u:\b)(?:" + "|".join(short_words) + r")(?-u:\b)")
    if extra:
        parts.append(extra)
    return "(?i)" + "|".join(parts)
