"""The aggregate stage as one pure function: normalized tables in, aggregated tables out.

The steps, in order: read each sentence once (event words, dates, cues) and tokenize the
sentences that need words once (`nlp.text.token_table`); find events (`events`); build facts
(`facts`); match facts and sentences within events into claims (`matching`); find conflicts
(`conflicts`); score sources (`scores`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields

import polars as pl

from pipeline.agreement import events as ev
from pipeline.agreement.conflicts import ConflictParams, find_conflicts
from pipeline.agreement.facts import FACT_COLUMNS, FactParams, build_facts, sentence_speaker, UNCERTAIN_METHODS
from pipeline.agreement.matching import MatchParams, claim_id_of, fact_claims, fact_pairs, sentence_claims, sentence_pairs
from pipeline.agreement.scores import dissenters, entity_coverage, near_duplicate_documents, source_agreement
from pipeline.common import stable_id
from pipeline.nlp.text import shorten, token_table
from pipeline.schemas import CONFLICT_KINDS

INPUT_TABLES = ("articles", "sources", "sentences", "entities", "mentions", "quotes", "time_expressions", "quantities")
OUTPUT_TABLES = ("events", "facts", "claims", "claim_evidence", "conflicts", "source_agreement", "near_duplicates",
                 "entity_coverage")

# Sentences worth reading for events: an event word stem, a cue of another occasion, or a date.
EVENT_PREFILTER = (
    r"telefon|chiamat|videoc|colloqui|conversazion|interlocuz|incontr|vertic|summit|riunion|bilateral|visita|"
    r"funeral|esequie|camera ardente|mess[ae]|omelia|celebrazion|rosario|cerimoni|commemoraz|inaugura|insedia|"
    r"giurament|beatifica|canonizza|manifestaz|corte[oi]|fiaccolat|sit-in|protest|presidi|scioper|terremot|sism|"
    r"scoss|incident|schiant|croll|deraglia|naufrag|esplosion|incendi|alluvion|attacc|bombard|raid|attentat|"
    r"offensiv|strag|incursion|process|udienz|sentenz|elezion|votazion|referendum|ballottagg|scrutin|conclave|"
    r"primarie|voto|partit|derby|discors|comizi|conferenza stampa|intervist|concert|festival|precedent|scors|"
    r"prossim|domani|passat|successiv|futur|quell[ao] d|dopo quell|in programma|si terr|si svolger|previst|"
    r"giorni fa|settimane fa|mesi fa|anni fa|ultima volta|in precedenza"
)


@dataclass(frozen=True)
class NearDuplicateParams:
    shingle_size: int = 5
    n_bands: int = 64
    rows_per_band: int = 3
    min_jaccard: float = 0.3


@dataclass(frozen=True)
class AggregateParams:
    """Every tunable of the stage; params.yaml `aggregate:` documents each key."""

    events: ev.EventParams = ev.EventParams()
    facts: FactParams = FactParams()
    matching: MatchParams = MatchParams()
    conflicts: ConflictParams = ConflictParams()
    near_duplicates: NearDuplicateParams = NearDuplicateParams()

    @classmethod
    def from_dict(cls, p: dict) -> "AggregateParams":
        """From the params.yaml `aggregate:` block (missing keys keep their defaults; unknown keys are an error)."""
        parts = {}
        for f in fields(cls):
            block = dict(p.get(f.name) or {})
            known = {x.name for x in fields(f.default)}
            unknown = set(block) - known
            if unknown:
                raise ValueError(f"aggregate.{f.name}: unknown keys {sorted(unknown)}")
            default = f.default
            if f.name == "conflicts" and "kind_factors" in block:
                block["kind_factors"] = {**default.kind_factors, **block["kind_factors"]}
            parts[f.name] = type(default)(**{**default.__dict__, **block})
        return cls(**parts)


def aggregate(t: dict[str, pl.DataFrame], params: AggregateParams) -> dict[str, pl.DataFrame]:
    """All aggregated tables from the input tables named in INPUT_TABLES."""
    articles = t["articles"]
    sentences = (
        t["sentences"].select("sent_id", "doc_id", "sent_no", "text")
        .join(articles.select("doc_id", "source_id", "published_date"), on="doc_id", how="left")
        .with_columns(pl.col("source_id").fill_null(pl.col("doc_id")))
        .sort("doc_id", "sent_no", "sent_id")
        .with_row_index("sid")
    )
    sid_of = dict(zip(sentences["sent_id"].to_list(), sentences["sid"].to_list()))
    # A publication date the parser guessed from the rest of the corpus ("corpus") may be another
    # event's date: for telling events apart it counts as unknown.
    known = articles.with_columns(
        pl.when(pl.col("published_date_source") == "corpus").then(None).otherwise(pl.col("published_date"))
        .alias("published_date")) if "published_date_source" in articles.columns else articles
    published = dict(zip(known["doc_id"].to_list(), known["published_date"].to_list()))
    entity_types = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["type"].to_list()))
    names = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["name"].to_list()))

    # --- read each sentence once: entities, dates, event words and cues ---
    certain = t["mentions"].filter(~pl.col("is_uncertain") & ~pl.col("method").is_in(list(UNCERTAIN_METHODS)))
    by_type: dict[str, dict[int, list[tuple[int, str]]]] = {"person": defaultdict(list), "place": defaultdict(list)}
    person_spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for sent_id, start, end, eid in zip(*(certain[c].to_list() for c in ("sent_id", "start", "end", "entity_id"))):
        sid, etype = sid_of.get(sent_id), entity_types.get(eid)
        if sid is None or etype not in by_type:
            continue
        by_type[etype][sid].append((start, eid))
        if etype == "person":
            person_spans[sid].append((start, end, eid))
    days = t["time_expressions"].filter((pl.col("granularity") == "day") & pl.col("value_date").is_not_null())
    dates_of: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for sent_id, start, value in zip(*(days[c].to_list() for c in ("sent_id", "start", "value_date"))):
        if sent_id in sid_of:
            dates_of[sid_of[sent_id]].append((start, value))
    months = t["time_expressions"].filter((pl.col("granularity") == "month") & pl.col("value_date").is_not_null())
    months_of: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for sent_id, start, value in zip(*(months[c].to_list() for c in ("sent_id", "start", "value_date"))):
        if sent_id in sid_of:
            months_of[sid_of[sent_id]].append((start, value))
    lead = sentences.filter(pl.int_range(pl.len()).over("doc_id") < params.events.lead_sentences)
    to_read = sentences.filter(
        pl.col("text").str.to_lowercase().str.contains(EVENT_PREFILTER) | pl.col("sid").is_in(list(dates_of)) | pl.col("sid").is_in(list(months_of))
    )
    readings = {sid: ev.read_sentence(text or "", sorted(dates_of.get(sid, [])), sorted(months_of.get(sid, [])))
                for sid, text in zip(to_read["sid"].to_list(), to_read["text"].to_list())}

    # --- events: frames of the articles, clustered; then each sentence's event ---
    lead_tokens = token_table(lead["text"], lead["sid"])
    doc_of_sid = dict(zip(sentences["sid"].to_list(), sentences["doc_id"].to_list()))
    terms_of_doc: dict[str, set[str]] = defaultdict(set)
    for sid, term in zip(*(lead_tokens.filter(pl.col("term").is_not_null())[c].to_list() for c in ("sid", "term"))):
        terms_of_doc[doc_of_sid[sid]].add(term)
    phone_docs = set(sentences.filter(pl.col("text").str.to_lowercase().str.contains(r"telefon|cornetta"))["doc_id"].to_list())
    frames = ev.document_frames(sentences, readings, published, by_type["person"], by_type["place"],
                                {d: frozenset(v) for d, v in terms_of_doc.items()}, params.events.lead_sentences,
                                phone_docs)
    clusters, cluster_of_doc = ev.cluster_documents(frames, params.events)

    relation, event_of_sid = {}, {}
    statements = []
    speakers = _certain_speakers(t["quotes"], sentences, certain, sid_of)
    for sid, doc, text in zip(*(sentences[c].to_list() for c in ("sid", "doc_id", "text"))):
        f, c = frames[doc], cluster_of_doc[doc]
        rel = ev.sentence_relation(readings.get(sid), f.kind, f.date, f.is_planned)
        relation[sid] = rel
        if rel == "main":
            event_of_sid[sid] = c.event_id
            continue
        speaker = speakers.get(sid) or sentence_speaker(text or "", person_spans.get(sid, []))
        r = readings.get(sid)
        if speaker and not (r and r.dates):
            statements.append((doc, sid, speaker, frozenset(p for _, p in by_type["place"].get(sid, ()))))
    statement_of = ev.statement_clusters(statements, published, params.events.undated_window_days)
    for sid, c in statement_of.items():
        event_of_sid[sid] = c.event_id
    statement_ids = {c.event_id for c in statement_of.values()}
    all_clusters = {c.event_id: c for c in clusters}
    all_clusters.update({c.event_id: c for c in statement_of.values()})
    sentences = sentences.with_columns(
        pl.Series("event_id", [event_of_sid.get(s) for s in sentences["sid"].to_list()], dtype=pl.Utf8))

    # --- tokens of the sentences of events reported by two or more articles (once each) ---
    multi = {eid for eid, c in all_clusters.items() if len(set(c.docs)) > 1}
    in_multi = sentences.filter(pl.col("event_id").is_in(list(multi)))
    rest = in_multi.filter(~pl.col("sid").is_in(lead["sid"].implode()))
    tokens = pl.concat([lead_tokens.filter(pl.col("sid").is_in(in_multi["sid"].implode())), token_table(rest["text"], rest["sid"])])

    # --- facts, claims, conflicts ---
    kinds = {eid: c.kind for eid, c in all_clusters.items()}
    surface_of = {(sid_of[s], st): (surface, rel) for s, st, surface, rel in zip(
        *(days[c].to_list() for c in ("sent_id", "start", "surface", "is_relative"))) if s in sid_of}
    event_dates = []
    for f in frames.values():
        if f.date_at is not None:
            surface, relative = surface_of.get(f.date_at, ("?", False))
            event_dates.append((*f.date_at, surface, f.date, relative))
    facts = build_facts(sentences, t["quantities"], t["quotes"], t["mentions"], entity_types, kinds, tokens, params.facts,
                        event_dates)
    # how surely each fact's sentence belongs to its event: by the date its article gives, by its
    # words (an undated or misdated article), or by its speaker (a statement event)
    doc_basis = {d: ("content" if d in c.joined_by_words else c.identified_by) for d, c in cluster_of_doc.items()}
    basis = pl.DataFrame({"doc_id": list(doc_basis), "basis": list(doc_basis.values())},
                         schema={"doc_id": pl.Utf8, "basis": pl.Utf8})
    facts = facts.join(basis, on="doc_id", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("event_id").is_in(list(statement_ids))).then(pl.lit("speaker"))
        .otherwise(pl.col("basis").fill_null("article")).alias("basis"))
    pairs = fact_pairs(facts, params.matching)
    fact_claim_key = fact_claims(facts, pairs)
    claim_of_fact = {f: claim_id_of(k) for f, k in fact_claim_key.items()}
    conflicts = find_conflicts(pairs, facts, claim_of_fact, names, params.conflicts)

    fact_sids = set(facts.filter(pl.col("is_comparable"))["sid"].to_list())
    plain = in_multi.filter(~pl.col("sid").is_in(list(fact_sids)))
    spairs = sentence_pairs(tokens, plain, params.matching)
    sentence_root, best_sim = sentence_claims(spairs, doc_of_sid)

    evidence, claims = _claims_and_evidence(sentences, facts, claim_of_fact, sentence_root, best_sim, conflicts,
                                            params.matching.label_chars)
    facts_out = facts.select(list(FACT_COLUMNS))

    doc_texts = _document_texts(sentences)
    nd = params.near_duplicates
    dups = near_duplicate_documents(doc_texts, nd.shingle_size, nd.n_bands, nd.rows_per_band, nd.min_jaccard)
    source_of = articles.select("doc_id", "source_id")
    dups = (
        dups.join(source_of.rename({"doc_id": "doc_id_a", "source_id": "source_a"}), on="doc_id_a", how="left")
        .join(source_of.rename({"doc_id": "doc_id_b", "source_id": "source_b"}), on="doc_id_b", how="left")
    )
    all_sources = sorted(set(t["sources"]["source_id"].to_list()) | set(articles["source_id"].to_list()))
    agreement = source_agreement(all_sources, evidence, conflicts.filter(pl.col("status") == "confirmed"), dups)
    coverage = entity_coverage(t["mentions"], t["sentences"], articles)
    events_df = _events_table(all_clusters, names)
    return {
        "events": events_df, "facts": facts_out, "claims": claims, "claim_evidence": evidence,
        "conflicts": conflicts, "source_agreement": agreement, "near_duplicates": dups, "entity_coverage": coverage,
    }


def _certain_speakers(quotes: pl.DataFrame, sentences: pl.DataFrame, certain: pl.DataFrame,
                      sid_of: dict[str, int]) -> dict[int, str]:
    """sid -> the speaker of a quotation in it, when a certain mention of that speaker stands in
    the sentence outside the quoted words."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for sent_id, eid, s, e in zip(*(certain[c].to_list() for c in ("sent_id", "entity_id", "start", "end"))):
        spans[(sent_id, eid)].append((s, e))
    text_of = dict(zip(sentences["sent_id"].to_list(), sentences["text"].to_list()))
    out = {}
    q = quotes.filter(pl.col("speaker_entity_id").is_not_null())
    for sent_id, qtext, speaker in zip(*(q[c].to_list() for c in ("sent_id", "text", "speaker_entity_id"))):
        text = text_of.get(sent_id) or ""
        at = text.find(qtext or "\0")
        if at >= 0 and any(e <= at or s >= at + len(qtext) for s, e in spans.get((sent_id, speaker), ())):
            out.setdefault(sid_of[sent_id], speaker)
    return out


EVIDENCE_SCHEMA = {"claim_id": pl.Utf8, "doc_id": pl.Utf8, "sent_id": pl.Utf8, "source_id": pl.Utf8,
                   "similarity": pl.Float64, "stance": pl.Utf8}
CLAIM_SCHEMA = {"claim_id": pl.Utf8, "event_id": pl.Utf8, "label": pl.Utf8, "n_docs": pl.Int64,
                "n_sources": pl.Int64, "measure": pl.Utf8}


def _claims_and_evidence(sentences, facts, claim_of_fact, sentence_root, best_sim, conflicts, label_chars):
    text_of = dict(zip(sentences["sid"].to_list(), sentences["text"].to_list()))
    meta = {sid: (sent, doc, src, e) for sid, sent, doc, src, e in zip(
        *(sentences[c].to_list() for c in ("sid", "sent_id", "doc_id", "source_id", "event_id")))}
    members: dict[str, dict[int, float]] = defaultdict(dict)
    claim_event, claim_measure = {}, {}
    for fid, sid, measure, eid in zip(*(facts[c].to_list() for c in ("fact_id", "sid", "measure", "event_id"))):
        cid = claim_of_fact[fid]
        members[cid][sid] = 1.0
        claim_event[cid], claim_measure[cid] = eid, measure
    for sid, root in sentence_root.items():
        cid = claim_id_of(f"sentences:{meta[root][0]}")
        members[cid][sid] = round(min(max(best_sim.get(sid, 1.0), 0.0), 1.0), 6)
        claim_event[cid], claim_measure[cid] = meta[sid][3], None
    confirmed = conflicts.filter(pl.col("status") == "confirmed")
    losers: set[tuple[str, str]] = set()
    by_claim = defaultdict(list)
    for cid, a, b in zip(*(confirmed[c].to_list() for c in ("claim_id", "sent_id_a", "sent_id_b"))):
        by_claim[cid].append((a, b))
    ev_rows, claim_rows = [], []
    for cid in sorted(members):
        sids = sorted(members[cid])
        rep = sids[0]
        for x in dissenters(by_claim.get(cid, []), representative=meta[rep][0]):
            losers.add((cid, x))
        for sid in sids:
            sent, doc, src, _ = meta[sid]
            ev_rows.append((cid, doc, sent, src, members[cid][sid], "conflicts" if (cid, sent) in losers else "supports"))
        measure = claim_measure[cid]
        label = shorten(text_of[rep] or "", label_chars)
        claim_rows.append((cid, claim_event[cid], f"{measure}: {label}" if measure else label,
                           len({meta[s][1] for s in sids}), len({meta[s][2] for s in sids}), measure))
    evidence = pl.DataFrame(ev_rows, schema=EVIDENCE_SCHEMA, orient="row")
    evidence = evidence.unique(["claim_id", "sent_id"], keep="first", maintain_order=True)
    return evidence, pl.DataFrame(claim_rows, schema=CLAIM_SCHEMA, orient="row")


def _events_table(clusters: dict[str, ev.Cluster], names: dict[str, str]) -> pl.DataFrame:
    rows = [{
        "event_id": eid, "event_date": c.date, "label": ev.event_label(c, names), "n_docs": len(set(c.docs)),
        "event_type": c.kind, "is_planned": c.planned_votes > 0 and c.kind != ev.STATEMENT_KIND,
        "identified_by": c.identified_by,
    } for eid, c in sorted(clusters.items())]
    return pl.DataFrame(rows, schema={
        "event_id": pl.Utf8, "event_date": pl.Date, "label": pl.Utf8, "n_docs": pl.Int64, "event_type": pl.Utf8,
        "is_planned": pl.Boolean, "identified_by": pl.Utf8,
    })


def _document_texts(sentences: pl.DataFrame) -> dict[str, str]:
    texts = sentences.sort("doc_id", "sent_no").group_by("doc_id", maintain_order=True).agg(pl.col("text").str.join(" "))
    return dict(zip(texts["doc_id"].to_list(), texts["text"].to_list()))


def agreement_metrics(tables: dict[str, pl.DataFrame]) -> dict:
    """Headline figures for reports/agreement.json (`dvc metrics diff` shows how they move).
    Conflict counts and rates are of confirmed conflicts; to-check pairs are counted apart."""
    claims, conflicts, agreement = tables["claims"], tables["conflicts"], tables["source_agreement"]
    confirmed = conflicts.filter(pl.col("status") == "confirmed")
    shared = agreement.filter(pl.col("n_shared_claims") > 0)
    total_shared = int(shared["n_shared_claims"].sum()) if shared.height else 0
    events = tables["events"]
    multi = claims.filter(pl.col("n_sources") > 1).height
    return {
        "n_events": events.height,
        "n_events_by_identification": {k: events.filter(pl.col("identified_by") == k).height
                                       for k in ("date", "content", "speaker", "article")},
        "n_facts": tables["facts"].height,
        "n_claims": claims.height,
        "n_multi_source_claims": multi,
        "share_multi_source_claims": round(multi / claims.height, 4) if claims.height else 0.0,
        "n_conflicts": confirmed.height,
        "n_conflicts_to_check": conflicts.height - confirmed.height,
        "conflicts_by_kind": {k: confirmed.filter(pl.col("kind") == k).height for k in CONFLICT_KINDS},
        "n_source_pairs": agreement.height,
        "n_source_pairs_sharing": shared.height,
        "pooled_agreement_rate": round(int(shared["n_agreeing"].sum()) / total_shared, 4) if total_shared else None,
        "n_near_duplicate_pairs": tables["near_duplicates"].height,
    }
