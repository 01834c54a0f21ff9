"""Matching: which facts, and which sentences, state the same thing about the same event.

Everything here is scoped by event: candidate pairs come from one event's facts or sentences
only, so the cost follows the sum of the squared event sizes and quality does not depend on the
corpus's size (no corpus-wide posting caps).

- **Fact pairs** (`fact_pairs`): a self-join of the comparable facts of events on (event, kind,
  measure, modality), between different documents. For quantities and times the scopes must fit
  (equal, or one unstated; `per_parte` against `totale` never). Polarity facts also need the same
  subject (at least `min_subject_terms` shared words around the predicate, Dice at least
  `min_subject_dice`) and no two different speakers; quotations need the same words (Dice of
  their terms at least `attribution_similarity`) and the same figures.
- **Sentence pairs** (`sentence_pairs`): sentences of one event that state no fact and share
  enough words (Dice of matching terms at least `similarity_threshold`, at least
  `min_shared_terms` words; words in more than `max_term_share` of the event's sentences do not
  count): the same non-numeric statement in other words.
- **Claims** (`fact_claims`, `sentence_claims`): a claim is one measure of one event, stated
  in any value. The valued facts (quantity, time, date) of one event with the same kind,
  measure, modality and scope class are one claim whatever their values: "175 per parte" and
  "350 in tutto" are one count (scope class: the whole), "in piazza" and "lungo il percorso"
  are two. Two such claims that differ only in a plan against its outcome, or in an unstated
  scope against one place, are one when they state the same exact figure ("previsti cortei in
  43 città" and "si sono svolti in 43 città"). Conflicting values of one claim are what its
  `conflicts` rows are about. A value whose role was not established (`is_comparable` false: "si erano sentiti per oltre due ore")
  joins the one claim of its event whose values it fits, in the same unit; periods no claim
  takes ("una tregua di 60 giorni") are one claim per event and stated length (a month is
  30 days). Polarity
  facts and quotations are claims by their pairs (same subject; same words, whoever the speaker),
  and sentences without a fact are joined by their words (a group never holds two sentences of
  one document). Every fact left alone is a claim of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from pipeline.common import stable_id
from pipeline.nlp.intervals import widened_bounds


@dataclass(frozen=True)
class MatchParams:
    """params.yaml `aggregate.matching`."""

    min_subject_terms: int = 2        # words a polarity's subject must share ("adesione … Ucraina … NATO")
    min_subject_dice: float = 0.3     # and their Dice
    quote_similarity: float = 0.5     # Dice of two quotations' words at which they are the same statement (one claim)
    attribution_similarity: float = 0.8  # ... at which they are the same words, compared for an attribution conflict
    similarity_threshold: float = 0.5  # Dice of two fact-less sentences of one event that state the same thing
    min_shared_terms: int = 2         # words they share at least
    max_term_share: float = 0.5       # a word in more than this share of an event's sentences says nothing (events of 4+ sentences)
    label_chars: int = 160            # claim labels: the representative sentence cut to this many characters


PAIR_SCHEMA = {"fact_id_a": pl.Utf8, "fact_id_b": pl.Utf8}
SCOPE_NEVER = frozenset({frozenset({"per_parte", "totale"})})
WIDE_SCOPES = frozenset({"nazionale"})


def fact_pairs(facts: pl.DataFrame, params: MatchParams) -> pl.DataFrame:
    """Every pair of facts (fact_id < fact_id_b, different documents) that state the same measure
    of the same event with the same modality and fitting scope: `fact_id`, `fact_id_b`, `kind`
    and `subject_dice` (polarity and quotations; null otherwise). Lean columns: the pairs of a
    large event are many, their values are joined back only for the few that may conflict."""
    f = facts.filter(pl.col("event_id").is_not_null() & pl.col("is_comparable"))
    keys = ["event_id", "kind", "measure", "modality"]
    valued = f.filter(pl.col("kind").is_in(["quantity", "time", "date"])).select(*keys, "fact_id", "doc_id", "scope")
    numeric = (
        valued.join(valued, on=keys, suffix="_b")
        .filter((pl.col("fact_id") < pl.col("fact_id_b")) & (pl.col("doc_id") != pl.col("doc_id_b"))
                & (pl.col("scope").is_null() | pl.col("scope_b").is_null() | (pl.col("scope") == pl.col("scope_b")))
                # a whole country's figure never meets one place's, stated or not
                # (null-safe: an unstated scope is no scope, not an unknown that drops the pair)
                & ~((pl.col("scope").is_in(list(WIDE_SCOPES)).fill_null(False)
                     | pl.col("scope_b").is_in(list(WIDE_SCOPES)).fill_null(False))
                    & (pl.col("scope").fill_null("") != pl.col("scope_b").fill_null(""))))
        .select("fact_id", "fact_id_b", "kind", pl.lit(None, dtype=pl.Float64).alias("subject_dice"))
    )
    return pl.concat([numeric, _worded_pairs(f, params, verbatim=True)]).sort("fact_id", "fact_id_b")


def _worded_pairs(f: pl.DataFrame, params: MatchParams, verbatim: bool = False) -> pl.DataFrame:
    """Pairs of polarity facts about the same subject and of quotations with the same words, of one
    event, kind, measure and modality, from different documents (`fact_id`, `fact_id_b`, `kind`,
    `subject_dice`). Quotations are the same statement at `quote_similarity`; `verbatim` (the
    candidates of attribution conflicts) asks for the same words (`attribution_similarity`) and
    the same figures: "lo scambio riguarderà 150 prigionieri" and "uno scambio di 175
    prigionieri" are two statements, whoever made them."""
    keys = ["event_id", "kind", "measure", "modality"]
    worded = f.filter(pl.col("kind").is_in(["polarity", "quote"])).select(
        *keys, "fact_id", "doc_id", "attributed_to", "subject", "object",
        pl.col("value").str.extract_all(r"\d+").list.unique().list.sort().alias("figures"))
    joined = worded.join(worded, on=keys, suffix="_b").filter(
        (pl.col("fact_id") < pl.col("fact_id_b")) & (pl.col("doc_id") != pl.col("doc_id_b")))
    shared = pl.col("subject").list.set_intersection(pl.col("subject_b")).list.len()
    dice = 2 * shared / (pl.col("subject").list.len() + pl.col("subject_b").list.len()).clip(lower_bound=1)
    polarity_ok = (
        (shared >= params.min_subject_terms) & (dice >= params.min_subject_dice)
        & (pl.col("attributed_to").is_null() | pl.col("attributed_to_b").is_null()
           | (pl.col("attributed_to") == pl.col("attributed_to_b")))
        # the same thing agreed or denied: what follows one predicate is named around the other
        # ("concordato uno scambio" and "non concordato di rivedersi" are two facts)
        & (pl.col("object").is_null() | pl.col("object_b").is_null() | (pl.col("object") == pl.col("object_b"))
           | pl.col("subject").list.contains(pl.col("object_b")) | pl.col("subject_b").list.contains(pl.col("object")))
    )
    same_quote = ((pl.col("subject_dice") >= params.attribution_similarity) & (pl.col("figures") == pl.col("figures_b"))
                  if verbatim else pl.col("subject_dice") >= params.quote_similarity)
    worded_pairs = (
        joined.with_columns(dice.cast(pl.Float64).alias("subject_dice"))
        .filter(pl.when(pl.col("kind") == "polarity").then(polarity_ok).otherwise(same_quote))
        .select("fact_id", "fact_id_b", "kind", "subject_dice")
    )
    return worded_pairs


def sentence_pairs(tokens: pl.DataFrame, sentences: pl.DataFrame, params: MatchParams,
                   idf: pl.DataFrame | None = None) -> pl.DataFrame:
    """(sid, sid_b, similarity) of fact-less sentences of one event in different documents that
    state the same thing (module docstring). `sentences`: sid, doc_id, event_id of the
    candidates; `idf`: term, idf (how rare each term is across the corpus's sentences; every
    term weighs 1 without it). The similarity is the IDF-weighted Dice of their terms: two
    reports of one fact share its rare words ("cooperazione", "migranti") even when the rest
    of their wording differs."""
    empty = pl.DataFrame(schema={"sid": pl.UInt32, "sid_b": pl.UInt32, "similarity": pl.Float64})
    if sentences.height < 2:
        return empty
    post = (
        tokens.filter(pl.col("term").is_not_null()).select("sid", "term").unique()
        .join(sentences.select("sid", "doc_id", "event_id"), on="sid", how="inner")
    )
    post = post.join(idf, on="term", how="left").with_columns(pl.col("idf").fill_null(1.0)) if idf is not None \
        else post.with_columns(pl.lit(1.0).alias("idf"))
    n_sent = sentences.group_by("event_id").agg(pl.len().alias("n_event"))
    df = post.group_by("event_id", "term").agg(pl.len().alias("df")).join(n_sent, on="event_id")
    common = df.filter((pl.col("n_event") >= 4) & (pl.col("df") > params.max_term_share * pl.col("n_event")))
    post = post.join(common.select("event_id", "term"), on=["event_id", "term"], how="anti")
    weight = post.group_by("sid").agg(pl.col("idf").sum().alias("w"))
    pairs = (
        post.join(post.select("event_id", "term", "sid", "doc_id"), on=["event_id", "term"], suffix="_b")
        .filter((pl.col("sid") < pl.col("sid_b")) & (pl.col("doc_id") != pl.col("doc_id_b")))
        .group_by("sid", "sid_b").agg(pl.len().alias("shared"), pl.col("idf").sum().alias("w_shared"))
        .filter(pl.col("shared") >= params.min_shared_terms)
        .join(weight, on="sid").join(weight.rename({"sid": "sid_b", "w": "w_b"}), on="sid_b")
        .with_columns((2 * pl.col("w_shared") / (pl.col("w") + pl.col("w_b"))).alias("similarity"))
        .filter(pl.col("similarity") >= params.similarity_threshold)
    )
    return pairs.select("sid", "sid_b", "similarity").sort("sid", "sid_b")


def term_idf(tokens: pl.DataFrame) -> pl.DataFrame:
    """term, idf: log((1 + n) / (1 + df)) + 1 over the sentences of a token table."""
    terms = tokens.filter(pl.col("term").is_not_null()).select("sid", "term").unique()
    n = terms["sid"].n_unique()
    return terms.group_by("term").agg(pl.len().alias("df")).select(
        "term", (((1 + n) / (1 + pl.col("df"))).log() + 1.0).alias("idf"))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


VALUED_KINDS = ("quantity", "time", "date")
# Scopes that state the whole of a count: "175 per parte", "350 in tutto" and "350" are one claim.
WHOLE_SCOPES = ("per_parte", "totale")
# A plan and its outcome may be one claim (same figure); a snapshot or a hypothesis never is.
PLAN_AND_OUTCOME = ("forecast", "outcome")
DAYS_IN_A_MONTH = 30.0  # a period of "un mese" is one of "30 giorni"


def claim_scope(scope: pl.Expr) -> pl.Expr:
    """The scope class of a valued fact's claim: "" for the whole (unstated, per side, in total),
    else the scope itself (a place, a subset, a snapshot's hour, the whole country)."""
    return pl.when(scope.is_null() | scope.is_in(list(WHOLE_SCOPES))).then(pl.lit("")).otherwise(scope)


def fact_claims(facts: pl.DataFrame, params: MatchParams) -> dict[str, str]:
    """fact_id -> claim key (the smallest fact_id of its claim), for every fact (module docstring):

    - the comparable valued facts of one (event, kind, measure, modality, scope class), whatever
      their values and documents;
    - two such claims that differ only in forecast against outcome, or in the whole against one
      place, and share an exact figure (`_same_figure_claims`);
    - a valued fact whose role is unknown joins the one such claim of its event, kind, unit and
      modality whose span of values overlaps its own (approximate values widened); when none or
      several do, a period ("periodo (...)") joins the other periods of its event and length
      (months counted as 30 days);
    - polarity facts and quotations by their pairs (`_worded_pairs`, quotations whoever speaks).
    Facts without an event, and facts nothing joins, are claims of their own."""
    uf = _UnionFind()
    for fid in facts["fact_id"].to_list():
        uf.find(fid)
    evented = facts.filter(pl.col("event_id").is_not_null())
    valued = evented.filter(pl.col("kind").is_in(list(VALUED_KINDS))).with_columns(
        claim_scope(pl.col("scope")).alias("scope_class"))
    keys = ["event_id", "kind", "measure", "modality", "scope_class"]
    comparable = valued.filter(pl.col("is_comparable"))
    grouped = comparable.group_by(keys).agg(pl.col("fact_id").min().alias("root"), pl.col("fact_id"))
    for root, members in zip(grouped["root"].to_list(), grouped["fact_id"].to_list()):
        for fid in members:
            uf.union(root, fid)
    for a, b in _same_figure_claims(comparable, grouped.select(*keys, "root")):
        uf.union(a, b)

    loose = valued.filter(~pl.col("is_comparable") & (pl.col("low").is_not_null() | pl.col("high").is_not_null()))
    if loose.height:
        bounds = [*widened_bounds("low", "high", "qualifier")]
        near = ["event_id", "kind", "unit", "modality"]
        # each claim's span of values (open where some value is open): one row per claim, not per value
        have = (comparable.with_columns(*bounds).join(grouped.select(*keys, "root"), on=keys)
                .group_by(*near, "root").agg(
                    pl.when(pl.col("low_w").is_null().any()).then(None).otherwise(pl.col("low_w").min()).alias("low_w"),
                    pl.when(pl.col("high_w").is_null().any()).then(None).otherwise(pl.col("high_w").max()).alias("high_w")))
        fits = (
            loose.with_columns(*bounds).select(*near, "fact_id", "low_w", "high_w")
            .join(have, on=near, suffix="_c")
            .filter((pl.col("high_w").is_null() | pl.col("low_w_c").is_null() | (pl.col("low_w_c") <= pl.col("high_w")))
                    & (pl.col("high_w_c").is_null() | pl.col("low_w").is_null() | (pl.col("low_w") <= pl.col("high_w_c"))))
            .group_by("fact_id").agg(pl.col("root").unique())
        )
        attached = set()
        for fid, roots in zip(fits["fact_id"].to_list(), fits["root"].to_list()):
            if len(roots) == 1:
                uf.union(roots[0], fid)
                attached.add(fid)
        # one length however it is told: "una tregua di un mese" is "una tregua di 30 giorni"
        in_days = pl.col("unit") == "month"
        periods = (loose.filter(~pl.col("fact_id").is_in(list(attached)) & pl.col("measure").str.starts_with("periodo"))
                   .with_columns(pl.when(in_days).then(pl.lit("day")).otherwise(pl.col("unit")).alias("unit"),
                                 *(pl.when(in_days).then(pl.col(c) * DAYS_IN_A_MONTH).otherwise(pl.col(c)).alias(c)
                                   for c in ("low", "high")))
                   .group_by("event_id", "unit", "low", "high").agg(pl.col("fact_id").sort()))
        for members in periods["fact_id"].to_list():
            for fid in members[1:]:
                uf.union(members[0], fid)

    for a, b in zip(*_worded_pairs(evented, params).select("fact_id", "fact_id_b").get_columns()):
        uf.union(a, b)
    return {f: uf.find(f) for f in facts["fact_id"].to_list()}


def _same_figure_claims(comparable: pl.DataFrame, roots: pl.DataFrame) -> list[tuple[str, str]]:
    """Pairs of claim roots of one event, kind and measure that differ in one respect only and
    state the same exact figure: a plan and its outcome ("sono previsti cortei in 43 città",
    "cortei si sono svolti in 43 città"), or an unstated scope and one place ("a Roma 50mila",
    "in piazza a Roma erano 50mila"). Two claims that share no exact figure stay apart
    ("attese 200mila" against "250mila in tutto"); a whole country's figure never joins."""
    keys = ["event_id", "kind", "measure", "modality", "scope_class"]
    points = (comparable.filter(pl.col("low").is_not_null() & (pl.col("low") == pl.col("high"))
                                & pl.col("modality").is_in(list(PLAN_AND_OUTCOME)))
              .join(roots, on=keys).select(*keys, "root", "low").unique())
    same = ["event_id", "kind", "measure", "low"]
    joined = points.join(points, on=same, suffix="_b").filter(pl.col("root") < pl.col("root_b"))
    one_modality = pl.col("scope_class") == pl.col("scope_class_b")
    one_scope = (pl.col("modality") == pl.col("modality_b")) & (
        (pl.col("scope_class") == "") ^ (pl.col("scope_class_b") == "")) & ~(
        pl.col("scope_class").is_in(list(WIDE_SCOPES)) | pl.col("scope_class_b").is_in(list(WIDE_SCOPES)))
    joined = joined.filter(one_modality | one_scope).select("root", "root_b").unique().sort("root", "root_b")
    return list(zip(joined["root"].to_list(), joined["root_b"].to_list()))


def claimed_sentences(facts: pl.DataFrame, claim_key: dict[str, str]) -> set[int]:
    """The sids whose sentence some claim of facts takes: a comparable fact, or a fact joined to
    another. Other sentences are matched by their words (`sentence_pairs`)."""
    shared = {k for k, n in Counter(claim_key.values()).items() if n > 1}
    return {sid for fid, sid, comparable in zip(*facts.select("fact_id", "sid", "is_comparable").get_columns())
            if comparable or claim_key[fid] in shared}


def sentence_claims(pairs: pl.DataFrame, doc_of: dict[int, str]) -> tuple[dict[int, int], dict[int, float]]:
    """sid -> group root for sentences in some pair, strongest pairs first, never two sentences of
    one document in a group; and each sentence's best similarity within its group."""
    uf = _UnionFind()
    docs: dict[int, set[str]] = {}
    best: dict[int, float] = {}
    ordered = sorted(zip(pairs["similarity"].to_list(), pairs["sid"].to_list(), pairs["sid_b"].to_list()),
                     key=lambda t: (-t[0], t[1], t[2]))
    for sim, a, b in ordered:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        da, db = docs.get(ra, {doc_of[a]}), docs.get(rb, {doc_of[b]})
        if da & db:
            continue
        uf.union(a, b)
        docs[uf.find(a)] = da | db
        best[a] = max(best.get(a, 0.0), sim)
        best[b] = max(best.get(b, 0.0), sim)
    return {s: uf.find(s) for s in best}, best


def claim_id_of(key: str) -> str:
    return stable_id("claim", key)
