"""Conflicts: pairs of facts of one claim whose values cannot both hold, with a confidence.

Candidates are the fact pairs of `matching.fact_pairs` (same event, kind, measure, modality,
fitting scope), so a forecast never meets an outcome, a snapshot never a final count, a venue's
capacity never the crowd, two scopes never each other. Incompatible values:

- quantity: the intervals (approximate values widened, `nlp.intervals`) do not overlap; a value
  with no scope against one stated `per_parte` is consistent when it equals it or twice it
  ("175 per parte" and "350 prigionieri");
- time: the times of day do not overlap ("alle 5.30" against "poco dopo le sei"), read on a
  12-hour clock (an outlet writing "alle sei" may mean 18:00);
- polarity: the same predicate about the same subject, affirmed by one and negated by the other;
- attribution: the same quotation (the same words and figures) credited to two different
  speakers, both linked with certainty (a bare surname matching the other's full name is not
  another speaker).

**Confidence** (0..1) is the product of how surely the two facts are one measure of one event
and how clearly the values differ: the event (both articles dated that day: 1; an undated
article matched by its words: `content_event_factor`; a speaker's statement event:
`statement_event_factor`; not for an attribution conflict, whose identical words identify the
statement), the scope (both stated alike: 1; one unstated: `unstated_scope_factor`),
the attribution (both the outlet's or the same authority, or two named authorities: 1; one
attributed and the other not: `mixed_attribution_factor`), the gap (values less than
`small_gap` apart, relatively: `small_gap_factor`; and `rounded_figure_factor` when the
rounder exact value is the other rounded at its last digit, "30mila" and "29.800"), the camps of
the event's articles (`value_groups`: an event's values for one quantity measure are cut into groups of overlapping
values; when two or more measures each split into two or more groups stated by
`min_group_sources` articles, and the articles fall into camps that keep stating the same groups,
the event is two events joined by mistake, and a pair across camps, of any kind, gets
`event_camps_factor`; one split measure alone is a dispute, police against organisers, and so
are split measures whose every group is given by its own authorities: outlets siding with the
Questura on the crowd and the government on the adhesion, the others with the unions on both),
the place (a figure naming no place against one naming it, in an event whose figures of that
measure are counted in several places: `unplaced_figure_factor`), the
anchoring of a weak join (an article joined to its event by its words less surely, `weak_content`,
that agrees with no other report of the event on any quantity or date: `unanchored_join_factor`,
two doubts; one that agrees on some value, "350 in tutto" with "175 per parte" too, is as sure as
an ordinary join by its words: `content_event_factor`) and the kind (`kind_factors`). At or above
`min_conflict_confidence` a conflict is `confirmed`, else `to_check`. Agreement rates and
headline counts use confirmed conflicts only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import polars as pl

from pipeline.common import stable_id
from pipeline.nlp.intervals import intervals_disjoint, relative_gap, widen, widened_bounds
from pipeline.schemas import TABLES

CONFLICT_COLUMNS = TABLES["conflicts"].polars_schema


@dataclass(frozen=True)
class ConflictParams:
    """params.yaml `aggregate.conflicts`."""

    min_conflict_confidence: float = 0.7
    content_event_factor: float = 0.85
    weak_content_event_factor: float = 0.6
    reference_event_factor: float = 0.85
    statement_event_factor: float = 0.85
    unstated_scope_factor: float = 0.75
    mixed_attribution_factor: float = 0.9
    relative_date_factor: float = 0.85
    small_gap: float = 0.1
    small_gap_factor: float = 0.85
    rounded_figure_factor: float = 0.75
    min_group_sources: int = 2
    event_camps_factor: float = 0.6
    unanchored_join_factor: float = 0.8
    unplaced_figure_factor: float = 0.65
    kind_factors: dict = field(default_factory=lambda: {"quantity": 1.0, "date": 1.0, "time": 0.95, "polarity": 0.85, "attribution": 0.9})


PLACE_SCOPES = frozenset({"piazza", "percorso", "interno", "esterno", "tv", "aggiuntivo", "sottoinsieme"})
# A round figure may stand for the finer one it rounds: "30mila" against "29.800" is likely one
# count told at two precisions (to check, `rounded_figure_factor`), though "150" against "148"
# prisoners may be a real dispute. Only close values: "200mila" does not stand for every count
# from 150mila.
MAX_ROUNDING_SHARE = 0.05


def _last_place(v: float) -> float:
    """The place of a whole number's last non-zero digit (30000 → 10000, 29800 → 100, 7 → 1)."""
    n, place = abs(round(v)), 1
    while n and n % (place * 10) == 0:
        place *= 10
    return float(place)


def rounds_to_each_other(a: float, b: float) -> bool:
    """Two exact whole values where the rounder one is the other rounded at its last digit, less
    than MAX_ROUNDING_SHARE apart ("30mila" and "29.800"; never "30mila" and "25mila")."""
    if a == b or a != round(a) or b != round(b) or max(abs(a), abs(b)) == 0:
        return a == b
    coarse_place = max(_last_place(a), _last_place(b))
    if _last_place(a) == _last_place(b):
        return False
    return abs(a - b) <= coarse_place / 2 and abs(a - b) / max(abs(a), abs(b)) < MAX_ROUNDING_SHARE


def _fmt(x: float | None) -> str:
    return "?" if x is None else (f"{x:,.0f}".replace(",", ".") if x == int(x) else f"{x:g}")


def _interval_text(low, high, unit: str | None) -> str:
    unit = {"item": "", "minute": " min", "minute_of_day": "", None: ""}.get(unit, f" {unit}")
    if low is not None and high is not None:
        return f"{_fmt(low)}{unit}" if low == high else f"{_fmt(low)}–{_fmt(high)}{unit}"
    if low is not None:
        return f"≥ {_fmt(low)}{unit}"
    return f"≤ {_fmt(high)}{unit}"


def _clock(low, high) -> str:
    def hm(x):
        x = int(x) % 1440
        return f"{x // 60}:{x % 60:02d}"
    return hm(low) if low == high else f"{hm(low)}–{hm(high)}"


def _basis_text(r: dict) -> str:
    text = {"date": "the date their articles give it", "content": "their words (an article without that date)",
            "weak_content": "their words, less surely (an article without that date)",
            "reference": "the day a sentence names for it (a report of another event)",
            "speaker": "the speaker and subject", "article": "their article"}
    return " and ".join(sorted({text.get(r["basis"], r["basis"]), text.get(r["basis_b"], r["basis_b"])}))


def _who(attributed: str | None, names: dict[str, str]) -> str:
    return f" (secondo {names.get(attributed, attributed)})" if attributed else ""


DETAIL_COLUMNS = ("fact_id", "event_id", "kind", "measure", "modality", "doc_id", "sent_id", "value", "low", "high",
                  "qualifier", "unit", "scope", "attributed_to", "is_certain_speaker", "basis", "is_relative", "place")


def find_conflicts(
    pairs: pl.DataFrame,
    facts: pl.DataFrame,
    claim_of_fact: dict[str, str],
    names: dict[str, str],
    params: ConflictParams,
) -> pl.DataFrame:
    """Conflict rows from the fact pairs of `matching.fact_pairs`. `facts` carries the internal
    `basis` column (how each fact's sentence was tied to its event); `claim_of_fact`: fact_id ->
    claim_id; `names`: entity_id -> name, for readable values. Pairs of values are first screened
    in columns (two intervals that overlap once widened are never a conflict); only the rest are
    read one by one."""
    if pairs.height == 0:
        return pl.DataFrame(schema=CONFLICT_COLUMNS)
    if "place" not in facts.columns:
        facts = facts.with_columns(pl.lit(None, dtype=pl.Utf8).alias("place"))
    detail = facts.select(*DETAIL_COLUMNS)
    p = pairs.join(detail.drop("kind"), on="fact_id").join(
        detail.drop("kind", "event_id", "measure", "modality").rename(lambda c: f"{c}_b"), on="fact_id_b")
    p = p.with_columns(*widened_bounds("low", "high", "qualifier"), *widened_bounds("low_b", "high_b", "qualifier_b"))
    groups = value_groups(facts.filter(pl.col("kind") == "quantity"), params.min_group_sources)
    # the camps of an event joined by mistake part every kind of fact of its articles
    sides = groups.select("event_id", "doc_id", "event_side").drop_nulls().unique()
    p = (p.join(sides, on=["event_id", "doc_id"], how="left")
         .join(sides.rename({"doc_id": "doc_id_b", "event_side": "event_side_b"}), on=["event_id", "doc_id_b"], how="left"))
    disjoint = ((pl.col("high_w") < pl.col("low_b_w")) | (pl.col("high_b_w") < pl.col("low_w"))).fill_null(False)
    # the articles that agree with another report of their event on some value of one measure
    # ("350 prigionieri" agrees with "175 per parte": the whole of both sides)
    doubled_fits = pl.lit(False)
    for side, other in (("", "_b"), ("_b", "")):
        doubled_fits = doubled_fits | ((pl.col(f"scope{side}") == "per_parte") & (pl.col(f"scope{other}").fill_null("") != "per_parte")
                                       & ~((2 * pl.col(f"high{side}_w") < pl.col(f"low{other}_w"))
                                           | (pl.col(f"high{other}_w") < 2 * pl.col(f"low{side}_w")))).fill_null(False)
    valued = p.filter(pl.col("kind").is_in(["quantity", "date"]) & (~disjoint | (pl.col("kind").eq("quantity") & doubled_fits)))
    anchored = set(zip(valued["event_id"].to_list(), valued["doc_id"].to_list())) | set(
        zip(valued["event_id"].to_list(), valued["doc_id_b"].to_list()))
    # times of day are compared on a 12-hour clock; polarity and quotations by their own rules
    p = p.filter(pl.col("kind").is_in(["polarity", "quote", "time"]) | disjoint)
    # pairs `_incompatible` turns down whatever else they say, screened in columns: one sign stated
    # twice; a quotation unless both speakers are named with certainty and differ
    speakers_differ = (pl.col("is_certain_speaker") & pl.col("is_certain_speaker_b")
                       & (pl.col("attributed_to").fill_null("") != "") & (pl.col("attributed_to_b").fill_null("") != "")
                       & (pl.col("attributed_to") != pl.col("attributed_to_b"))).fill_null(False)
    p = p.filter(pl.when(pl.col("kind") == "polarity").then(pl.col("low").ne_missing(pl.col("low_b")))
                 .when(pl.col("kind") == "quote").then(speakers_differ)
                 .otherwise(pl.lit(True)))
    # events whose figures of one measure are counted in two or more places (a strike's marches in
    # several cities): there a figure naming no place may be another city's than one naming it
    placed = facts.filter((pl.col("kind") == "quantity") & pl.col("place").is_not_null())
    multi_place = set(placed.group_by("event_id", "measure").agg(pl.col("place").n_unique().alias("n"))
                      .filter(pl.col("n") >= 2).select("event_id", "measure").iter_rows())
    rows = []
    for r in p.iter_rows(named=True):
        found = _incompatible(r)
        if found is None:
            continue
        kind, why = found
        # an article tied to its event by its words alone, less surely, that agrees with it on no
        # value: two doubts, as likely a report of another event as a dissenting one; one that
        # agrees with another report of the event on a value is as sure as an ordinary join by
        # its words (the value confirms the margin)
        unanchored = [(r["event_id"], doc) not in anchored for doc in (r["doc_id"], r["doc_id_b"])]
        read = {**r, **{b: "content" for b, loose in zip(("basis", "basis_b"), unanchored)
                        if r[b] == "weak_content" and not loose}}
        confidence = _confidence(read, kind, params)
        if any(basis == "weak_content" and loose for basis, loose in zip((r["basis"], r["basis_b"]), unanchored)):
            confidence *= params.unanchored_join_factor
        if kind == "quantity" and bool(r["place"]) != bool(r["place_b"]) and (r["event_id"], r["measure"]) in multi_place:
            confidence *= params.unplaced_figure_factor
        va = r["value"] + _who(r["attributed_to"], names)
        vb = r["value_b"] + _who(r["attributed_to_b"], names)
        if kind == "attribution":
            va, vb = names.get(r["attributed_to"], r["attributed_to"]), names.get(r["attributed_to_b"], r["attributed_to_b"])
        scope = r["scope"] or r["scope_b"]
        same = (f"Both state the {r['measure']}" + (f" ({scope})" if scope else "")
                + f" of the same event ({r['event_id']}; sentences tied to it by {_basis_text(r)}), as {r['modality']}")
        if r["attributed_to"] and r["attributed_to_b"] and r["attributed_to"] != r["attributed_to_b"]:
            same += (f"; one figure is given by {names.get(r['attributed_to'], r['attributed_to'])}, the other by "
                     f"{names.get(r['attributed_to_b'], r['attributed_to_b'])}")
        rows.append({
            "conflict_id": stable_id("conflict", r["fact_id"], r["fact_id_b"], kind),
            "claim_id": claim_of_fact[r["fact_id"]], "kind": kind,
            "doc_id_a": r["doc_id"], "sent_id_a": r["sent_id"], "value_a": va,
            "doc_id_b": r["doc_id_b"], "sent_id_b": r["sent_id_b"], "value_b": vb,
            "explanation": f"{same}. {why}",
            "fact_id_a": r["fact_id"], "fact_id_b": r["fact_id_b"], "confidence": round(confidence, 4),
            "status": "confirmed" if confidence >= params.min_conflict_confidence else "to_check",
        })
    return pl.DataFrame(rows, schema=CONFLICT_COLUMNS, orient="row") if rows else pl.DataFrame(schema=CONFLICT_COLUMNS)


def value_groups(facts: pl.DataFrame, min_sources: int) -> pl.DataFrame:
    """fact_id -> value_group, split_values and event_side. The facts of one event, measure and
    modality are sorted by their stated intervals and cut where an interval starts above every
    interval before it ends (groups of overlapping values; read on the stated values, not widened:
    "circa 25mila" and "30mila" are two figures here). `split_values`: the fact's group and another
    of its measure are each stated by `min_sources` or more articles. `event_side`: its article's
    camp when the event is two events joined by mistake (`_event_sides`), else null."""
    schema = {"fact_id": pl.Utf8, "event_id": pl.Utf8, "doc_id": pl.Utf8, "value_group": pl.Int64,
              "split_values": pl.Boolean, "event_side": pl.Utf8}
    if facts.height == 0:
        return pl.DataFrame(schema=schema)
    key = ["event_id", "measure", "modality"]
    f = _grouped(facts.select("fact_id", "doc_id", *key, "low", "high", "attributed_to"), key, min_sources)
    return f.join(_event_sides(f, min_sources), on=["event_id", "doc_id"], how="left").select(*schema)


def _grouped(f: pl.DataFrame, key: list[str], min_sources: int) -> pl.DataFrame:
    # an open bound ("più di 3mila") is read as its stated figure: open to infinity it would join every group
    lo, hi = pl.coalesce("low", "high"), pl.coalesce("high", "low")
    f = f.sort(*key, lo, hi, "fact_id")
    reach = hi.cum_max().shift(1).over(key)
    f = f.with_columns((lo > reach).fill_null(False).cast(pl.Int64).cum_sum().over(key).alias("value_group"))
    backed = f.group_by(*key, "value_group").agg((pl.col("doc_id").n_unique() >= min_sources).alias("_backed"))
    split = backed.group_by(key).agg(pl.col("_backed").sum().alias("_n_backed"))
    return (f.join(backed, on=[*key, "value_group"]).join(split, on=key)
            .with_columns((pl.col("_backed") & (pl.col("_n_backed") >= 2)).alias("split_values"))
            .drop("_backed", "_n_backed"))


def _event_sides(f: pl.DataFrame, min_sources: int) -> pl.DataFrame:
    """event_id, doc_id -> event_side: when an event's articles fall apart into two or more camps,
    each of `min_sources` articles or more, the "event" is two events joined by mistake, and each
    article gets its camp. It takes two or more split measures. Two articles are in one camp when, over the event's split measures,
    they state a value of the same group more often than values of different groups (and camps
    are closed under that). Echoed figures of one real dispute mix the camps of their measures, so
    no camp of several articles forms; two marches joined by mistake give the same camps for every
    measure."""
    schema = {"event_id": pl.Utf8, "doc_id": pl.Utf8, "event_side": pl.Utf8}
    split = f.filter(pl.col("split_values")).select(
        "event_id", "doc_id", pl.concat_str("measure", "modality", separator="\x1f").alias("m"), "value_group",
        "attributed_to")
    # one split measure alone is a dispute (police against organisers); camps need two, and one of
    # them not a dispute between authorities: outlets siding with the police on the crowd and with
    # the government on the strike's adhesion, the others with the unions on both, report one event
    disputed = _disputes_between_authorities(split).with_columns(pl.lit(True).alias("_disputed"))
    split = (split.join(disputed, on=["event_id", "m"], how="left")
             .filter((pl.col("m").n_unique().over("event_id") >= 2)
                     & pl.col("_disputed").is_null().any().over("event_id")))
    rows = []
    for (event,), part in split.sort("event_id", "doc_id").group_by("event_id", maintain_order=True):
        groups: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for doc, m, g in part.select("doc_id", "m", "value_group").iter_rows():
            groups[doc][m].add(g)
        docs = sorted(groups)
        parent = {d: d for d in docs}

        def root(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, a in enumerate(docs):
            for b in docs[i + 1:]:
                shared = groups[a].keys() & groups[b].keys()
                together = sum(1 for m in shared if groups[a][m] & groups[b][m])
                if together > len(shared) - together:
                    ra, rb = root(a), root(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        camp = {d: root(d) for d in docs}
        sizes = Counter(camp.values())
        if sum(1 for n in sizes.values() if n >= min_sources) >= 2:
            rows.extend((event, d, camp[d]) for d in docs)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _disputes_between_authorities(split: pl.DataFrame) -> pl.DataFrame:
    """event_id, m: the split measures whose every group of values is given by authorities, none
    of them giving two groups (the Questura's 15mila against the unions' 50mila)."""
    groups = split.group_by("event_id", "m", "value_group").agg(
        pl.col("attributed_to").drop_nulls().unique().alias("by"))
    return (groups.group_by("event_id", "m")
            .agg((pl.col("by").list.len() > 0).all().alias("all_given"),
                 pl.col("by").list.len().sum().alias("n_given"),
                 pl.col("by").list.explode(keep_nulls=False, empty_as_null=False).n_unique().alias("n_authorities"))
            .filter(pl.col("all_given") & (pl.col("n_given") == pl.col("n_authorities")))
            .select("event_id", "m"))


def _incompatible(r: dict) -> tuple[str, str] | None:
    kind = r["kind"]
    if kind == "quantity":
        a = widen(r["low"], r["high"], r["qualifier"])
        b = widen(r["low_b"], r["high_b"], r["qualifier_b"])
        if not intervals_disjoint(a, b):
            return None
        if r["place"] and r["place_b"] and r["place"] != r["place_b"]:
            return None  # counted in two places: Milan's march is not Rome's
        if any((sa or "").startswith("settore ") and sa != sb for sa, sb in ((r["scope"], r["scope_b"]), (r["scope_b"], r["scope"]))):
            return None  # a sector's share is neither above nor below the whole's
        two_authorities = bool(r["attributed_to"] and r["attributed_to_b"] and r["attributed_to"] != r["attributed_to_b"])
        for per_side, other, other_scope in (((r["scope"], a), b, r["scope_b"]), ((r["scope_b"], b), a, r["scope"])):
            scope, iv = per_side
            if scope == "per_parte" and not intervals_disjoint(
                    tuple(None if x is None else 2 * x for x in iv), other):
                return None  # "175 per parte" and "350" in total
            if (scope in PLACE_SCOPES and other_scope is None and (iv[0] is None or other[1] is None or iv[0] <= other[1])
                    and not two_authorities):
                # "in piazza erano 35mila" is a part of "250mila" in all: fewer is consistent; but the
                # Questura's "in piazza 51mila" against the organisers' 105mila is their dispute
                return None
        return "quantity", (f"'{r['value']}' allows {_interval_text(*a, r['unit'])} and '{r['value_b']}' allows "
                            f"{_interval_text(*b, r['unit'])}: the ranges do not overlap (approximate values widened).")
    if kind == "time":
        a = (r["low"] % 720, r["high"] % 720)
        b = (r["low_b"] % 720, r["high_b"] % 720)
        if a[0] > a[1] or b[0] > b[1] or not intervals_disjoint(a, b):
            return None
        return "time_of_day", (f"'{r['value']}' ({_clock(r['low'], r['high'])}) and '{r['value_b']}' "
                               f"({_clock(r['low_b'], r['high_b'])}) cannot be the same moment, on a 12-hour clock.")
    if kind == "polarity":
        if r["low"] == r["low_b"]:
            return None
        return "polarity", (f"One states '{r['value']}', the other '{r['value_b']}' about the same subject "
                            f"(negations and antonyms such as ir-/in- folded; subject words Dice {r['subject_dice']:.2f}).")
    if kind == "date":
        if r["low"] == r["low_b"]:
            return None
        return "date", f"The event is dated '{r['value']}' in one report and '{r['value_b']}' in the other: different days."
    if kind == "quote":
        sa, sb = r["attributed_to"], r["attributed_to_b"]
        if not (r["is_certain_speaker"] and r["is_certain_speaker_b"]) or not sa or not sb or sa == sb:
            return None
        return "attribution", (f"The same words ('{r['value'][:80]}') are credited to two different speakers, "
                               f"each named with certainty in its sentence.")
    return None


def _confidence(r: dict, kind: str, params: ConflictParams) -> float:
    c = params.kind_factors.get("quantity" if kind in ("quantity",) else
                                "time" if kind == "time_of_day" else kind, 1.0)
    # the same words with the same figures (matching.fact_pairs) identify the statement itself,
    # however surely each article was tied to the event: only the speakers are in question
    bases = set() if kind == "attribution" else {r["basis"], r["basis_b"]}
    if "content" in bases:
        c *= params.content_event_factor
    if "weak_content" in bases:
        c *= params.weak_content_event_factor
    if "reference" in bases:
        c *= params.reference_event_factor
    if "speaker" in bases:
        c *= params.statement_event_factor
    if kind == "date" and (r["is_relative"] or r["is_relative_b"]):
        c *= params.relative_date_factor
    if kind in ("quantity", "time_of_day") and (r["scope"] is None) != (r["scope_b"] is None):
        c *= params.unstated_scope_factor
    if (r["attributed_to"] is None) != (r["attributed_to_b"] is None) and kind != "attribution":
        c *= params.mixed_attribution_factor
    if kind == "quantity":
        a = widen(r["low"], r["high"], r["qualifier"])
        b = widen(r["low_b"], r["high_b"], r["qualifier_b"])
        if relative_gap(a, b) < params.small_gap:
            c *= params.small_gap_factor
        if a[0] == a[1] and b[0] == b[1] and a[0] is not None and b[0] is not None and rounds_to_each_other(a[0], b[0]):
            c *= params.rounded_figure_factor
    if r["event_side"] is not None and r["event_side_b"] is not None and r["event_side"] != r["event_side_b"]:
        c *= params.event_camps_factor
    if kind == "polarity":
        c *= min(1.0, 0.6 + (r["subject_dice"] or 0.0))
    return max(0.0, min(1.0, c))
