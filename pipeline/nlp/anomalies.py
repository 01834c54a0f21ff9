"""Problems found inside one article: a stated weekday that does not fit its date, a quantity
stated twice incompatibly, a text that stops mid-sentence.

Table grain (`anomalies`): one row per problem found inside one article; `sent_id` is null for a
document-level problem. Rules:

* weekday_mismatch — a time expression states a weekday and a date that disagree
  ("venerdì 8 febbraio" when 8 February of the resolved year was a Saturday). When the year was
  inferred from the publication date the detail says so.
* inconsistent_quantity — two sentences of the same article state the same kind of quantity
  about the same thing with disjoint intervals. "The same thing" means: same kind and unit, the
  same counted noun for counts, and at least one shared content word (crude stem of a word of five
  letters or more, not a generic one like "durata", "circa" or "stati") among the
  CONTEXT_WORDS nearest content words on either side of the two quantities ("la telefonata è durata almeno due ore" / "una telefonata di 40 minuti").
  Approximate values ('about', 'almost') are widened as `nlp.intervals` does for cross-source conflicts.
  Interval semantics are those of the quantities table, so "almeno due ore" and "quasi quattro
  ore" are compatible (≥120 and 192–240 overlap) and are not flagged. One row per later
  quantity that contradicts an earlier one, naming the first earlier one it contradicts (not one
  row per contradicting pair, which grows with the square of the article's length).
* truncated_ending — the last paragraph block of a document does not end with terminal
  punctuation (. ! ? … » ” " ) ]); the detail says when it ends with a function word
  ("…al piano di"), a comma or a colon, the surest signs of a cut.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

import polars as pl

from pipeline.common import frame
from pipeline.nlp.intervals import widen
from pipeline.nlp.italian import (
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS,
    WEEKDAYS,
    fold,
)

# Content words on each side of a quantity that define what it is about.
CONTEXT_WORDS = 4

_TERMINAL = tuple(".!?…»”\"')]")
_FUNCTION_WORDS = frozenset(
    """il lo la i gli le l un una uno di a da in con su per tra fra del della dello dei degli delle
    al alla allo ai agli alle dal dalla dallo dai dagli dalle nel nella nello nei negli nelle sul
    sulla sullo sui sugli sulle e ed o od ma che se né come""".split()
)
# Words that say something is being measured, or carry the verb, rather than what is measured:
# shared by any two durations or any two "… sono stati N" sentences. Matched as word prefixes.
_GENERIC_PREFIXES = tuple(
    """durat durar durò circa almeno quasi oltre stat avut avev aver esser sono erano sarebbe
    saranno potrebbe hanno secondo minut period tempo lungh pochi poch molt quest quell altri
    altre ancora anche ultim prim contat circa totale complessiv""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.U)


def _stem(word: str) -> str:
    word = fold(word)
    return re.sub(r"[aeiouàèéìòù]+$", "", word) if len(word) > 5 else word


def _content_stems(words: list[str], excluded: str | None) -> list[str]:
    return [
        s for w in words
        if len(w) >= 5 and (f := fold(w)) not in _FUNCTION_WORDS and not f.startswith(_GENERIC_PREFIXES)
        and (s := _stem(w)) != excluded
    ]


def _words_before(text: str, start: int, n_stems: int, excluded: str | None) -> list[str]:
    """Content stems of the words before `start`, at least the last `n_stems` of them when there are.

    Reads a window that doubles until it holds enough, so a quantity in a very long sentence costs
    time in proportion to its neighbourhood, not to everything before it.
    """
    width = 256
    while True:
        lo = max(0, start - width)
        words = _WORD.findall(text, lo, start)
        if lo > 0 and words and _WORD.match(text, lo - 1) and text.startswith(words[0], lo):
            words = words[1:]  # a word cut by the window's edge
        stems = _content_stems(words, excluded)
        if len(stems) >= n_stems or lo == 0:
            return stems
        width *= 4


def _words_after(text: str, end: int, n_stems: int, excluded: str | None) -> list[str]:
    """Content stems of the words after `end`, at least the first `n_stems` of them when there are."""
    width = 256
    while True:
        hi = min(len(text), end + width)
        words = _WORD.findall(text, end, hi)
        if hi < len(text) and words and _WORD.match(text, hi) and text.endswith(words[-1], 0, hi):
            words = words[:-1]
        stems = _content_stems(words, excluded)
        if len(stems) >= n_stems or hi == len(text):
            return stems
        width *= 4


def _context_stems(text: str, start: int, end: int, exclude: str | None) -> set[str]:
    """Stems of the CONTEXT_WORDS nearest content words on each side of a quantity."""
    excluded = _stem(exclude) if exclude else None
    before = _words_before(text, start, CONTEXT_WORDS, excluded)[-CONTEXT_WORDS:]
    after = _words_after(text, end, CONTEXT_WORDS, excluded)[:CONTEXT_WORDS]
    return set(before) | set(after)


def _describe_interval(low: float | None, high: float | None, unit: str) -> str:
    def fmt(v: float) -> str:
        return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"

    unit_text = {"item": "", "minute": " minutes", "percent": "%"}.get(unit, f" {unit}")
    if low is not None and high is not None:
        return f"{fmt(low)}{unit_text}" if low == high else f"{fmt(low)}–{fmt(high)}{unit_text}"
    if low is not None:
        return f"at least {fmt(low)}{unit_text}"
    return f"at most {fmt(high)}{unit_text}"


def weekday_mismatches(time_expressions: pl.DataFrame) -> list[tuple[str, str | None, str, str]]:
    rows = []
    bad = time_expressions.filter(pl.col("is_weekday_consistent") == False)  # noqa: E712
    for doc_id, sent_id, surface, value, weekday, relative in bad.select(
        "doc_id", "sent_id", "surface", "value_date", "stated_weekday", "is_relative"
    ).iter_rows():
        if value is None or weekday is None:
            continue
        stated = ENGLISH_WEEKDAYS[WEEKDAYS[weekday]]
        actual = ENGLISH_WEEKDAYS[value.weekday()]
        inferred = " (the year is not stated: inferred from the publication date or the corpus)" if relative else ""
        rows.append((doc_id, sent_id, "weekday_mismatch",
                     f"'{surface}' names a {stated}, but {value.day} {ENGLISH_MONTHS[value.month - 1]} "
                     f"{value.year}{inferred} was a {actual}."))
    return rows


def _bounds(low: float | None, high: float | None) -> tuple[float, float]:
    """An interval with open ends as infinities (NaN, never disjoint from anything, likewise)."""
    lo = -math.inf if low is None or math.isnan(low) else low
    hi = math.inf if high is None or math.isnan(high) else high
    return lo, hi


class _EarlierStatements:
    """Quantities already read that share one context stem, in reading order.

    Keeps the running minimum of their upper bounds and maximum of their lower bounds, so the
    first earlier quantity lying wholly below (or above) a new interval is found by bisection:
    each query costs O(log n) instead of one comparison per earlier quantity.
    """

    __slots__ = ("items", "neg_min_high", "max_low")

    def __init__(self) -> None:
        self.items: list[int] = []
        self.neg_min_high: list[float] = []  # -min(high of items[0..i]): non-decreasing
        self.max_low: list[float] = []  # max(low of items[0..i]): non-decreasing

    def add(self, item: int, low: float, high: float) -> None:
        if self.items:
            high, low = min(high, -self.neg_min_high[-1]), max(low, self.max_low[-1])
        self.items.append(item)
        self.neg_min_high.append(-high)
        self.max_low.append(low)

    def first_disjoint(self, low: float, high: float) -> int | None:
        """The earliest item whose interval ends below `low` or starts above `high`."""
        below = bisect_right(self.neg_min_high, -low)  # first i with min_high < low
        above = bisect_right(self.max_low, high)  # first i with max_low > high
        first = min(below, above)
        return self.items[first] if first < len(self.items) else None


def inconsistent_quantities(sentences: pl.DataFrame, quantities: pl.DataFrame) -> list[tuple[str, str | None, str, str]]:
    """One row per quantity that contradicts an earlier quantity of the same thing in its article.

    The row names the first such earlier statement in reading order. (One row per quantity, not
    one per contradicting pair: an article stating one figure n times in n ways would otherwise
    give n²/2 rows, quadratic in its length.)
    """
    rows = []
    if quantities.is_empty():
        return rows
    order_cols = ["sent_no"] if "sent_no" in sentences.columns else []
    joined = quantities.join(
        sentences.select("sent_id", "text", *order_cols).rename({"text": "sentence"}), on="sent_id", how="inner"
    )
    sort_cols = ["doc_id", *order_cols, "sent_id", "start"]
    joined = joined.sort(sort_cols)
    for (doc_id, kind, unit, noun), group in joined.group_by(
        ["doc_id", "kind", "unit", "noun"], maintain_order=True
    ):
        if group.height < 2:
            continue
        items = [
            (r["sent_id"], r["surface"], (r["low"], r["high"]), _bounds(*widen(r["low"], r["high"], r["qualifier"])),
             _context_stems(r["sentence"], r["start"], r["end"], noun))
            for r in group.iter_rows(named=True)
        ]
        by_stem: dict[str, _EarlierStatements] = {}
        i = 0
        while i < len(items):
            # the quantities of one sentence are compared with earlier sentences only
            j = i
            while j < len(items) and items[j][0] == items[i][0]:
                j += 1
            for sid_b, surf_b, iv_b, (low_b, high_b), ctx_b in items[i:j]:
                firsts = [by_stem[s].first_disjoint(low_b, high_b) for s in ctx_b if s in by_stem]
                first = min((f for f in firsts if f is not None), default=None)
                if first is None:
                    continue
                sid_a, surf_a, iv_a, _, ctx_a = items[first]
                shared = ctx_a & ctx_b
                about = f"'{noun}'" if noun else f"{kind}"
                rows.append((doc_id, sid_b, "inconsistent_quantity",
                             f"The article states the {about} of the same thing (context: {', '.join(sorted(shared))}) "
                             f"as '{surf_a}' ({_describe_interval(*iv_a, unit)}) in sentence {sid_a} and as "
                             f"'{surf_b}' ({_describe_interval(*iv_b, unit)}) in sentence {sid_b}; both cannot hold."))
            for k in range(i, j):
                low, high = items[k][3]
                for stem in items[k][4]:
                    by_stem.setdefault(stem, _EarlierStatements()).add(k, low, high)
            i = j
    return rows


def truncated_endings(sentences: pl.DataFrame, blocks: pl.DataFrame) -> list[tuple[str, str | None, str, str]]:
    rows = []
    last_paragraphs = (
        blocks.filter(pl.col("kind") == "paragraph")
        .sort("doc_id", "block_no")
        .group_by("doc_id", maintain_order=True)
        .last()
    )
    if "block_no" in sentences.columns:
        order = "sent_no" if "sent_no" in sentences.columns else "sent_id"
        last_sentences = (
            sentences.sort("doc_id", "block_no", order)
            .group_by("doc_id", "block_no", maintain_order=True)
            .agg(pl.col("sent_id").last())
        )
        last_paragraphs = last_paragraphs.join(last_sentences, on=["doc_id", "block_no"], how="left")
    else:
        last_paragraphs = last_paragraphs.with_columns(pl.lit(None, dtype=pl.Utf8).alias("sent_id"))
    for doc_id, sent_id, text in last_paragraphs.select("doc_id", "sent_id", "text").iter_rows():
        ending = re.sub(r"[\s*_~#]+$", "", text or "")
        if not ending or ending.endswith(_TERMINAL):
            continue
        words = _WORD.findall(ending)
        last_word = words[-1] if words else ""
        tail = ending[-40:].lstrip()
        if ending.endswith((",", ";", ":")):
            why = f"ends with '{ending[-1]}'"
        elif fold(last_word) in _FUNCTION_WORDS:
            why = f"ends with the function word '{last_word}'"
        else:
            why = "has no final punctuation"
        rows.append((doc_id, sent_id, "truncated_ending",
                     f"The last paragraph {why} ('…{tail}'): the text seems cut off mid-sentence."))
    return rows


def find_anomalies(sentences: pl.DataFrame, time_expressions: pl.DataFrame, quantities: pl.DataFrame,
                   blocks: pl.DataFrame) -> pl.DataFrame:
    """The `anomalies` table: weekday mismatches, inconsistent quantities, truncated endings.

    sentences: sent_id, doc_id, text (block_no and sent_no used when present);
    time_expressions / quantities: their contract tables; blocks: doc_id, block_no, kind, text.
    """
    rows = (
        weekday_mismatches(time_expressions)
        + inconsistent_quantities(sentences, quantities)
        + truncated_endings(sentences, blocks)
    )
    return frame("anomalies", rows, orient="row")
