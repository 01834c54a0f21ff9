"""The aggregate stage as one pure function: normalized tables in, aggregated tables out."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.agreement.claims import ClaimParams, build_features, find_claims, similarity
from pipeline.agreement.conflicts import build_statements, find_conflicts
from pipeline.agreement.events import find_events
from pipeline.agreement.frames import columns
from pipeline.agreement.scores import entity_coverage, near_duplicate_documents, source_agreement
from pipeline.schemas import CONFLICT_KINDS

INPUT_TABLES = ("articles", "sources", "sentences", "entities", "mentions", "quotes", "time_expressions", "quantities")
OUTPUT_TABLES = ("events", "claims", "claim_evidence", "conflicts", "source_agreement", "near_duplicates", "entity_coverage")


@dataclass(frozen=True)
class AggregateParams:
    """Every tunable of the stage; params.yaml `aggregate:` documents each key."""

    future_window: int = 6
    main_event_share: float = 0.5
    claims: ClaimParams = ClaimParams()
    quantity_tolerance: float = 0.15
    quote_similarity: float = 0.5
    shingle_size: int = 5
    n_bands: int = 16
    rows_per_band: int = 4
    near_duplicate_jaccard: float = 0.5

    @classmethod
    def from_dict(cls, p: dict) -> "AggregateParams":
        """From the params.yaml `aggregate:` block (missing keys keep their defaults)."""
        ev, cl, co, nd = (p.get(k) or {} for k in ("events", "claims", "conflicts", "near_duplicates"))
        defaults = ClaimParams()
        claims = ClaimParams(**{**defaults.__dict__, **cl, "weights": {**defaults.weights, **(cl.get("weights") or {})}})
        return cls(
            future_window=ev.get("future_window", cls.future_window),
            main_event_share=ev.get("main_event_share", cls.main_event_share),
            claims=claims,
            quantity_tolerance=co.get("quantity_tolerance", cls.quantity_tolerance),
            quote_similarity=co.get("quote_similarity", cls.quote_similarity),
            shingle_size=nd.get("shingle_size", cls.shingle_size),
            n_bands=nd.get("n_bands", cls.n_bands),
            rows_per_band=nd.get("rows_per_band", cls.rows_per_band),
            near_duplicate_jaccard=nd.get("min_jaccard", cls.near_duplicate_jaccard),
        )


def aggregate(t: dict[str, pl.DataFrame], params: AggregateParams) -> dict[str, pl.DataFrame]:
    """All aggregated tables from the input tables named in INPUT_TABLES."""
    articles, sentences = t["articles"], t["sentences"]
    events_df, sentence_events, events = find_events(
        sentences, t["mentions"], t["entities"], t["time_expressions"], articles,
        future_window=params.future_window, main_event_share=params.main_event_share,
    )
    features = build_features(
        sentences, articles, t["mentions"], t["quantities"], t["time_expressions"],
        sentence_events, events, params.claims.min_content_lemmas, params.claims.min_value_lemmas,
        person_ids=frozenset(t["entities"].filter(pl.col("type") == "person")["entity_id"]),
        quoted_sentences=frozenset(t["quotes"]["sent_id"]),
    )
    claims, edges, idf = find_claims(features, params.claims)

    evidence_rows = []
    claim_rows = []
    members_by_claim: dict[str, list[str]] = {}
    for c in claims:
        rep = features[c.representative]
        sent_ids = []
        for x in c.members:
            f = features[x]
            key = (min(x, c.representative), max(x, c.representative))
            sim = 1.0 if x == c.representative else edges.get(key)
            if sim is None:
                sim = similarity(f, rep, idf, params.claims.weights, params.claims.disjoint_persons_factor,
                                 params.claims.event_measure_similarity)
            evidence_rows.append((c.claim_id, f.doc_id, f.sent_id, f.source_id, round(min(max(sim, 0.0), 1.0), 6)))
            sent_ids.append(f.sent_id)
        members_by_claim[c.claim_id] = sent_ids
        docs = {features[x].doc_id for x in c.members}
        srcs = {features[x].source_id for x in c.members}
        claim_rows.append((c.claim_id, c.event_id, c.label, len(docs), len(srcs)))

    doc_of = {f.sent_id: f.doc_id for f in features}
    multi_doc = {cid: m for cid, m in members_by_claim.items() if len({doc_of[s] for s in m}) > 1}
    wanted = {s for m in multi_doc.values() for s in m}
    stated_dates = _stated_dates(t["time_expressions"], sentences, t["quotes"], wanted)
    person_ids = set(t["entities"].filter(pl.col("type") == "person")["entity_id"])
    statements = build_statements(
        sentences.filter(pl.col("sent_id").is_in(wanted)), t["quantities"], t["quotes"], stated_dates,
        t["mentions"].filter(pl.col("entity_id").is_in(person_ids)),
    )
    names = dict(zip(*columns(t["entities"], "entity_id", "name")))
    conflicts_df, stances = find_conflicts(multi_doc, statements, params.quantity_tolerance, params.quote_similarity, names)

    evidence = pl.DataFrame(
        [(*row, stances.get((row[0], row[2]), "supports")) for row in evidence_rows],
        schema={"claim_id": pl.Utf8, "doc_id": pl.Utf8, "sent_id": pl.Utf8, "source_id": pl.Utf8,
                "similarity": pl.Float64, "stance": pl.Utf8},
        orient="row",
    )
    claims_df = pl.DataFrame(claim_rows, schema={
        "claim_id": pl.Utf8, "event_id": pl.Utf8, "label": pl.Utf8, "n_docs": pl.Int64, "n_sources": pl.Int64,
    }, orient="row")

    doc_texts = _document_texts(sentences)
    dups = near_duplicate_documents(
        doc_texts, params.shingle_size, params.n_bands, params.rows_per_band, params.near_duplicate_jaccard,
    )
    source_of = articles.select("doc_id", "source_id")
    dups = (
        dups.join(source_of.rename({"doc_id": "doc_id_a", "source_id": "source_a"}), on="doc_id_a", how="left")
        .join(source_of.rename({"doc_id": "doc_id_b", "source_id": "source_b"}), on="doc_id_b", how="left")
    )
    all_sources = sorted(set(t["sources"]["source_id"]) | set(articles["source_id"]))
    agreement = source_agreement(all_sources, evidence, conflicts_df, dups)
    coverage = entity_coverage(t["mentions"], sentences, articles)
    return {
        "events": events_df, "claims": claims_df, "claim_evidence": evidence, "conflicts": conflicts_df,
        "source_agreement": agreement, "near_duplicates": dups, "entity_coverage": coverage,
    }


def _stated_dates(time_expressions: pl.DataFrame, sentences: pl.DataFrame, quotes: pl.DataFrame,
                  wanted: set[str]) -> dict[str, frozenset]:
    """The day dates each wanted sentence states itself (resolved, day precision), outside its
    quotations: a date lent by the document or by the article's event is not stated by the
    sentence, and "oggi" or "domani" inside a quotation is the speaker's day, not the fact's."""
    days = time_expressions.filter(
        (pl.col("granularity") == "day") & pl.col("value_date").is_not_null() & pl.col("sent_id").is_in(wanted)
    )
    text_of = dict(zip(*columns(sentences.filter(pl.col("sent_id").is_in(set(days["sent_id"]))), "sent_id", "text")))
    quoted: dict[str, list[tuple[int, int]]] = {}
    for sid, quote in zip(*columns(quotes.filter(pl.col("sent_id").is_in(set(text_of))), "sent_id", "text")):
        at = (text_of.get(sid) or "").find(quote or "\0")
        if at >= 0:
            quoted.setdefault(sid, []).append((at, at + len(quote)))
    out: dict[str, set] = {}
    for sid, value, start, end in zip(*columns(days, "sent_id", "value_date", "start", "end")):
        if not any(qs <= start and end <= qe for qs, qe in quoted.get(sid, ())):
            out.setdefault(sid, set()).add(value)
    return {sid: frozenset(v) for sid, v in out.items()}


def _document_texts(sentences: pl.DataFrame) -> dict[str, str]:
    texts = sentences.sort("doc_id", "sent_no").group_by("doc_id", maintain_order=True).agg(pl.col("text").str.join(" "))
    return dict(zip(*columns(texts, "doc_id", "text")))


def agreement_metrics(tables: dict[str, pl.DataFrame]) -> dict:
    """Headline figures for reports/agreement.json (`dvc metrics diff` shows how they move)."""
    claims, conflicts, agreement = tables["claims"], tables["conflicts"], tables["source_agreement"]
    shared = agreement.filter(pl.col("n_shared_claims") > 0)
    total_shared = int(shared["n_shared_claims"].sum()) if shared.height else 0
    by_kind = {k: conflicts.filter(pl.col("kind") == k).height for k in CONFLICT_KINDS}
    return {
        "n_events": tables["events"].height,
        "n_claims": claims.height,
        "n_multi_source_claims": int(claims.filter(pl.col("n_sources") > 1).height),
        "share_multi_source_claims": round(claims.filter(pl.col("n_sources") > 1).height / claims.height, 4) if claims.height else 0.0,
        "n_conflicts": conflicts.height,
        "conflicts_by_kind": by_kind,
        "n_source_pairs": agreement.height,
        "n_source_pairs_sharing": shared.height,
        "pooled_agreement_rate": round(int(shared["n_agreeing"].sum()) / total_shared, 4) if total_shared else None,
        "n_near_duplicate_pairs": tables["near_duplicates"].height,
    }
