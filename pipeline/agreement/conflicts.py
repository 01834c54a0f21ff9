"""Typed conflicts between sentences of one claim, from different documents.

Only sentences already grouped as the same claim are compared, so a value about another event
or another subject never conflicts (a three-hour meeting is not the 90-minute call: they are
different events, hence different claims). Kinds:

- quantity: the same measure (kind, unit, noun, and the noun's modifier when both state one:
  "voti favorevoli" is not "voti contrari") stated as intervals that cannot both hold.
  Approximate values ("circa", "quasi") widen by `tolerance`; open bounds stay open, so
  "più di un'ora" [60, ∞) and "circa un'ora e mezza" ≈90 agree.
- date: the same fact placed on days that do not overlap (each sentence's own day dates).
- polarity: a predicate one sentence affirms and the other negates, antonyms and double
  negatives folded (text.polarity).
- attribution: the same quotation (lemma Dice ≥ `quote_similarity`) credited to different speakers.

Stance: in each conflicting pair, the sentence that conflicts with more members of the claim
gets stance `conflicts` (the majority view stands); on a tie the claim's representative
stands and the other sentence conflicts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import polars as pl

from pipeline.agreement.frames import columns
from pipeline.nlp.text import content_lemmas, noun_modifier, polarity, tokenize
from pipeline.common import stable_id


@dataclass(frozen=True)
class Quantity:
    slot: tuple  # (kind, unit, noun)
    low: float | None
    high: float | None
    qualifier: str
    surface: str
    modifier: str | None = None  # the word qualifying the noun (text.noun_modifier)


@dataclass(frozen=True)
class Quote:
    lemmas: frozenset[str]
    speaker: str | None
    text: str
    speaker_written: str | None = None  # the shortest way the sentence names the speaker ("Rossi")


@dataclass
class Statement:
    """What one sentence states that conflicts are checked on."""

    sent_id: str
    doc_id: str
    text: str
    quantities: list[Quantity]
    stated_dates: frozenset[dt.date]  # the day dates the sentence itself states
    polarity: dict[str, int]
    quotes: list[Quote]


APPROXIMATE = ("about", "almost")


def interval(q: Quantity, tolerance: float) -> tuple[float, float]:
    """The values a quantity allows; approximate ones widened by the tolerance (a share)."""
    low = -math.inf if q.low is None else q.low
    high = math.inf if q.high is None else q.high
    if q.qualifier in APPROXIMATE:
        low = low - abs(low) * tolerance if math.isfinite(low) else low
        high = high + abs(high) * tolerance if math.isfinite(high) else high
    return low, high


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _fmt_interval(lo: float, hi: float, unit: str) -> str:
    def num(x: float) -> str:
        return f"{x:g}"
    if lo == hi:
        return f"{num(lo)} {unit}"
    if not math.isfinite(hi):
        return f"at least {num(lo)} {unit}"
    if not math.isfinite(lo):
        return f"at most {num(hi)} {unit}"
    return f"{num(lo)}–{num(hi)} {unit}"


def quantity_conflict(a: Statement, b: Statement, tolerance: float) -> tuple[str, str, str] | None:
    """(value_a, value_b, explanation) if a shared measure has no compatible pair of values."""
    slots_a = defaultdict(list)
    for q in a.quantities:
        slots_a[q.slot].append(q)
    for slot in sorted({q.slot for q in b.quantities} & set(slots_a), key=str):
        qa_list = slots_a[slot]
        qb_list = [q for q in b.quantities if q.slot == slot]
        comparable = [(x, y) for x in qa_list for y in qb_list
                      if x.modifier is None or y.modifier is None or x.modifier == y.modifier]
        if not comparable or any(intervals_overlap(interval(x, tolerance), interval(y, tolerance)) for x, y in comparable):
            continue
        qa, qb = comparable[0]
        kind, unit, noun = slot
        what = f"{kind} of {noun}" if noun else kind
        ia, ib = interval(qa, tolerance), interval(qb, tolerance)
        explanation = (
            f"Both sentences state the {what} for the same fact: '{qa.surface}' allows "
            f"{_fmt_interval(*ia, unit)} and '{qb.surface}' allows {_fmt_interval(*ib, unit)}; "
            f"the ranges do not overlap (approximate values widened by ±{tolerance:.0%})."
        )
        return qa.surface, qb.surface, explanation
    return None


def date_conflict(a: Statement, b: Statement) -> tuple[str, str, str] | None:
    """Both sentences date the fact, on days that do not overlap ("martedì" and "il 12
    febbraio" for the same call); a sentence giving two days agrees with either."""
    if not a.stated_dates or not b.stated_dates or a.stated_dates & b.stated_dates:
        return None
    da = ", ".join(sorted(d.isoformat() for d in a.stated_dates))
    db = ", ".join(sorted(d.isoformat() for d in b.stated_dates))
    return da, db, f"The same fact is dated {da} in one report and {db} in the other."


def polarity_conflict(a: Statement, b: Statement) -> tuple[str, str, str] | None:
    opposed = sorted(k for k in a.polarity.keys() & b.polarity.keys() if a.polarity[k] != b.polarity[k])
    if not opposed:
        return None

    def state(st: Statement) -> str:
        return ", ".join(("" if st.polarity[k] > 0 else "non ") + k for k in opposed)

    va, vb = state(a), state(b)
    return va, vb, (
        f"One report states '{va}' where the other states '{vb}': the same fact affirmed and "
        f"negated (negations and antonyms such as ir-/in- or smentire/confermare folded)."
    )


def attribution_conflict(a: Statement, b: Statement, quote_similarity: float, names: dict[str, str]) -> tuple[str, str, str] | None:
    for qa in a.quotes:
        for qb in b.quotes:
            if not (qa.speaker and qb.speaker) or qa.speaker == qb.speaker:
                continue
            if _may_be_one_person(qa, qb, names):
                continue
            if not (qa.lemmas or qb.lemmas):
                continue
            dice = 2 * len(qa.lemmas & qb.lemmas) / (len(qa.lemmas) + len(qb.lemmas))
            if dice >= quote_similarity:
                sa, sb = names.get(qa.speaker, qa.speaker), names.get(qb.speaker, qb.speaker)
                return sa, sb, (
                    f"The same statement ('{qa.text[:80]}') is credited to {sa} in one report "
                    f"and to {sb} in the other."
                )
    return None


def build_statements(
    sentences: pl.DataFrame,
    quantities: pl.DataFrame,
    quotes: pl.DataFrame,
    stated_dates: dict[str, frozenset[dt.date]],
    person_mentions: pl.DataFrame | None = None,
) -> dict[str, Statement]:
    """Statements for the given sentences (pass only claim members of multi-document claims).

    A quotation without a speaker takes the one person its sentence names outside the quoted
    words, if there is exactly one ("«…», ha scritto Rossi sui social"); `person_mentions` are
    the mentions (sent_id, entity_id, start, end) of persons.
    """
    wanted = set(sentences["sent_id"])
    text_of = dict(zip(*columns(sentences, "sent_id", "text")))
    qty: dict[str, list[Quantity]] = defaultdict(list)
    q = quantities.filter(pl.col("sent_id").is_in(wanted))
    tokens_of: dict[str, list] = {}
    for row in q.sort("sent_id", "start").iter_rows(named=True):
        sid, text = row["sent_id"], text_of[row["sent_id"]] or ""
        tokens = tokens_of.setdefault(sid, tokenize(text))
        qty[sid].append(Quantity(
            (row["kind"], row["unit"], row["noun"]), row["low"], row["high"], row["qualifier"], row["surface"],
            noun_modifier(text, tokens, row["noun"], row["start"], row["end"]),
        ))
    persons_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    surfaces: dict[tuple[str, str], str] = {}  # (sent_id, person) -> shortest surface naming them
    if person_mentions is not None:
        pm = person_mentions.filter(pl.col("sent_id").is_in(wanted)).sort("sent_id", "start", "entity_id")
        for sid, eid, start, end, surface in zip(*columns(pm, "sent_id", "entity_id", "start", "end", "surface")):
            persons_of[sid].append((start, end, eid))
            if surface and len(surface) < len(surfaces.get((sid, eid), surface + " ")):
                surfaces[(sid, eid)] = surface
    quo: dict[str, list[Quote]] = defaultdict(list)
    for row in quotes.filter(pl.col("sent_id").is_in(wanted)).sort("quote_id").iter_rows(named=True):
        sid, text = row["sent_id"], row["text"] or ""
        speaker = row["speaker_entity_id"] or _sole_person_outside(text_of.get(sid) or "", text, persons_of.get(sid, []))
        quo[sid].append(Quote(content_lemmas(tokenize(text)), speaker, text, surfaces.get((sid, speaker))))
    return {
        sid: Statement(sid, doc, text, qty.get(sid, []), stated_dates.get(sid, frozenset()), polarity(text), quo.get(sid, []))
        for sid, doc, text in zip(*columns(sentences, "sent_id", "doc_id", "text"))
    }


def _may_be_one_person(qa: Quote, qb: Quote, names: dict[str, str]) -> bool:
    """A speaker named by surname only ("ha scritto Rossi") may be the other report's "Mario
    Rossi", whatever entity the surname was linked to: not evidence of another speaker."""
    def written(q: Quote) -> str:
        return (q.speaker_written or names.get(q.speaker, q.speaker) or "").lower()

    wa, wb = written(qa), written(qb)
    if " " in wa and " " in wb:
        return False
    return wa.split()[-1:] == wb.split()[-1:]


def _sole_person_outside(sentence: str, quote: str, persons: list[tuple[int, int, str]]) -> str | None:
    at = sentence.find(quote) if quote else -1
    outside = {eid for start, end, eid in persons if at < 0 or end <= at or start >= at + len(quote)}
    return next(iter(outside)) if len(outside) == 1 else None


CONFLICT_SCHEMA = {
    "conflict_id": pl.Utf8, "claim_id": pl.Utf8, "kind": pl.Utf8,
    "doc_id_a": pl.Utf8, "sent_id_a": pl.Utf8, "value_a": pl.Utf8,
    "doc_id_b": pl.Utf8, "sent_id_b": pl.Utf8, "value_b": pl.Utf8, "explanation": pl.Utf8,
}


def find_conflicts(
    claim_members: dict[str, list[str]],
    statements: dict[str, Statement],
    tolerance: float,
    quote_similarity: float,
    names: dict[str, str] | None = None,
) -> tuple[pl.DataFrame, dict[tuple[str, str], str]]:
    """Conflict rows of every claim, and the (claim_id, sent_id) pairs whose stance is 'conflicts'.

    `claim_members` maps a claim to its sentence ids, representative first.
    """
    names = names or {}
    rows = []
    conflicting: dict[tuple[str, str], str] = {}
    for claim_id in sorted(claim_members):
        members = [s for s in claim_members[claim_id] if s in statements]
        pairs = []
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                a, b = (statements[x], statements[y]) if x < y else (statements[y], statements[x])
                if a.doc_id == b.doc_id:
                    continue
                checks = (
                    ("quantity", quantity_conflict(a, b, tolerance)),
                    ("date", date_conflict(a, b)),
                    ("polarity", polarity_conflict(a, b)),
                    ("attribution", attribution_conflict(a, b, quote_similarity, names)),
                )
                for kind, found in checks:
                    if found is None:
                        continue
                    va, vb, why = found
                    rows.append((stable_id("conflict", claim_id, kind, a.sent_id, b.sent_id), claim_id, kind,
                                 a.doc_id, a.sent_id, va, b.doc_id, b.sent_id, vb, why))
                    pairs.append((a.sent_id, b.sent_id))
        for loser in _dissenters(pairs, representative=members[0] if members else None):
            conflicting[(claim_id, loser)] = "conflicts"
    return pl.DataFrame(rows, schema=CONFLICT_SCHEMA, orient="row"), conflicting


def _dissenters(pairs: list[tuple[str, str]], representative: str | None) -> set[str]:
    """In each conflicting pair, the side at odds with more of the claim; ties leave the representative standing."""
    degree = Counter()
    for a, b in set(pairs):
        degree[a] += 1
        degree[b] += 1
    out = set()
    for a, b in sorted(set(pairs)):
        if degree[a] != degree[b]:
            out.add(a if degree[a] > degree[b] else b)
        elif representative in (a, b):
            out.add(b if representative == a else a)
        else:
            out.add(max(a, b))  # no majority and no representative: a stable, documented choice
    return out
