"""Claims: sentences of different documents that state the same fact, grouped.

Pipeline (all linear in the corpus except the capped posting lists):

1. features per *content sentence* (a sentence naming an entity, a quantity, a day date or an
   event, or attached to its article's event, with at least `min_content_lemmas` matching
   terms, or `min_value_lemmas` when it states a value): matching terms (text.matching_terms:
   simplemma lemmas without stopwords and intensifiers, antonyms folded onto their base, news
   paraphrases onto one word, endings stemmed so "visitare" meets "visita"), entities, value
   slots (a quantity's kind, unit, noun and the word qualifying the noun), event.
2. blocking: an inverted index over terms, entities, dates, events, event-scoped terms and
   event-scoped value slots ("the duration of this call"); posting lists longer than
   `max_posting` are dropped (such keys are too common to tell facts apart). Candidate pairs are
   sentences of different documents sharing at least `min_shared_keys` keys (a word shared
   within one event, or between sentences naming dated events of one kind, counts twice), or
   sharing an event-scoped value slot.
3. similarity of a candidate pair in 0..1: a weighted mean of term Dice, IDF-weighted term
   cosine (rare shared words count more), IDF-weighted containment of the shorter sentence,
   entity Jaccard and value-slot agreement, scaled by `disjoint_persons_factor` when both
   sentences name persons and none in common (unless both hold a quotation). Signals a pair
   cannot have (no entities, no values on either side) drop out of the mean. Values compare
   *slots*, not numbers: "175 prigionieri" and "150 prigionieri" state the same fact differently,
   which is a conflict, not two facts.
4. clustering: edges above `similarity_threshold`, strongest first, merge clusters (union-find)
   only when the average similarity between the two clusters stays above
   `min_average_similarity` (no chaining through one bridging sentence) and their events are
   compatible (claims.events_compatible: a sentence naming no event inherits its article's
   main event, so facts of two events dated far apart or between different persons never meet,
   and a sentence of an article without any event counts as undated, published that day;
   two dated events at most `date_conflict_days` apart share a claim only through a
   near-verbatim pair at `date_conflict_similarity`, which is how a wrong date becomes a date
   conflict). A sentence
   linked to a strict majority of another claim's members also supports that claim.
5. every content sentence left alone is a one-source claim.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import polars as pl

from pipeline.agreement.events import GENERIC_TYPE, Event, participants_fit, places_fit
from pipeline.agreement.frames import columns
from pipeline.nlp.text import matching_terms, noun_modifier, shorten, tokenize
from pipeline.common import progress, stable_id

SIGNALS = ("lemma", "rare", "containment", "entity", "value")
ARTICLE_TYPE = "article"  # type of the stand-in event of a sentence without any event


@dataclass(frozen=True)
class ClaimParams:
    """Weights and thresholds of claim matching (params.yaml `aggregate.claims`)."""

    weights: dict = field(default_factory=lambda: {
        "lemma": 0.25, "rare": 0.25, "containment": 0.2, "entity": 0.15, "value": 0.15,
    })
    similarity_threshold: float = 0.35
    min_average_similarity: float = 0.3
    date_conflict_similarity: float = 0.8
    max_posting: int = 100
    min_shared_keys: int = 3
    min_content_lemmas: int = 3
    min_value_lemmas: int = 1
    max_claim_size: int = 200
    undated_window_days: int = 7
    date_conflict_days: int = 7
    label_chars: int = 160
    disjoint_persons_factor: float = 0.5
    event_measure_similarity: float = 0.5


@dataclass
class SentenceFeatures:
    sent_id: str
    doc_id: str
    source_id: str
    text: str
    terms: frozenset[str]  # matching terms (text.matching_terms)
    entities: frozenset[str]
    slots: frozenset[tuple]  # (kind, unit, noun, modifier) of quantities; ("date",) when a day date is stated
    event: Event | None  # the event the sentence names itself: checked strictly (type, tense, date)
    context_event: Event | None = None  # that, or its article's main event: blocking, the claim's
    # event, and (when inherited) a looser check on date and participants only
    persons: frozenset[str] = frozenset()  # the entities of `entities` that are persons
    has_quote: bool = False  # the sentence holds a quotation
    # No event at all: a stand-in undated event of the article, known only by its publication
    # date (news reports a fact near when it happens), for the compatibility check only.
    article_event: Event | None = None


def build_features(
    sentences: pl.DataFrame,
    articles: pl.DataFrame,
    mentions: pl.DataFrame,
    quantities: pl.DataFrame,
    time_expressions: pl.DataFrame,
    sentence_events: pl.DataFrame,
    events: dict[str, Event],
    min_content_lemmas: int,
    min_value_lemmas: int | None = None,
    person_ids: frozenset[str] = frozenset(),
    quoted_sentences: frozenset[str] = frozenset(),
) -> list[SentenceFeatures]:
    """Features of the content sentences, in sent_id order (`person_ids`: entities that are
    persons; `quoted_sentences`: sentences holding a quotation)."""
    source_of = dict(zip(*columns(articles, "doc_id", "source_id")))
    published = dict(zip(*columns(articles, "doc_id", "published_date")))
    article_events: dict[str, Event] = {}
    entities_of = _sets_by_sentence(mentions, "entity_id")
    quantities_of: dict[str, list[tuple]] = defaultdict(list)
    for sid, kind, unit, noun, start, end in zip(*columns(quantities, "sent_id", "kind", "unit", "noun", "start", "end")):
        quantities_of[sid].append((kind, unit, noun, start, end))
    days = time_expressions.filter((pl.col("granularity") == "day") & pl.col("value_date").is_not_null())
    dated = set(days["sent_id"])
    event_of = dict(zip(*columns(sentence_events, "sent_id", "event_id")))
    mention_sents = set(sentence_events.filter(pl.col("is_mention"))["sent_id"])
    out = []
    ordered = sentences.sort("sent_id")
    rows = zip(*columns(ordered, "sent_id", "doc_id", "text"))
    for sid, doc_id, text in progress(rows, "claims: sentence features", total=ordered.height):
        text = text or ""
        ents = entities_of.get(sid, frozenset())
        if not (ents or sid in quantities_of or sid in dated or sid in event_of):
            continue
        tokens = tokenize(text)
        terms = matching_terms(tokens)
        has_value = sid in quantities_of or sid in dated
        if len(terms) < (min_content_lemmas if min_value_lemmas is None or not has_value else min_value_lemmas):
            continue
        slots = frozenset(
            [(kind, unit, noun, noun_modifier(text, tokens, noun, start, end))
             for kind, unit, noun, start, end in quantities_of.get(sid, ())]
            + ([("date",)] if sid in dated else [])
        )
        context = events.get(event_of.get(sid, ""))
        stand_in = None
        if context is None:
            stand_in = article_events.get(doc_id)
            if stand_in is None:
                stand_in = article_events[doc_id] = Event(
                    ARTICLE_TYPE, None, False, frozenset(), local_doc=doc_id,
                    reference_date=published.get(doc_id), founder=(doc_id, ARTICLE_TYPE))
        out.append(SentenceFeatures(
            sid, doc_id, source_of.get(doc_id, doc_id), text, terms, ents, slots,
            context if sid in mention_sents else None, context, ents & person_ids, sid in quoted_sentences,
            stand_in,
        ))
    return out


def _sets_by_sentence(df: pl.DataFrame, column: str) -> dict[str, frozenset[str]]:
    if df.height == 0:
        return {}
    grouped = df.group_by("sent_id").agg(pl.col(column).drop_nulls().unique())
    return {s: frozenset(v) for s, v in zip(*columns(grouped, "sent_id", column))}


def inverse_document_frequency(features: list[SentenceFeatures]) -> dict[str, float]:
    """Smoothed IDF of each term over the content sentences, scaled to (0, 1] (1 = seen once).

    Smoothing (1 + log((1+n)/(1+df))) keeps a word found in every sentence above zero, so a tiny
    corpus does not erase its shared words.
    """
    df = Counter(term for f in features for term in f.terms)
    n = len(features)
    top = 1.0 + math.log((1 + n) / 2)
    return {term: (1.0 + math.log((1 + n) / (1 + c))) / top for term, c in df.items()}


def blocking_keys(f: SentenceFeatures) -> list[str]:
    keys = [f"l:{term}" for term in f.terms] + [f"e:{e}" for e in f.entities]
    if f.context_event is not None:
        event_id = f.context_event.event_id
        keys.append(f"ev:{event_id}")
        # a word shared inside one event counts twice: "Gli astenuti sono stati quattro" and
        # "Si sono astenuti in due" share one word and their event, which is enough to compare them
        keys += [f"evl:{event_id}:{term}" for term in f.terms]
        keys += [f"slot:{event_id}:{'|'.join(map(str, slot[:3]))}" for slot in f.slots]
    if f.event is not None and f.event.event_date is not None:
        # words shared by sentences naming an event of one kind: the same vote reported on two
        # days by two papers is two events, and this is how their reports still meet
        keys += [f"evt:{f.event.event_type}:{term}" for term in f.terms]
    return keys


PAIR_ROWS_PER_SLICE = 5_000_000  # (pair, shared key) rows joined at once by candidate_pairs (memory bound)


def candidate_pairs(features: list[SentenceFeatures], max_posting: int, min_shared_keys: int) -> pl.DataFrame:
    """Pairs (a, b) of feature indexes, a < b, from different documents, found by blocking.

    Never all pairs: only keys with a posting list of at most `max_posting` sentences are joined.
    """
    key_ids: dict[str, int] = {}
    doc_ids: dict[str, int] = {}
    idx, docs, keys, slots = [], [], [], []
    for i, f in enumerate(features):
        doc = doc_ids.setdefault(f.doc_id, len(doc_ids))
        for k in set(blocking_keys(f)):
            idx.append(i)
            docs.append(doc)
            keys.append(key_ids.setdefault(k, len(key_ids)))
            slots.append(k.startswith("slot:"))
    postings = pl.DataFrame(
        {"i": idx, "doc": docs, "key": keys, "is_slot": slots},
        schema={"i": pl.Int32, "doc": pl.Int32, "key": pl.Int32, "is_slot": pl.Boolean},
    )
    sizes = postings.group_by("key").agg(pl.len().alias("n"))
    kept_sizes = sizes.filter((pl.col("n") >= 2) & (pl.col("n") <= max_posting))
    kept = postings.join(kept_sizes, on="key").drop("n")
    right = kept.drop("is_slot")
    # The self-join makes one row per (pair, shared key) before they are counted: on a large corpus
    # that is tens of millions of rows. Joining one slice of left-hand sentences at a time keeps the
    # peak to a slice; the result is the same, since every key of a pair travels with its `a`.
    join_rows = int((kept_sizes["n"].cast(pl.Int64) ** 2).sum() or 0)
    n_slices = max(1, -(-join_rows // PAIR_ROWS_PER_SLICE))
    bounds = [len(features) * k // n_slices for k in range(n_slices + 1)]
    slices = []
    for low, high in zip(bounds, bounds[1:]):
        slices.append(
            kept.filter(pl.col("i").is_between(low, high, closed="left"))
            .join(right, on="key", suffix="_b")
            .filter((pl.col("i") < pl.col("i_b")) & (pl.col("doc") != pl.col("doc_b")))
            .group_by("i", "i_b")
            .agg(pl.len().alias("n_shared"), pl.col("is_slot").any().alias("shares_slot"))
            .filter((pl.col("n_shared") >= min_shared_keys) | pl.col("shares_slot"))
            .select(pl.col("i").cast(pl.Int64).alias("a"), pl.col("i_b").cast(pl.Int64).alias("b"))
        )
    return pl.concat(slices).sort("a", "b")


def similarity(a: SentenceFeatures, b: SentenceFeatures, idf: dict[str, float], weights: dict,
               disjoint_persons_factor: float = 1.0, event_measure_similarity: float = 0.0) -> float:
    """Weighted mean of the applicable signals, in 0..1 (see module docstring).

    Two sentences of one event that measure the same counted noun ("circa 43 droni" and "18
    droni" about one attack, however differently worded) are at least
    `event_measure_similarity` alike: an event has one number of drones, of injured, of votes.

    When both sentences name persons, none in common, the mean is multiplied by
    `disjoint_persons_factor`: "Rossi ha accettato di avviare i negoziati sul gas" and "Bianchi ha
    accettato di avviare i negoziati sul grano" share their predicate but are two facts about two
    people. Two quotations are exempt: the same words credited to two speakers are one claim
    with an attribution conflict.
    """
    shared = a.terms & b.terms
    scores = {
        "lemma": 2 * len(shared) / (len(a.terms) + len(b.terms)) if (a.terms or b.terms) else 0.0,
        "rare": _idf_cosine(a.terms, b.terms, shared, idf),
        "containment": _idf_containment(a.terms, b.terms, shared, idf),
    }
    if a.entities or b.entities:
        scores["entity"] = len(a.entities & b.entities) / len(a.entities | b.entities)
    if a.slots or b.slots:
        scores["value"] = 1.0 if any(same_measure(x, y) for x in a.slots for y in b.slots) else 0.0
    total = sum(weights[s] for s in scores)
    mean = sum(weights[s] * v for s, v in scores.items()) / total if total else 0.0
    if a.persons and b.persons and not a.persons & b.persons and not (a.has_quote and b.has_quote):
        mean *= disjoint_persons_factor
    if event_measure_similarity > mean and a.context_event is not None and a.context_event is b.context_event and any(
        len(x) == 4 and x[2] and same_measure(x, y) for x in a.slots for y in b.slots
    ):
        return event_measure_similarity
    return mean


def same_measure(x: tuple, y: tuple) -> bool:
    """Two value slots measure the same thing: same (kind, unit, noun), and the noun's modifiers
    agree or one is unstated ("175 prigionieri" and "150 prigionieri ucraini" do; "24 voti
    favorevoli" and "8 voti contrari" do not)."""
    return x[:3] == y[:3] and (len(x) < 4 or x[3] is None or y[3] is None or x[3] == y[3])


def _idf_containment(a: frozenset[str], b: frozenset[str], shared: frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted share of the shorter sentence's words found in the other: a short report of
    one fact inside a long sentence that states it among others."""
    smaller = min(sum(idf.get(x, 1.0) for x in a), sum(idf.get(x, 1.0) for x in b))
    return sum(idf.get(x, 1.0) for x in shared) / smaller if smaller else 0.0


def _idf_cosine(a: frozenset[str], b: frozenset[str], shared: frozenset[str], idf: dict[str, float]) -> float:
    norm = math.sqrt(sum(idf.get(x, 1.0) ** 2 for x in a) * sum(idf.get(x, 1.0) ** 2 for x in b))
    return sum(idf.get(x, 1.0) ** 2 for x in shared) / norm if norm else 0.0


def events_compatible(e1: Event | None, e2: Event | None, undated_window_days: int = 7,
                      date_conflict_days: int = 7, both_named: bool = True) -> str:
    """'same', 'compatible', 'different_date' (possibly one event reported on two dates) or 'no'.

    `both_named`: both sentences name their event themselves. Then different types (a call, a
    meeting) or a planned and a past event are never one event. A sentence that names no event
    only *inherits* its article's main event, which says when and between whom, not what kind
    of happening the sentence reports (an article on a call also reports a minister's words at
    a meeting): for an inherited event only dates and participants count.

    Two dated events between fitting participants on days at most `date_conflict_days` apart
    are 'different_date' (one event misdated by one report, or two events: clustering decides);
    further apart, or with participants that do not fit, they are unrelated ('no'). An undated
    event is known only to its article: it may be any event of its type unless its article's
    publication date rules that out (published before the dated event or more than
    `undated_window_days` after it; two undated ones published that far apart).
    """
    if e1 is None or e2 is None or e1 is e2:
        return "same" if e1 is e2 else "compatible"
    if both_named:
        same_type = e1.event_type == e2.event_type or GENERIC_TYPE in (e1.event_type, e2.event_type)
        if not same_type or e1.is_planned != e2.is_planned:
            return "no"
    if e1.event_date is not None and e2.event_date is not None:
        if not participants_fit(frozenset(e1.main_participants), frozenset(e2.main_participants)):
            return "no"
        if not places_fit(e1.places, e2.places):
            return "no"
        if e1.event_date == e2.event_date:
            return "no" if both_named else "compatible"  # two events named alike on one day stay two
        return "different_date" if abs((e1.event_date - e2.event_date).days) <= date_conflict_days else "no"
    if e1.event_date is None and e2.event_date is None:
        r1, r2 = e1.reference_date, e2.reference_date
        near = r1 is None or r2 is None or abs((r1 - r2).days) <= undated_window_days
        return "compatible" if near else "no"
    dated, undated = (e1, e2) if e1.event_date is not None else (e2, e1)
    ref = undated.reference_date
    if ref is None or dated.is_planned:
        return "compatible"
    return "compatible" if 0 <= (ref - dated.event_date).days <= undated_window_days else "no"


@dataclass
class Claim:
    claim_id: str
    representative: int
    members: list[int]  # feature indexes; primary members first
    event_id: str | None
    label: str


def cluster_claims(features: list[SentenceFeatures], edges: dict[tuple[int, int], float], params: ClaimParams) -> list[Claim]:
    """Claims from scored candidate edges (steps 4 and 5 of the module docstring)."""
    parent = list(range(len(features)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(features))}
    events_of: dict[int, EventSet] = {i: _event_set(features, [i]) for i in range(len(features))}
    splits_of: dict[int, set] = {i: set() for i in range(len(features))}
    docs_of: dict[int, Counter] = {i: Counter([features[i].doc_id]) for i in range(len(features))}
    # linkage[r][q]: summed similarity of the scored pairs between groups r and q (every scored
    # pair is cross-document), kept up to date as groups merge (average linkage)
    linkage: dict[int, dict[int, float]] = defaultdict(dict)
    for (x, y), sxy in edges.items():
        linkage[x][y] = sxy
        linkage[y][x] = sxy

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    strong = sorted(((s, a, b) for (a, b), s in edges.items() if s >= params.similarity_threshold),
                    key=lambda t: (-t[0], t[1], t[2]))
    for s, a, b in strong:
        ra, rb = find(a), find(b)
        if ra == rb or len(members[ra]) + len(members[rb]) > params.max_claim_size:
            continue
        splits = _events_mergeable(events_of[ra], events_of[rb], splits_of[ra], splits_of[rb], s, params)
        if splits is None:
            continue
        # average similarity over all cross-document pairs of the two groups (unscored pairs: 0)
        n_cross = len(members[ra]) * len(members[rb]) - sum(n * docs_of[rb][d] for d, n in docs_of[ra].items())
        if n_cross and linkage[ra].get(rb, 0.0) / n_cross < params.min_average_similarity:
            continue
        parent[rb] = ra
        members[ra] = sorted(members[ra] + members.pop(rb))
        docs_of[ra] += docs_of.pop(rb)
        for q, sq in linkage.pop(rb).items():
            del linkage[q][rb]
            if q != ra:
                linkage[ra][q] = linkage[ra].get(q, 0.0) + sq
                linkage[q][ra] = linkage[ra][q]
        events_of[ra] = _union(events_of[ra], events_of.pop(rb))
        splits_of[ra] = splits
        splits_of.pop(rb)

    # secondary support: linked above threshold to a strict majority of another claim's members
    links: Counter = Counter()
    for s, a, b in strong:
        ra, rb = find(a), find(b)
        if ra != rb:
            links[(a, rb)] += 1
            links[(b, ra)] += 1
    secondary: dict[int, list[int]] = defaultdict(list)
    for (x, root), n in sorted(links.items()):
        group = members[root]
        if len(group) >= 2 and 2 * n > len(group) and _events_mergeable(
            events_of[root], _event_set(features, [x]), splits_of[root], set(), 0.0, params,
        ) is not None:
            secondary[root].append(x)
    secondary_members = {x for xs in secondary.values() for x in xs}

    centrality: Counter = Counter()  # summed similarity of a sentence to the rest of its group
    for (x, y), sxy in edges.items():
        if find(x) == find(y):
            centrality[x] += sxy
            centrality[y] += sxy
    claims = []
    for root in sorted(members):
        group = members[root]
        if len(group) == 1 and group[0] in secondary_members:
            continue  # its fact is already another claim's
        rep = max(group, key=lambda x: (centrality[x], -x))
        all_members = [rep] + [x for x in group if x != rep] + sorted(set(secondary[root]) - set(group))
        claims.append(Claim(
            claim_id=stable_id("claim", features[rep].sent_id),
            representative=rep,
            members=all_members,
            event_id=_claim_event(features, group),
            label=shorten(features[rep].text, params.label_chars),
        ))
    return claims


EventSet = dict[str, tuple[Event, bool]]  # event_id -> (event, some member names it itself)


def _event_set(features, group: list[int]) -> EventSet:
    """The events of a group's members (named, inherited from the article, or the article's
    stand-in), each with whether a member names it itself."""
    out: EventSet = {}
    for x in group:
        f = features[x]
        e = f.event or f.context_event or f.article_event
        if e is not None:
            eid = e.event_id
            out[eid] = (e, f.event is not None or (eid in out and out[eid][1]))
    return out


def _cross_splits(a: EventSet, b: EventSet, params: ClaimParams) -> set[tuple[str, str]] | None:
    """Pairs of events, one of each set, that are one kind of event on two dates; None when some
    pair cannot be one event."""
    splits = set()
    for ka in sorted(a):
        e1, named1 = a[ka]
        for kb in sorted(b):
            if kb == ka or kb in a:
                continue
            e2, named2 = b[kb]
            verdict = events_compatible(e1, e2, params.undated_window_days, params.date_conflict_days,
                                        both_named=named1 and named2)
            if verdict == "no":
                return None
            if verdict == "different_date":
                splits.add((min(ka, kb), max(ka, kb)))
    return splits


def _events_mergeable(a: EventSet, b: EventSet, splits_a: set, splits_b: set, edge_similarity: float,
                      params: ClaimParams) -> set[tuple[str, str]] | None:
    """The date splits of the merged group, or None if the two groups' events cannot be one
    claim's. One event reported with two dates is a date conflict: allowed once per claim, and
    only when introduced by a near-verbatim pair."""
    new = _cross_splits(a, b, params)
    if new is None:
        return None
    splits = splits_a | splits_b | new
    if len(splits) > 1 or (new - splits_a - splits_b and edge_similarity < params.date_conflict_similarity):
        return None
    return splits


def _union(a: EventSet, b: EventSet) -> EventSet:
    out = dict(a)
    for k, (e, named) in b.items():
        out[k] = (e, named or (k in out and out[k][1]))
    return out


def _claim_event(features, group: list[int]) -> str | None:
    counts = Counter()
    for x in group:
        e = features[x].context_event
        if e is not None:
            counts[(e.event_date is None, e.event_id)] += 1
    if not counts:
        return None
    # dated events first, then the most reported, then the id for a stable tie-break
    return min(counts, key=lambda k: (k[0], -counts[k], k[1]))[1]


def find_claims(features: list[SentenceFeatures], params: ClaimParams) -> tuple[list[Claim], dict[tuple[int, int], float], dict[str, float]]:
    """Claims over the content sentences; also the scored edges and IDF (for evidence similarity)."""
    idf = inverse_document_frequency(features)
    pairs = candidate_pairs(features, params.max_posting, params.min_shared_keys)
    edges = {
        (a, b): similarity(features[a], features[b], idf, params.weights, params.disjoint_persons_factor,
                           params.event_measure_similarity)
        for a, b in zip(pairs["a"].to_list(), pairs["b"].to_list())
    }
    return cluster_claims(features, edges, params), edges, idf
