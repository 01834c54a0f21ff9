"""The aggregate stage as one pure function: normalized tables in, aggregated tables out.

The steps, in order: read each sentence once (event words, dates, cues) and tokenize the
sentences that need words once (`nlp.text.token_table`); find events (`events`); then, per group
of whole events (`event_partitions`, `compare_events`, on the execution engine): build facts
(`facts`), match facts and sentences within events into claims (`matching`), find conflicts
(`conflicts`); last, score sources (`scores`) over all groups' claims.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.agreement import events as ev
from pipeline.agreement.conflicts import ConflictParams, find_conflicts
from pipeline.agreement.facts import FACT_COLUMNS, FactParams, build_facts, sentence_speaker, UNCERTAIN_METHODS
from pipeline.agreement.matching import (WHOLE_SCOPES, MatchParams, claim_id_of, claimed_sentences, fact_claims,
                                         fact_pairs, sentence_claims, sentence_pairs, term_idf)
from pipeline.agreement.scores import (dissenters, entity_coverage, near_duplicate_pairs, shingles, shingles_of_documents,
                                      source_agreement, word_hash)
from pipeline.execution import DaskEngine, ExecutionSettings, LocalEngine, concat_partitions, partition_frames
from pipeline.nlp.text import shorten, token_table, token_table_unsure_chars
from pipeline.nlp.italian import MONTHS
from pipeline.schemas import CONFLICT_KINDS, TABLES, WEEKDAYS

INPUT_TABLES = ("articles", "sources", "blocks", "sentences", "entities", "mentions", "quotes", "time_expressions", "quantities")
# The columns read of the inputs with more than the stage needs (a block's text is its sentences').
INPUT_COLUMNS = {"articles": ["doc_id", "source_id", "published_date", "published_date_source"],
                 "blocks": ["doc_id", "block_no", "kind"]}
OUTPUT_TABLES = ("events", "facts", "claims", "claim_evidence", "conflicts", "source_agreement", "near_duplicates",
                 "entity_coverage")

# Blocks whose sentences may open an article's text (its lead): not sections, bylines or page residue.
LEAD_BLOCK_KINDS = ("title", "subtitle", "heading", "paragraph")
YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
DAY_MONTH_RE = re.compile(r"\b\d{1,2}(?:°|º)?\s+(?:" + "|".join(MONTHS) + r")\b|\b(?:primo|1°)\s+(?:" + "|".join(MONTHS) + r")\b",
                          re.IGNORECASE)

# Sentences worth reading for events: an event word stem, a cue of another occasion, or a date.
EVENT_PREFILTER = (
    r"telefon|chiamat|videoc|colloqui|conversazion|interlocuz|incontr|vertic|summit|riunion|bilateral|visita|"
    r"funeral|esequie|camera ardente|mess[ae]|omelia|celebrazion|rosario|cerimoni|commemoraz|inaugura|insedia|"
    r"giurament|beatifica|canonizza|manifestaz|corte[oi]|fiaccolat|sit-in|protest|presidi|scioper|terremot|sism|"
    r"scoss|repliche|incident|schiant|croll|deraglia|naufrag|esplosion|incendi|alluvion|attacc|bombard|raid|attentat|"
    r"offensiv|strag|incursion|process|udienz|sentenz|elezion|votazion|referendum|ballottagg|scrutin|conclave|"
    r"primarie|voto|partit|derby|discors|comizi|conferenza stampa|intervist|concert|festival|precedent|scors|"
    r"prossim|domani|passat|successiv|futur|quell[ao] d|dopo quell|in programma|si terr|si svolger|previst|"
    r"giorni fa|settimane fa|mesi fa|anni fa|ultima volta|in precedenza|faccia a faccia|le braccia|astensione dal lavoro|votato|esibit|droni|ultimo saluto|estremo saluto|ultimo addio|estremo addio"
)


@dataclass(frozen=True)
class NearDuplicateParams:
    shingle_size: int = 5
    n_bands: int = 64
    rows_per_band: int = 3
    min_jaccard: float = 0.3


@dataclass(frozen=True)
class AggregateParams:
    """Every tunable of the stage; params.yaml `aggregate:` documents each key (loaded by
    `common.settings_from_params`)."""

    events: ev.EventParams = ev.EventParams()
    facts: FactParams = FactParams()
    matching: MatchParams = MatchParams()
    conflicts: ConflictParams = ConflictParams()
    near_duplicates: NearDuplicateParams = NearDuplicateParams()


def aggregate(t: dict[str, pl.DataFrame], params: AggregateParams,
              engine: LocalEngine | DaskEngine | None = None) -> dict[str, pl.DataFrame]:
    """All aggregated tables from the input tables named in INPUT_TABLES.

    What needs the whole corpus runs first (`find_events`): reading the sentences, the IDF of
    their terms, the document frames and their clustering into events, near-duplicates, each
    sentence's event. Facts, claims and conflicts are then made per group of whole events
    (`compare_events`, on `engine`'s partitions; default: in this process, in one group), and the
    source-level tables from their concatenation. The tables do not depend on the grouping.
    """
    engine = engine or LocalEngine(ExecutionSettings(partition_docs=ONE_PARTITION))
    # the frames, readings and clusters of the events step are gone once it returns: the per-event
    # work runs without them (at 100,000 files they are more than a gigabyte of Python objects)
    found = find_events(t, params)
    entity_types = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["type"].to_list()))
    names = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["name"].to_list()))

    # --- facts, claims, conflicts: one task per group of whole events ---
    parts = event_partitions(found.sentences, found.tokens, t["quantities"], t["quotes"], t["mentions"],
                             found.event_dates, engine.settings.partition_docs)
    idf, kinds, events_df, dups = found.idf, found.kinds, found.events, found.near_duplicates
    del found
    results = engine.map_partitions(compare_events, parts, desc="aggregate events", entity_types=entity_types,
                                    event_kinds=kinds, names=names, idf=idf, params=params)
    del parts
    per_event = concat_partitions(results)
    facts_out, conflicts = per_event["facts"], per_event["conflicts"]
    evidence, claims = per_event["claim_evidence"], per_event["claims"]

    articles = t["articles"]
    source_of = articles.select("doc_id", "source_id")
    dups = (
        dups.join(source_of.rename({"doc_id": "doc_id_a", "source_id": "source_a"}), on="doc_id_a", how="left")
        .join(source_of.rename({"doc_id": "doc_id_b", "source_id": "source_b"}), on="doc_id_b", how="left")
    )
    all_sources = sorted(set(t["sources"]["source_id"].to_list()) | set(articles["source_id"].to_list()))
    agreement = source_agreement(all_sources, evidence, conflicts.filter(pl.col("status") == "confirmed"), dups)
    coverage = entity_coverage(t["mentions"], t["sentences"], articles)
    return {
        "events": events_df, "facts": facts_out, "claims": claims, "claim_evidence": evidence,
        "conflicts": conflicts, "source_agreement": agreement, "near_duplicates": dups, "entity_coverage": coverage,
    }


@dataclass
class FoundEvents:
    """What the per-event work needs of `find_events`: the sentences with their event (event_id,
    _doc_event_id, is_compared, basis), the tokens of the compared ones, the corpus IDF of terms,
    the date each article gives its event (EVENT_DATE_SCHEMA), each event's kind, the events table
    and the near-duplicate pairs."""

    sentences: pl.DataFrame
    tokens: pl.DataFrame
    idf: pl.DataFrame
    event_dates: pl.DataFrame
    kinds: dict[str, str]
    events: pl.DataFrame
    near_duplicates: pl.DataFrame


def find_events(t: dict[str, pl.DataFrame], params: AggregateParams) -> FoundEvents:
    """The events of the corpus and each sentence's event (`aggregate`'s first step)."""
    articles = t["articles"]
    sentences = (
        t["sentences"].select("sent_id", "doc_id", "block_no", "sent_no", "text")
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
    corpus_day_month = {d: (p.month, p.day) for d, p in zip(articles["doc_id"].to_list(), articles["published_date"].to_list())
                        if p is not None and published.get(d) is None}
    entity_types = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["type"].to_list()))
    names = dict(zip(t["entities"]["entity_id"].to_list(), t["entities"]["name"].to_list()))

    # --- read each sentence once: entities, dates, event words and cues ---
    certain = t["mentions"].filter(~pl.col("is_uncertain") & ~pl.col("method").is_in(list(UNCERTAIN_METHODS)))
    by_type: dict[str, dict[int, list[tuple[int, str]]]] = {"person": defaultdict(list), "place": defaultdict(list)}
    person_spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    # who an article is about: certain links, and a bare surname the corpus names in full elsewhere
    # (not certain enough to credit a quotation, enough to say whose call it reports)
    identity = t["mentions"].filter(~pl.col("is_uncertain") & (
        ~pl.col("method").is_in(list(UNCERTAIN_METHODS)) | (pl.col("method") == "surname_in_corpus")))
    for sent_id, start, end, eid, method in zip(*(identity[c].to_list() for c in ("sent_id", "start", "end", "entity_id", "method"))):
        sid, etype = sid_of.get(sent_id), entity_types.get(eid)
        if sid is None or etype not in by_type:
            continue
        by_type[etype][sid].append((start, eid))
        if etype == "person" and method not in UNCERTAIN_METHODS:
            person_spans[sid].append((start, end, eid))
    # publication dates: one the parser guessed from the rest of the corpus is unknown; one it read
    # from the text (maybe another occasion's date) is a prior, never an anchor
    source_of_date = dict(zip(articles["doc_id"].to_list(), articles["published_date_source"].to_list())) \
        if "published_date_source" in articles.columns else {}
    weak_published = {d for d, src in source_of_date.items() if src == "text"}
    unanchored = {d for d, src in source_of_date.items() if src in ("text", "corpus")} | {
        d for d in sentences["doc_id"].unique().to_list() if published.get(d) is None}
    te = t["time_expressions"].filter(pl.col("sent_id").is_in(sentences["sent_id"].implode()))
    days = te.filter((pl.col("granularity") == "day") & pl.col("value_date").is_not_null())
    # a publication date read from the text anchors the article's relative dates unless the text
    # states that day for another occasion ("il corteo del 9 luglio si era svolto…"): then it may
    # be that occasion's date, not the page's
    weak_published = _text_dates_of_other_occasions(days, sentences, weak_published, published, sid_of)
    unanchored = {d for d in unanchored if source_of_date.get(d) != "text" or d in weak_published}
    dates_of: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    guessed_dates: dict[tuple[int, int], tuple[int, int] | None] = {}
    for doc, sent_id, start, value, surface in zip(*(days[c].to_list() for c in ("doc_id", "sent_id", "start", "value_date", "surface"))):
        sid = sid_of[sent_id]
        dates_of[sid].append((start, value))
        if doc in unanchored and not YEAR_RE.search(surface or ""):
            # its year (or its day, for "ieri") rests on a guessed anchor: the day and month only if named
            guessed_dates[(sid, start)] = (value.month, value.day) if DAY_MONTH_RE.search(surface or "") else None
    months = te.filter(pl.col("granularity") == "month")
    months_of: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    month_names: dict[int, list[int]] = defaultdict(list)
    for doc, sent_id, start, value, surface in zip(*(months[c].to_list() for c in ("doc_id", "sent_id", "start", "value_date", "surface"))):
        sid = sid_of[sent_id]
        if value is not None and not (doc in unanchored and not YEAR_RE.search(surface or "")):
            months_of[sid].append((start, value))
        month = value.month if value is not None else MONTHS.get((surface or "").strip().lower().split(" ")[-1])
        if month:
            month_names[sid].append(month)
    weekday_of: dict[int, int] = {}
    named_days = te.filter(pl.col("stated_weekday").is_not_null())
    for doc, sent_id, value, weekday in zip(*(named_days[c].to_list() for c in ("doc_id", "sent_id", "value_date", "stated_weekday"))):
        if (value is None or doc in unanchored) and weekday in WEEKDAYS:
            weekday_of.setdefault(sid_of[sent_id], WEEKDAYS.index(weekday))
    # the lead: the first sentences of the article's text (page headers, bylines, residue skipped)
    if "blocks" in t:
        text_blocks = t["blocks"].filter(pl.col("kind").is_in(list(LEAD_BLOCK_KINDS))).select("doc_id", "block_no")
        in_text = sentences.join(text_blocks, on=["doc_id", "block_no"], how="semi")
    else:
        in_text = sentences
    lead = in_text.filter(pl.int_range(pl.len()).over("doc_id") < params.events.lead_sentences).select("doc_id", "sid")
    del in_text
    lead_of: dict[str, list[int]] = defaultdict(list)
    for doc, sid in zip(lead["doc_id"].to_list(), lead["sid"].to_list()):
        lead_of[doc].append(sid)
    to_read = sentences.filter(
        pl.col("text").str.to_lowercase().str.contains(EVENT_PREFILTER) | pl.col("sid").is_in(list(dates_of))
        | pl.col("sid").is_in(list(months_of))
    ).select("sid", "text")
    readings = {}
    read_once: dict[tuple, ev.SentenceReading] = {}  # a sentence repeated with its dates (wire copies) is read once
    for sid, text in zip(to_read["sid"].to_list(), to_read["text"].to_list()):
        key = (text or "", tuple(sorted(dates_of.get(sid, []))), tuple(sorted(months_of.get(sid, []))))
        reading = read_once.get(key)
        if reading is None:
            reading = read_once[key] = ev.read_sentence(key[0], list(key[1]), list(key[2]))
        readings[sid] = reading
    del read_once, to_read

    # --- every sentence tokenized once ---
    tokens = token_table(sentences["text"], sentences["sid"])
    idf = term_idf(tokens)

    # --- events: frames of the articles, clustered; then each sentence's event ---
    lead_terms = tokens.filter(pl.col("term").is_not_null() & pl.col("sid").is_in(lead["sid"].implode())) \
        .join(sentences.select("sid", "doc_id"), on="sid").select("doc_id", "term")
    terms_of_doc = _term_sets(lead_terms)
    del lead_terms, lead
    phone_docs = set(sentences.filter(pl.col("text").str.to_lowercase().str.contains(r"telefon|cornetta"))["doc_id"].to_list())
    frames = ev.document_frames(sentences, readings, published, by_type["person"], by_type["place"],
                                terms_of_doc, params.events.lead_sentences, phone_docs,
                                guessed_dates=guessed_dates, weekday_of=weekday_of, month_names=month_names,
                                weak_published=weak_published, lead_of=lead_of,
                                published_day_month=corpus_day_month)
    # what each article says about its own event: the terms and figures of its sentences about it
    # (a sentence without a reading has no event word, date or cue: it is about its article's event)
    read = sentences.filter(pl.col("sid").is_in(list(readings))).select("sid", "doc_id", "text")
    other_sids = [sid for sid, doc in zip(read["sid"].to_list(), read["doc_id"].to_list())
                 if ev.sentence_relation(readings[sid], frames[doc].kind, frames[doc].date, frames[doc].is_planned) != "main"]
    main = sentences.select("sid", "doc_id", "sent_id").filter(~pl.col("sid").is_in(other_sids))
    figures = (t["quantities"].select("sent_id", "kind", "low").filter(pl.col("low").is_not_null())
               .join(main.select("sent_id", "doc_id"), on="sent_id")
               .select("doc_id", pl.format("#{}:{}", pl.col("kind"), pl.col("low").round(2)).cast(pl.Categorical).alias("term")))
    content = pl.concat([
        tokens.filter(pl.col("term").is_not_null()).select("sid", "term").join(main.select("sid", "doc_id"), on="sid").select("doc_id", "term"),
        figures,
    ])
    for doc, terms in _term_sets(content).items():
        frames[doc].content = terms
    del content, figures, main
    nd = params.near_duplicates
    doc_ids, doc_shingles = _document_shingles(sentences, tokens, nd.shingle_size)
    dups = near_duplicate_pairs(doc_ids, doc_shingles, nd.n_bands, nd.rows_per_band, nd.min_jaccard)
    del doc_shingles
    near: dict[str, set[str]] = defaultdict(set)
    for x, y in zip(dups["doc_id_a"].to_list(), dups["doc_id_b"].to_list()):
        near[x].add(y)
        near[y].add(x)
    clusters, cluster_of_doc = ev.cluster_documents(frames, params.events, near)

    # each sentence is its article's event's unless its reading points to another occasion: only the
    # sentences read are looked at; event_of_sid holds the event (or None) of those pointing elsewhere
    event_of_sid: dict[int, str | None] = {}
    statements = []
    speakers = _certain_speakers(t["quotes"], sentences, certain, sid_of)
    references = ev.ReferenceIndex(clusters, params.events.reference_window_days)
    own_date_sids = {at[0] for f in frames.values() for at in (f.date_at, f.day_month_at) if at is not None}
    referred_docs: dict[int, str] = {}
    for sid, doc, text in zip(*(read[c].to_list() for c in ("sid", "doc_id", "text"))):
        if sid in own_date_sids:
            continue  # the article's own dating, even when it differs from the event's (a misdating)
        f, c = frames[doc], cluster_of_doc[doc]
        r = readings[sid]
        if ev.sentence_relation(r, f.kind, f.date or c.date, f.is_planned) == "main":
            continue
        event_of_sid[sid] = None
        # a sentence about another occasion that names its day or month: that occasion's event, if one is known
        other = references.find(r, sid, f, c, guessed_dates, month_names.get(sid, ()), text or "") \
            if (r.dates or sid in month_names) else None
        if other is not None:
            event_of_sid[sid] = other.event_id
            referred_docs[sid] = doc
            continue
        speaker = speakers.get(sid) or sentence_speaker(text or "", person_spans.get(sid, []))
        if speaker and not r.dates:
            statements.append((doc, sid, speaker, frozenset(p for _, p in by_type["place"].get(sid, ()))))
    statement_of = ev.statement_clusters(statements, published, params.events.undated_window_days)
    for sid, c in statement_of.items():
        event_of_sid[sid] = c.event_id
    statement_ids = {c.event_id for c in statement_of.values()}
    referred_events = {event_of_sid[sid] for sid in referred_docs}
    all_clusters = {c.event_id: c for c in clusters}
    all_clusters.update({c.event_id: c for c in statement_of.values()})
    event_of_doc = pl.DataFrame({"doc_id": list(cluster_of_doc), "event_id": [c.event_id for c in cluster_of_doc.values()]},
                                schema={"doc_id": pl.Utf8, "event_id": pl.Utf8})
    elsewhere = pl.DataFrame({"sid": list(event_of_sid), "other_event_id": list(event_of_sid.values())},
                             schema={"sid": pl.UInt32, "other_event_id": pl.Utf8})
    sentences = (
        sentences.join(event_of_doc, on="doc_id", how="left", maintain_order="left")
        .with_columns(pl.col("event_id").alias("_doc_event_id"))
        .join(elsewhere.with_columns(pl.lit(True).alias("_elsewhere")), on="sid", how="left", maintain_order="left")
        .with_columns(pl.when(pl.col("_elsewhere")).then(pl.col("other_event_id")).otherwise(pl.col("event_id")).alias("event_id"))
        .drop("other_event_id", "_elsewhere")
    )

    # --- the sentences of events reported by two or more articles: the only ones compared ---
    multi = {eid for eid, c in all_clusters.items() if len(set(c.docs)) > 1 or eid in referred_events}
    sentences = sentences.with_columns(pl.col("event_id").is_in(list(multi)).fill_null(False).alias("is_compared"))
    tokens = tokens.join(sentences.filter(pl.col("is_compared")).select("sid"), on="sid", how="semi")

    # --- what the per-event work needs from the corpus: each article's event date, each sentence's basis ---
    kinds = {eid: c.kind for eid, c in all_clusters.items()}
    surface_of = {(sid_of[s], st): (surface, rel) for s, st, surface, rel in zip(
        *(days[c].to_list() for c in ("sent_id", "start", "surface", "is_relative"))) if s in sid_of}
    event_dates = []
    for f in frames.values():
        if f.date_at is not None:
            surface, relative = surface_of.get(f.date_at, ("?", False))
            event_dates.append((*f.date_at, surface, f.date, relative))
        elif f.day_month_at is not None and cluster_of_doc[f.doc_id].date is not None:
            # a day named without a year, in an article joined to a dated event: that event's year
            day = ev.day_in_year_of(f.day_month, cluster_of_doc[f.doc_id].date)
            if day is not None:
                event_dates.append((*f.day_month_at, surface_of.get(f.day_month_at, ("?", False))[0], day, False))
    event_dates_df = pl.DataFrame(event_dates, schema=EVENT_DATE_SCHEMA, orient="row")
    # how surely each sentence (and so each of its facts) belongs to its event: by the date its
    # article gives, by its words (an undated or misdated article), or by its speaker (a statement event)
    doc_basis = {d: ("weak_content" if d in c.weakly_joined else "content" if d in c.joined_by_words
                     else c.identified_by) for d, c in cluster_of_doc.items()}
    basis = pl.DataFrame({"doc_id": list(doc_basis), "basis": list(doc_basis.values())},
                         schema={"doc_id": pl.Utf8, "basis": pl.Utf8})
    sentences = sentences.join(basis, on="doc_id", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("event_id").is_in(list(statement_ids))).then(pl.lit("speaker"))
        .when(pl.col("sid").is_in(list(referred_docs))).then(pl.lit("reference"))
        .otherwise(pl.col("basis").fill_null("article")).alias("basis"))

    return FoundEvents(sentences, tokens, idf, event_dates_df, kinds, _events_table(all_clusters, names), dups)


ONE_PARTITION = 2**62  # partition_docs that puts every event in one group
EVENT_DATE_SCHEMA = {"sid": pl.UInt32, "offset": pl.Int64, "surface": pl.Utf8, "day": pl.Date, "is_relative": pl.Boolean}
# The sentence columns the per-event work reads (build_facts, matching, claims).
EVENT_SENTENCE_COLUMNS = ("sid", "sent_id", "doc_id", "source_id", "text", "event_id", "is_compared", "basis")
PARTITION_KEY = "_partition"


def event_partitions(sentences: pl.DataFrame, tokens: pl.DataFrame, quantities: pl.DataFrame, quotes: pl.DataFrame,
                     mentions: pl.DataFrame, event_dates: pl.DataFrame, partition_docs: int) -> list[dict[str, pl.DataFrame]]:
    """The inputs of `compare_events` cut into groups of whole events: every row of a sentence
    (its tokens, quantities, quotes, mentions, its article's event date) goes with the sentence,
    every sentence of an event with the event. Events are taken in event_id order, each counting
    the articles it has sentences of, and an event goes to group k when the events before it count
    k * `partition_docs` articles or more but fewer than (k + 1) * `partition_docs`: about
    `partition_docs` articles a group, an event never cut (a group holds at most `partition_docs`
    articles plus its last event's). A sentence with no event goes with its article's event (it is
    compared with nothing). Rows of sentences not in `sentences` are left out (no fact reads them)."""
    key = pl.coalesce("event_id", "_doc_event_id", "doc_id")
    keyed = sentences.with_columns(key.alias("_key"))
    weight = keyed.group_by("_key").agg(pl.col("doc_id").n_unique().alias("_n")).sort("_key")
    before = weight["_n"].cum_sum() - weight["_n"]
    group = weight.select("_key", (before // partition_docs).cast(pl.Utf8).str.zfill(12).alias(PARTITION_KEY))
    keyed = keyed.join(group, on="_key", how="left", maintain_order="left")
    by_sid = keyed.select("sid", PARTITION_KEY)
    by_sent_id = keyed.select("sent_id", PARTITION_KEY)
    # each frame sorted by its group here, as partition_frames would (stably), one at a time: the
    # joined copy is dropped at once, and partition_frames finds it sorted (one copy of the token
    # table alive beside the input, not two)
    frames = {"sentences": keyed.select(*EVENT_SENTENCE_COLUMNS, PARTITION_KEY).sort(PARTITION_KEY, maintain_order=True)}
    del keyed
    for name, frame, by in (("tokens", tokens, by_sid), ("quantities", quantities, by_sent_id), ("quotes", quotes, by_sent_id),
                            ("mentions", mentions, by_sent_id), ("event_dates", event_dates, by_sid)):
        frames[name] = (frame.join(by, on=by.columns[0], how="inner", maintain_order="left")
                        .sort(PARTITION_KEY, maintain_order=True))
    parts = partition_frames(frames, 1, key=PARTITION_KEY) or [{name: f.clear() for name, f in frames.items()}]
    return [{name: f.drop(PARTITION_KEY) for name, f in part.items()} for part in parts]


def compare_events(part: dict[str, pl.DataFrame], entity_types: dict[str, str], event_kinds: dict[str, str],
                   names: dict[str, str], idf: pl.DataFrame, params: AggregateParams) -> dict[str, pl.DataFrame]:
    """Facts, conflicts, claims and claim evidence of one group of whole events (`event_partitions`),
    with the corpus-wide `entity_types`, `event_kinds`, `names` and `idf`: the same rows, whatever
    the grouping, as the whole corpus in one group gives."""
    sentences, tokens = part["sentences"], part["tokens"]
    event_dates = list(zip(*(part["event_dates"][c].to_list() for c in EVENT_DATE_SCHEMA)))
    facts = build_facts(sentences, part["quantities"], part["quotes"], part["mentions"], entity_types, event_kinds,
                        tokens, params.facts, event_dates)
    facts = facts.join(sentences.select("sid", "basis"), on="sid", how="left", maintain_order="left")
    pairs = fact_pairs(facts, params.matching)
    fact_claim_key = fact_claims(facts, params.matching)
    claim_of_fact = {f: claim_id_of(k) for f, k in fact_claim_key.items()}
    conflicts = find_conflicts(pairs, facts, claim_of_fact, names, params.conflicts)

    fact_sids = claimed_sentences(facts, fact_claim_key)
    plain = sentences.filter(pl.col("is_compared") & ~pl.col("sid").is_in(list(fact_sids)))
    spairs = sentence_pairs(tokens, plain, params.matching, idf)
    sentence_root, best_sim = sentence_claims(spairs, dict(zip(plain["sid"].to_list(), plain["doc_id"].to_list())))

    evidence, claims = _claims_and_evidence(sentences, facts, claim_of_fact, sentence_root, best_sim, conflicts,
                                            params.matching.label_chars)
    return {"facts": facts.select(list(FACT_COLUMNS)), "conflicts": conflicts, "claim_evidence": evidence,
            "claims": claims}


def _term_sets(pairs: pl.DataFrame) -> dict[str, frozenset[str]]:
    """doc_id -> its distinct terms, from (doc_id, term) rows. Each distinct term is one Python
    string shared by every set that holds it (one story's articles share most of their words),
    and the strings are made a document at a time, never a column of them at once."""
    # distinct pairs first (on the terms' codes), then their strings: not one per row of `pairs`
    pairs = pairs.select("doc_id", "term").unique().select("doc_id", pl.col("term").cast(pl.Utf8))
    vocab = pairs.select("term").unique().with_row_index("code")
    words = vocab["term"].to_list()
    coded = pairs.join(vocab, on="term").select("doc_id", "code").sort("doc_id", "code")
    sizes = coded.group_by("doc_id", maintain_order=True).len()
    codes = coded["code"].to_numpy()
    out, at = {}, 0
    for doc, n in zip(sizes["doc_id"].to_list(), sizes["len"].to_list()):
        out[doc] = frozenset(map(words.__getitem__, codes[at:at + n].tolist()))
        at += n
    return out


def _text_dates_of_other_occasions(days: pl.DataFrame, sentences: pl.DataFrame, text_dated: set[str],
                                   published: dict, sid_of: dict[str, int]) -> set[str]:
    """Of the documents whose publication date was read from their text, those whose text gives
    that day to another occasion (a marked date, a pluperfect or a past cue in its sentence)."""
    same = days.filter(pl.col("doc_id").is_in(list(text_dated)))
    same = same.filter(pl.Series([published.get(d) == v for d, v in zip(same["doc_id"].to_list(),
                                                                        same["value_date"].to_list())], dtype=pl.Boolean))
    text_of = dict(zip(sentences["sent_id"].to_list(), sentences["text"].to_list()))
    out = set()
    for doc, sent_id, start, value in zip(*(same[c].to_list() for c in ("doc_id", "sent_id", "start", "value_date"))):
        r = ev.read_sentence(text_of.get(sent_id) or "", [(start, value)])
        if r.past_cue or any(marked for _, _, marked in r.dates) or any(other for *_, other, _ in r.words):
            out.add(doc)
    return out


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


EVIDENCE_SCHEMA = TABLES["claim_evidence"].polars_schema
CLAIM_SCHEMA = TABLES["claims"].polars_schema


def _claims_and_evidence(sentences, facts, claim_of_fact, sentence_root, best_sim, conflicts, label_chars):
    """Evidence rows (claim, sentence, similarity, stance) and claim rows, sorted by claim and sid.
    A claim's members are its facts' sentences (similarity 1) or the sentences of one matched
    group; its representative, which labels it, is its first sentence."""
    fact_claim = facts.select(
        pl.Series("claim_id", [claim_of_fact[f] for f in facts["fact_id"].to_list()], dtype=pl.Utf8),
        "sid", "event_id", "is_comparable",
        pl.when(pl.col("scope").is_null() | pl.col("scope").is_in(list(WHOLE_SCOPES))).then(pl.col("measure"))
        .otherwise(pl.format("{} ({})", "measure", "scope")).alias("measure"))
    fact_members = fact_claim.select("claim_id", "sid", pl.lit(1.0).alias("similarity"), "measure")
    # a claim of facts is named by its established measure and scope, and is about its facts' event:
    # from a comparable fact when it has one (a value whose role is unknown only joined it)
    fact_named = (fact_claim.sort("claim_id", pl.col("is_comparable").not_(), "sid")
                  .group_by("claim_id", maintain_order=True)
                  .agg(pl.col("event_id").first().alias("fact_event_id"), pl.col("measure").first().alias("fact_measure")))
    sids = list(sentence_root)
    roots = pl.DataFrame({"sid": sids, "root": [sentence_root[s] for s in sids],
                          "similarity": [round(min(max(best_sim.get(s, 1.0), 0.0), 1.0), 6) for s in sids]},
                         schema={"sid": pl.UInt32, "root": pl.UInt32, "similarity": pl.Float64})
    root_ids = roots.select("root").unique().join(sentences.select(pl.col("sid").alias("root"), "sent_id"), on="root")
    root_ids = root_ids.select("root", pl.Series("claim_id", [claim_id_of(f"sentences:{x}") for x in root_ids["sent_id"].to_list()],
                                                  dtype=pl.Utf8))
    sentence_members = roots.join(root_ids, on="root").select("claim_id", "sid", "similarity",
                                                              pl.lit(None, dtype=pl.Utf8).alias("measure"))
    members = (
        pl.concat([fact_members, sentence_members])
        .unique(["claim_id", "sid"], keep="first")
        .join(sentences.select("sid", "sent_id", "doc_id", "source_id", "event_id"), on="sid")
        .sort("claim_id", "sid")
    )
    # stances: in each claim's confirmed conflicts, the sentence at odds with more of the claim
    confirmed = conflicts.filter(pl.col("status") == "confirmed")
    by_claim = defaultdict(list)
    for cid, a, b in zip(*(confirmed[c].to_list() for c in ("claim_id", "sent_id_a", "sent_id_b"))):
        by_claim[cid].append((a, b))
    first = members.group_by("claim_id", maintain_order=True).agg(
        pl.col("sent_id").first().alias("rep"), pl.col("sid").first().alias("rep_sid"), pl.col("event_id").first(),
        pl.col("measure").first(), pl.col("doc_id").n_unique().cast(pl.Int64).alias("n_docs"),
        pl.col("source_id").n_unique().cast(pl.Int64).alias("n_sources"))
    rep_of = dict(zip(first["claim_id"].to_list(), first["rep"].to_list()))
    losers = [(cid, x) for cid in sorted(by_claim) if cid in rep_of
              for x in dissenters(by_claim[cid], representative=rep_of[cid])]
    lost = pl.DataFrame(losers, schema={"claim_id": pl.Utf8, "sent_id": pl.Utf8}, orient="row")
    evidence = (
        members.join(lost.with_columns(pl.lit("conflicts").alias("stance")), on=["claim_id", "sent_id"], how="left",
                     maintain_order="left")
        .select(*EVIDENCE_SCHEMA)
        .with_columns(pl.col("stance").fill_null("supports"))
    )
    text_of = first.select("rep_sid").join(sentences.select(pl.col("sid").alias("rep_sid"), "text"), on="rep_sid",
                                           how="left", maintain_order="left")["text"].to_list()
    labels = [shorten(text or "", label_chars) for text in text_of]
    first = first.join(fact_named, on="claim_id", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("fact_measure").is_not_null() | pl.col("fact_event_id").is_not_null())
        .then(pl.col("fact_event_id")).otherwise(pl.col("event_id")).alias("event_id"),
        pl.coalesce("fact_measure", "measure").alias("measure"))
    claims = first.select(
        "claim_id", "event_id",
        pl.when(pl.col("measure").is_not_null()).then(pl.format("{}: {}", "measure", pl.Series(labels, dtype=pl.Utf8)))
        .otherwise(pl.Series(labels, dtype=pl.Utf8)).alias("label"),
        "n_docs", "n_sources", "measure")
    return evidence, claims


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


def _document_shingles(sentences: pl.DataFrame, tokens: pl.DataFrame, size: int) -> tuple[list[str], list[np.ndarray]]:
    """The sorted doc_ids of `sentences` and each document's `scores.shingles` of its text (its
    sentences joined in order), from the words of the token table (`sentences` sorted by doc_id
    and sent_no, sid its row number; `tokens` sorted by sid and pos): the text is not tokenized
    again. A document with a character on which the token table's words and TOKEN_RE's may
    differ (`token_table_unsure_chars`) is read from its text, as before."""
    doc_ids = sentences["doc_id"].unique().sort().to_list()
    doc_no = sentences.select(pl.col("doc_id").rank("dense").cast(pl.Int64) - 1)["doc_id"].to_numpy()
    unsure = set(sentences.filter(pl.col("text").str.contains(token_table_unsure_chars()))["doc_id"].to_list())
    words = tokens.filter(~pl.col("is_break")).select("sid", "word")
    vocab = words["word"].unique()
    codes = vocab.to_physical().to_numpy()
    hash_of_code = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.uint64)
    hash_of_code[codes] = [word_hash(w) for w in vocab.cast(pl.Utf8).to_list()]
    word_hashes = hash_of_code[words["word"].to_physical().to_numpy()]
    word_docs = doc_no[words["sid"].to_numpy()]
    sets = shingles_of_documents(word_docs, word_hashes, len(doc_ids), size)
    if unsure:
        texts = _document_texts(sentences.filter(pl.col("doc_id").is_in(list(unsure))))
        for i, doc in enumerate(doc_ids):
            if doc in texts:
                sets[i] = shingles(texts[doc], size)
    return doc_ids, sets


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
