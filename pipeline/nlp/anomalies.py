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
  ore" are compatible (≥120 and 192–240 overlap) and are not flagged.
* truncated_ending — the last paragraph block of a document does not end with terminal
  punctuation (. ! ? … » ” " ) ]); the detail says when it ends with a function word
  ("…al piano di"), a comma or a colon, the surest signs of a cut.
"""

from __future__ import annotations

import re
from itertools import combinations

import polars as pl

from pipeline.nlp.intervals import intervals_disjoint, widen
from pipeline.nlp.italian import (
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS,
    WEEKDAYS,
    fold,
)
from pipeline.schemas import TABLES

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


def _context_stems(text: str, start: int, end: int, exclude: str | None) -> set[str]:
    """Stems of the CONTEXT_WORDS nearest content words on each side of a quantity."""
    excluded = _stem(exclude) if exclude else None
    before = _content_stems(_WORD.findall(text[:start]), excluded)[-CONTEXT_WORDS:]
    after = _content_stems(_WORD.findall(text[end:]), excluded)[:CONTEXT_WORDS]
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


def inconsistent_quantities(sentences: pl.DataFrame, quantities: pl.DataFrame) -> list[tuple[str, str | None, str, str]]:
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
            (r["sent_id"], r["surface"], (r["low"], r["high"]), r["qualifier"],
             _context_stems(r["sentence"], r["start"], r["end"], noun))
            for r in group.iter_rows(named=True)
        ]
        for (sid_a, surf_a, iv_a, q_a, ctx_a), (sid_b, surf_b, iv_b, q_b, ctx_b) in combinations(items, 2):
            if sid_a == sid_b:
                continue
            shared = ctx_a & ctx_b
            if not shared:
                continue
            if not intervals_disjoint(widen(*iv_a, q_a), widen(*iv_b, q_b)):
                continue
            about = f"'{noun}'" if noun else f"{kind}"
            rows.append((doc_id, sid_b, "inconsistent_quantity",
                         f"The article states the {about} of the same thing (context: {', '.join(sorted(shared))}) "
                         f"as '{surf_a}' ({_describe_interval(*iv_a, unit)}) in sentence {sid_a} and as "
                         f"'{surf_b}' ({_describe_interval(*iv_b, unit)}) in sentence {sid_b}; both cannot hold."))
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
    schema = TABLES["anomalies"].polars_schema
    return pl.DataFrame(rows, schema=schema, orient="row")
