"""Data prep for the report: every number, matrix and row the report shows, as plain values.

Pure functions take contract tables (polars frames) and return frames, numpy matrices or dicts;
nothing here draws or renders. Every row order is fully specified (ties broken by ids) so the
report's bytes do not depend on the order upstream stages wrote their rows in. Figures and tables
are capped (top-N, with the total kept so the page can say what was left out): the report must
stay readable and small whether the corpus has one source or two hundred.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.common import empty_table, table_path
from pipeline.schemas import CONFLICT_KINDS, CONFLICT_STATUSES

# The columns the report reads from each table; large text columns it never shows are skipped.
# `sentences` is scanned lazily and only the sentences the report quotes are materialized.
COLUMNS: dict[str, list[str] | None] = {
    "documents": ["doc_id", "path", "published_date", "row_id"],
    "rejected": None,
    "articles": ["doc_id", "source_id", "title", "published_date", "published_date_source", "url"],
    "sources": None,
    "entities": ["entity_id", "name", "type"],
    "anomalies": None,
    "events": None,
    "claims": None,
    "claim_evidence": None,
    "conflicts": None,
    "facts": None,
    "source_agreement": None,
    "entity_coverage": None,
    "near_duplicates": None,
}
SENTENCE_COLUMNS = ["sent_id", "doc_id", "text"]

# Cell states of the claim x source matrix.
SILENT, SUPPORTS, CONFLICTS, MIXED = 0, 1, 2, 3


@dataclass(frozen=True)
class Limits:
    """How much the report shows (params.yaml `report` block)."""

    min_shared_claims: int = 3
    max_sources: int = 25
    max_claims: int = 40
    max_entities: int = 20
    max_events: int = 40
    max_rows: int = 200
    max_evidence_per_claim: int = 8
    max_solo_claims_per_source: int = 10
    source_label_chars: int = 28
    claim_label_chars: int = 70
    max_figure_measures: int = 10
    max_values_per_measure: int = 12


@dataclass(frozen=True)
class ReportSettings(Limits):
    """The params.yaml `report` block: the limits and the charts' resolution."""

    dpi: int = 110


@dataclass(frozen=True)
class Tables:
    """The contract tables the report reads (only the columns in COLUMNS)."""

    documents: pl.DataFrame
    rejected: pl.DataFrame
    articles: pl.DataFrame
    sources: pl.DataFrame
    entities: pl.DataFrame
    anomalies: pl.DataFrame
    events: pl.DataFrame
    claims: pl.DataFrame
    claim_evidence: pl.DataFrame  # stance `conflicts` only where a confirmed conflict backs it
    conflicts: pl.DataFrame  # confirmed conflicts only: the headline, the tables and the charts count these
    conflicts_to_check: pl.DataFrame  # conflicts below aggregate's min_conflict_confidence, for a person to judge
    facts: pl.DataFrame
    source_agreement: pl.DataFrame
    entity_coverage: pl.DataFrame
    near_duplicates: pl.DataFrame
    sentences: pl.LazyFrame  # sent_id, doc_id, text
    unreadable: tuple[str, ...] = ()  # "table: why" for each table that could not be read


def _empty(name: str, columns: list[str] | None) -> pl.DataFrame:
    frame = empty_table(name)
    return frame.select(columns) if columns else frame


def load_tables(root: Path | None = None) -> Tables:
    """Read every table the report needs; a missing or unreadable table becomes an empty one.

    The report is the last stage and must explain a broken run rather than crash on it, so a
    table that cannot be read is replaced by an empty frame of its declared schema and named in
    `unreadable` (the page shows the list). Conflicts are split by status (`split_conflicts`).
    """
    frames: dict[str, pl.DataFrame] = {}
    unreadable: list[str] = []
    for name, columns in COLUMNS.items():
        path = table_path(name, root)
        try:
            frames[name] = pl.read_parquet(path, columns=columns)
        except FileNotFoundError:
            unreadable.append(f"{name}: file not found")
            frames[name] = _empty(name, columns)
        except (pl.exceptions.PolarsError, OSError) as err:
            unreadable.append(f"{name}: {type(err).__name__}")
            frames[name] = _empty(name, columns)
    sentences_path = table_path("sentences", root)
    if sentences_path.exists():
        sentences = pl.scan_parquet(sentences_path).select(SENTENCE_COLUMNS)
    else:
        unreadable.append("sentences: file not found")
        sentences = _empty("sentences", SENTENCE_COLUMNS).lazy()
    confirmed, to_check = split_conflicts(frames.pop("conflicts"))
    frames["claim_evidence"] = confirmed_stances(frames["claim_evidence"], confirmed, to_check)
    return Tables(
        **frames, conflicts=confirmed, conflicts_to_check=to_check, sentences=sentences, unreadable=tuple(unreadable)
    )


def split_conflicts(conflicts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(confirmed, to_check) rows of the conflicts table, both with `status` and `confidence`.

    A table written before conflicts had a status (older data) is confirmed throughout, with a
    null confidence: it is what the pipeline then reported.
    """
    if "status" not in conflicts.columns:
        conflicts = conflicts.with_columns(pl.lit(CONFLICT_STATUSES[0]).alias("status"))
    if "confidence" not in conflicts.columns:
        conflicts = conflicts.with_columns(pl.lit(None, dtype=pl.Float64).alias("confidence"))
    is_confirmed = (pl.col("status") == "confirmed").fill_null(False)  # an unknown status is not confirmed
    return conflicts.filter(is_confirmed), conflicts.filter(~is_confirmed)


def _conflict_sides(conflicts: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([
        conflicts.select("claim_id", pl.col("sent_id_a").alias("sent_id")),
        conflicts.select("claim_id", pl.col("sent_id_b").alias("sent_id")),
    ]).unique()


def confirmed_stances(evidence: pl.DataFrame, confirmed: pl.DataFrame, to_check: pl.DataFrame) -> pl.DataFrame:
    """Evidence whose stance is `conflicts` only because of to-check conflicts reads `supports`.

    The aggregate stage marks a sentence `conflicts` when it is on one side of a conflict of its
    claim; a sentence whose every conflict is still to be checked must not show as a contradiction
    in the charts (which count confirmed conflicts only). Nothing else changes.
    """
    if to_check.is_empty() or evidence.is_empty():
        return evidence
    unconfirmed = _conflict_sides(to_check).join(_conflict_sides(confirmed), on=["claim_id", "sent_id"], how="anti")
    flagged = unconfirmed.with_columns(pl.lit(True).alias("is_unconfirmed"))
    return (
        evidence.join(flagged, on=["claim_id", "sent_id"], how="left")
        .with_columns(
            pl.when(pl.col("is_unconfirmed").fill_null(False) & (pl.col("stance") == "conflicts"))
            .then(pl.lit("supports"))
            .otherwise(pl.col("stance"))
            .alias("stance")
        )
        .select(evidence.columns)
    )


# --- names ---------------------------------------------------------------------------------------


def truncate(text: str | None, width: int) -> str:
    """One line, at most `width` characters, an ellipsis where it was cut."""
    flat = " ".join((text or "").split())
    if len(flat) <= width:
        return flat
    return flat[: max(width - 1, 1)].rstrip() + "…"


def source_labels(sources: pl.DataFrame, width: int) -> dict[str, str]:
    """Readable, unique, short label for each source_id (from `sources.name`).

    Two names that truncate to the same label get a short id suffix so that rows and columns of
    the figures never look identical.
    """
    rows = sources.select("source_id", "name").sort("source_id").rows()
    labels = {sid: truncate(name or sid, width) for sid, name in rows}
    taken = Counter(labels.values())
    for sid, name in rows:
        if taken[labels[sid]] > 1:
            suffix = f" ({sid[:8]})"
            labels[sid] = truncate(name or sid, max(width - len(suffix), 4)) + suffix
    return labels


def label_frame(labels: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"source_id": list(labels), "source": list(labels.values())},
        schema={"source_id": pl.Utf8, "source": pl.Utf8},
    )


def with_source_label(df: pl.DataFrame, labels: dict[str, str], on: str = "source_id", to: str = "source") -> pl.DataFrame:
    """Add column `to` = label of the source in column `on` (the id itself if it has no label)."""
    lookup = label_frame(labels).rename({"source_id": on, "source": to})
    return df.join(lookup, on=on, how="left").with_columns(pl.coalesce(to, on).alias(to))


def sentence_texts(sentences: pl.LazyFrame, sent_ids) -> pl.DataFrame:
    """sent_id, text of the given sentences (only those are read)."""
    ids = sorted({s for s in sent_ids if s is not None})
    return sentences.filter(pl.col("sent_id").is_in(ids)).select("sent_id", "text").collect()


def doc_sources(articles: pl.DataFrame) -> pl.DataFrame:
    return articles.select("doc_id", "source_id").unique("doc_id", keep="first")


# --- metrics -------------------------------------------------------------------------------------


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def summary_metrics(t: Tables) -> dict:
    """The numbers in reports/metrics.json (DVC metrics): counts, conflicts by kind, agreement.

    Conflict counts are of confirmed conflicts; `conflicts_to_check` counts the others. The
    agreement rates are the aggregate stage's (`source_agreement`, built on confirmed conflicts).
    """
    kinds = Counter(t.conflicts["kind"].to_list())
    by_kind = {kind: kinds.get(kind, 0) for kind in CONFLICT_KINDS}
    by_kind.update({kind: n for kind, n in sorted(kinds.items()) if kind not in by_kind})
    rates = t.source_agreement["agreement_rate"].drop_nulls()
    shared = t.source_agreement["n_shared_claims"]
    agreeing = t.source_agreement["n_agreeing"]
    return {
        "documents": t.documents.height,
        "rejected": t.rejected.height,
        "sources": t.sources.height,
        "events": t.events.height,
        "claims": t.claims.height,
        "claims_multi_source": int((t.claims["n_sources"] >= 2).sum()),
        "claims_in_conflict": t.conflicts["claim_id"].n_unique(),
        "conflicts": by_kind,
        "conflicts_total": t.conflicts.height,
        "conflicts_to_check": t.conflicts_to_check.height,
        "anomalies": t.anomalies.height,
        "near_duplicate_pairs": t.near_duplicates.height,
        "source_pairs": t.source_agreement.height,
        "source_pairs_sharing_claims": rates.len(),
        "mean_agreement_rate": _round(rates.mean()) if rates.len() else None,
        "pooled_agreement_rate": _round(agreeing.sum() / shared.sum()) if shared.sum() else None,
    }


# --- figure data ---------------------------------------------------------------------------------


def _top_sources(weights: pl.DataFrame, labels: dict[str, str], limit: int) -> list[str]:
    """The `limit` heaviest sources of a (source_id, weight) frame, then ordered by label."""
    ranked = with_source_label(weights, labels).sort(
        ["weight", "source", "source_id"], descending=[True, False, False]
    )
    top = ranked.head(limit)
    return top.sort(["source", "source_id"])["source_id"].to_list()


@dataclass(frozen=True)
class AgreementGrid:
    """Symmetric source x source matrices of the agreement heatmap (diagonal unused)."""

    source_ids: list[str]
    labels: list[str]
    shared: np.ndarray  # n_shared_claims
    agreeing: np.ndarray  # n_agreeing
    rate: np.ndarray  # agreement_rate, NaN where nothing is shared
    n_sources_total: int
    min_shared: int


def agreement_grid(
    source_agreement: pl.DataFrame, sources: pl.DataFrame, labels: dict[str, str], limits: Limits
) -> AgreementGrid:
    """Heatmap data: the sources sharing the most claims (all sources, when few), by label."""
    pairs = source_agreement.select("source_a", "source_b", "n_shared_claims", "n_agreeing", "agreement_rate")
    per_side = pl.concat(
        [
            pairs.select(pl.col("source_a").alias("source_id"), pl.col("n_shared_claims").alias("weight")),
            pairs.select(pl.col("source_b").alias("source_id"), pl.col("n_shared_claims").alias("weight")),
            sources.select("source_id", pl.lit(0, dtype=pl.Int64).alias("weight")),
        ]
    )
    weights = per_side.group_by("source_id").agg(pl.col("weight").sum())
    ids = _top_sources(weights, labels, limits.max_sources)
    index = {sid: i for i, sid in enumerate(ids)}
    n = len(ids)
    shared = np.zeros((n, n), dtype=np.int64)
    agreeing = np.zeros((n, n), dtype=np.int64)
    rate = np.full((n, n), np.nan)
    for a, b, n_shared, n_agreeing, r in pairs.rows():
        if a in index and b in index and a != b:
            i, j = index[a], index[b]
            shared[i, j] = shared[j, i] = n_shared
            agreeing[i, j] = agreeing[j, i] = n_agreeing
            if r is not None and n_shared > 0:
                rate[i, j] = rate[j, i] = r
    return AgreementGrid(
        source_ids=ids,
        labels=[labels.get(s, s) for s in ids],
        shared=shared,
        agreeing=agreeing,
        rate=rate,
        n_sources_total=weights.height,
        min_shared=limits.min_shared_claims,
    )


@dataclass(frozen=True)
class ClaimMatrix:
    """Claims two or more sources state x sources: SILENT, SUPPORTS, CONFLICTS or MIXED per cell."""

    claim_ids: list[str]
    claim_labels: list[str]
    source_ids: list[str]
    source_labels: list[str]
    state: np.ndarray
    n_claims_total: int
    n_sources_total: int


def claim_conflict_counts(conflicts: pl.DataFrame) -> pl.DataFrame:
    return conflicts.group_by("claim_id").agg(pl.len().cast(pl.Int64).alias("n_conflicts"))


def ranked_shared_claims(claims: pl.DataFrame, conflicts: pl.DataFrame) -> pl.DataFrame:
    """Claims stated by >= 2 sources, most widely shared first, disputed before undisputed."""
    return (
        claims.filter(pl.col("n_sources") >= 2)
        .join(claim_conflict_counts(conflicts), on="claim_id", how="left")
        .with_columns(pl.col("n_conflicts").fill_null(0))
        .sort(
            ["n_sources", "n_conflicts", "n_docs", "claim_id"],
            descending=[True, True, True, False],
        )
    )


def claim_source_matrix(
    claims: pl.DataFrame,
    evidence: pl.DataFrame,
    conflicts: pl.DataFrame,
    labels: dict[str, str],
    limits: Limits,
) -> ClaimMatrix:
    ranked = ranked_shared_claims(claims, conflicts)
    shown = ranked.head(limits.max_claims)
    stances = (
        evidence.join(shown.select("claim_id"), on="claim_id", how="semi")
        .group_by("claim_id", "source_id")
        .agg(
            (pl.col("stance") == "supports").any().alias("supports"),
            (pl.col("stance") == "conflicts").any().alias("conflicts"),
        )
    )
    weights = stances.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("weight"))
    source_ids = _top_sources(weights, labels, limits.max_sources)
    claim_index = {c: i for i, c in enumerate(shown["claim_id"].to_list())}
    source_index = {s: j for j, s in enumerate(source_ids)}
    state = np.full((len(claim_index), len(source_ids)), SILENT, dtype=np.int8)
    for claim_id, source_id, sup, con in stances.rows():
        if source_id in source_index:
            state[claim_index[claim_id], source_index[source_id]] = (
                MIXED if sup and con else CONFLICTS if con else SUPPORTS
            )
    return ClaimMatrix(
        claim_ids=list(claim_index),
        claim_labels=[truncate(x, limits.claim_label_chars) for x in shown["label"].to_list()],
        source_ids=source_ids,
        source_labels=[labels.get(s, s) for s in source_ids],
        state=state,
        n_claims_total=ranked.height,
        n_sources_total=weights.height,
    )


@dataclass(frozen=True)
class EntityMatrix:
    """Most widely covered entities x sources: mentions per cell (0 = never mentioned)."""

    entity_ids: list[str]
    entity_labels: list[str]
    source_ids: list[str]
    source_labels: list[str]
    mentions: np.ndarray
    n_entities_total: int
    n_sources_total: int


def entity_source_matrix(
    entity_coverage: pl.DataFrame, entities: pl.DataFrame, labels: dict[str, str], limits: Limits
) -> EntityMatrix:
    totals = (
        entity_coverage.group_by("entity_id")
        .agg(pl.col("source_id").n_unique().alias("n_sources"), pl.col("n_mentions").sum().alias("n_mentions"))
        .sort(["n_sources", "n_mentions", "entity_id"], descending=[True, True, False])
    )
    top = totals.head(limits.max_entities).join(entities, on="entity_id", how="left")
    top = top.sort(["n_sources", "n_mentions", "entity_id"], descending=[True, True, False])
    covered = entity_coverage.join(top.select("entity_id"), on="entity_id", how="semi")
    weights = covered.group_by("source_id").agg(pl.col("n_mentions").sum().alias("weight"))
    source_ids = _top_sources(weights, labels, limits.max_sources)
    entity_index = {e: i for i, e in enumerate(top["entity_id"].to_list())}
    source_index = {s: j for j, s in enumerate(source_ids)}
    mentions = np.zeros((len(entity_index), len(source_ids)), dtype=np.int64)
    for entity_id, source_id, n in covered.select("entity_id", "source_id", "n_mentions").rows():
        if source_id in source_index:
            mentions[entity_index[entity_id], source_index[source_id]] = n
    entity_labels = [
        truncate(f"{name or entity_id} ({kind})" if kind else (name or entity_id), limits.claim_label_chars // 2)
        for entity_id, name, kind in top.select("entity_id", "name", "type").rows()
    ]
    return EntityMatrix(
        entity_ids=list(entity_index),
        entity_labels=entity_labels,
        source_ids=source_ids,
        source_labels=[labels.get(s, s) for s in source_ids],
        mentions=mentions,
        n_entities_total=totals.height,
        n_sources_total=entity_coverage["source_id"].n_unique(),
    )


def event_sources(claims: pl.DataFrame, evidence: pl.DataFrame) -> pl.DataFrame:
    """(event_id, source_id): the source has evidence for a claim about the event."""
    return (
        claims.filter(pl.col("event_id").is_not_null())
        .select("claim_id", "event_id")
        .join(evidence.select("claim_id", "source_id"), on="claim_id")
        .select("event_id", "source_id")
        .unique()
    )


@dataclass(frozen=True)
class EventGrid:
    """Events in date order (undated last) x sources: does the source report the event."""

    event_ids: list[str]
    event_labels: list[str]
    event_dates: list[date | None]
    is_planned: list[bool]
    n_docs: list[int]
    source_ids: list[str]
    source_labels: list[str]
    reported: np.ndarray  # bool
    n_events_total: int
    n_sources_total: int


def event_source_grid(
    events: pl.DataFrame, claims: pl.DataFrame, evidence: pl.DataFrame, labels: dict[str, str], limits: Limits
) -> EventGrid:
    reports = event_sources(claims, evidence)
    top = events.sort(["n_docs", "event_date", "event_id"], descending=[True, False, False], nulls_last=True)
    top = top.head(limits.max_events).sort(["event_date", "label", "event_id"], nulls_last=True)
    shown = reports.join(top.select("event_id"), on="event_id", how="semi")
    weights = shown.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("weight"))
    source_ids = _top_sources(weights, labels, limits.max_sources)
    event_index = {e: i for i, e in enumerate(top["event_id"].to_list())}
    source_index = {s: j for j, s in enumerate(source_ids)}
    reported = np.zeros((len(event_index), len(source_ids)), dtype=bool)
    for event_id, source_id in shown.rows():
        if source_id in source_index:
            reported[event_index[event_id], source_index[source_id]] = True
    return EventGrid(
        event_ids=list(event_index),
        event_labels=[truncate(x, limits.claim_label_chars) for x in top["label"].to_list()],
        event_dates=top["event_date"].to_list(),
        is_planned=[bool(x) for x in top["is_planned"].to_list()],
        n_docs=top["n_docs"].to_list(),
        source_ids=source_ids,
        source_labels=[labels.get(s, s) for s in source_ids],
        reported=reported,
        n_events_total=events.height,
        n_sources_total=reports["source_id"].n_unique(),
    )


# Facts drawn as values on an axis (polarity and quotations are not numbers).
FIGURE_FACT_KINDS = ("quantity", "date", "time")
PANEL_KEY = ["event_id", "measure", "kind", "unit"]
PLAIN_UNITS = (None, "", "item")  # counts: the number says it all


def value_text(x: float | None, kind: str | None) -> str:
    """One bound as a reader reads it: a date (kind `date`: days since 1970-01-01), a time of day
    (kind `time`: minutes after midnight) or a number with thousands separators."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if kind == "date":
        return date.fromordinal(date(1970, 1, 1).toordinal() + int(round(x))).isoformat()
    if kind == "time":
        minutes = int(round(x))
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


APPROXIMATE_WORDS = {"about": "about ", "almost": "almost "}


def interval_text(
    low: float | None, high: float | None, kind: str | None, unit: str | None, qualifier: str | None = None
) -> str:
    """'200,000', 'about 250,000', '180,000–220,000', '≥ 120 minute', '≤ 3' or 'not a number'."""
    has_low, has_high = low is not None, high is not None
    if has_low and has_high:
        text = (
            APPROXIMATE_WORDS.get(qualifier, "") + value_text(low, kind) if low == high
            else f"{value_text(low, kind)}–{value_text(high, kind)}"
        )
    elif has_low:
        text = f"≥ {value_text(low, kind)}"
    elif has_high:
        text = f"≤ {value_text(high, kind)}"
    else:
        return "not a number"
    return text if kind in ("date", "time") or unit in PLAIN_UNITS else f"{text} {unit}"


@dataclass(frozen=True)
class OutletFigures:
    """Figures by outlet: the measures of one event stated by two or more sources, every value.

    `rows` holds one row per distinct statement of a shown measure: (event, measure, source,
    attribution, modality, scope, interval); several sentences stating the same are one row
    (`n_sentences`, the first of them quoted). One outlet giving the police's and the organisers'
    figure has two rows. Rows are in value order; over `max_values_per_measure`, every distinct
    value is kept before any repeat of one. Columns: panel_no, event_id, event_label, event_date, measure, kind, unit,
    n_sources, n_values (rows of the measure before the cap), source_id, source, attributed_to,
    modality, scope, qualifier, low, high, value, doc_id, sent_id, n_sentences.
    """

    rows: pl.DataFrame
    n_measures_total: int  # measures stated by two or more sources, before the cap
    n_unplaced_facts: int  # value facts without an event: listed nowhere here, never compared


def outlet_figures(facts: pl.DataFrame, events: pl.DataFrame, labels: dict[str, str], limits: Limits) -> OutletFigures:
    values = facts.filter(pl.col("kind").is_in(FIGURE_FACT_KINDS))
    if "is_comparable" in values.columns:  # a value whose role is unknown is listed, never set beside others
        values = values.filter(pl.col("is_comparable"))
    n_unplaced = values.filter(pl.col("event_id").is_null()).height
    values = values.filter(pl.col("event_id").is_not_null())
    statement = [*PANEL_KEY, "source_id", "attributed_to", "modality", "scope", "low", "high"]
    statements = (
        values.sort("sent_id")
        .group_by(statement, maintain_order=True)
        .agg(
            pl.col("qualifier").first(), pl.col("value").first(), pl.col("doc_id").first(),
            pl.col("sent_id").first(), pl.len().cast(pl.Int64).alias("n_sentences"),
        )
    )
    panels = (
        statements.group_by(PANEL_KEY)
        .agg(
            pl.col("source_id").n_unique().cast(pl.Int64).alias("n_sources"),
            pl.len().cast(pl.Int64).alias("n_values"),
            pl.struct("low", "high").n_unique().cast(pl.Int64).alias("n_distinct"),
        )
        .filter(pl.col("n_sources") >= 2)
        .join(events.select("event_id", pl.col("label").alias("event_label"), "event_date"), on="event_id", how="left")
        .sort(
            ["n_sources", "n_distinct", "event_date", "event_label", "event_id", "measure", "kind", "unit"],
            descending=[True, True, False, False, False, False, False, False], nulls_last=True,
        )
    )
    shown = panels.head(limits.max_figure_measures).with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("panel_no")
    )
    rows = statements.join(shown, on=PANEL_KEY, how="inner", nulls_equal=True)
    rows = with_source_label(rows, labels).with_columns(
        pl.coalesce("low", "high").alias("sort_value"),
        pl.col("attributed_to").fill_null("").alias("sort_attribution"),
    )
    order = ["panel_no", "sort_value", "high", "source", "sort_attribution", "modality", "sent_id"]
    # Over the cap, every distinct value is kept before any repeat of one: the spread stays visible.
    rows = (
        rows.sort(order, nulls_last=True)
        .with_columns(pl.int_range(pl.len()).over(["panel_no", "low", "high"]).alias("repeat_no"))
        .sort(["panel_no", "repeat_no", *order[1:]], nulls_last=True)
        .with_columns(pl.int_range(pl.len()).over("panel_no").alias("rank"))
        .filter(pl.col("rank") < limits.max_values_per_measure)
        .sort(order, nulls_last=True)
        .select(
            "panel_no", "event_id", "event_label", "event_date", "measure", "kind", "unit", "n_sources", "n_values",
            "source_id", "source", "attributed_to", "modality", "scope", "qualifier", "low", "high", "value",
            "doc_id", "sent_id", "n_sentences",
        )
    )
    return OutletFigures(rows=rows, n_measures_total=panels.height, n_unplaced_facts=n_unplaced)


# --- table data ----------------------------------------------------------------------------------


def conflict_rows(
    t: Tables, conflicts: pl.DataFrame, labels: dict[str, str], limit: int, by_confidence: bool = False
) -> pl.DataFrame:
    """One row per conflict of `conflicts` (t.conflicts or t.conflicts_to_check), both sentences side
    by side with their sources and, where the conflict is between facts, who gives each value;
    capped at `limit`. Ordered by kind then fact, or most confident first (`by_confidence`).
    """
    kind_order = {k: i for i, k in enumerate(CONFLICT_KINDS)}
    order = ["kind_order", "claim", "conflict_id"]
    if by_confidence:
        order = ["confidence_order", *order]
    rows = (
        conflicts.join(t.claims.select("claim_id", pl.col("label").alias("claim")), on="claim_id", how="left")
        .with_columns(
            pl.col("kind").replace_strict(kind_order, default=len(kind_order)).alias("kind_order"),
            (-pl.col("confidence").fill_null(0.0)).alias("confidence_order"),
        )
        .sort(order, nulls_last=True)
        .head(limit)
    )
    texts = sentence_texts(t.sentences, rows["sent_id_a"].to_list() + rows["sent_id_b"].to_list())
    docs = doc_sources(t.articles)
    attributions = t.facts.select("fact_id", "attributed_to")
    for side in ("a", "b"):
        if f"fact_id_{side}" not in rows.columns:
            rows = rows.with_columns(pl.lit(None, dtype=pl.Utf8).alias(f"fact_id_{side}"))
        rows = (
            rows.join(docs.rename({"doc_id": f"doc_id_{side}", "source_id": f"source_id_{side}"}), on=f"doc_id_{side}", how="left")
            .join(texts.rename({"sent_id": f"sent_id_{side}", "text": f"text_{side}"}), on=f"sent_id_{side}", how="left")
            .join(attributions.rename({"fact_id": f"fact_id_{side}", "attributed_to": f"attributed_to_{side}"}),
                  on=f"fact_id_{side}", how="left")
        )
        rows = with_source_label(rows, labels, on=f"source_id_{side}", to=f"source_{side}")
    return rows.sort(order, nulls_last=True).select(
        "conflict_id", "claim_id", "claim", "kind", "confidence", "status",
        "source_a", "doc_id_a", "sent_id_a", "text_a", "value_a", "attributed_to_a",
        "source_b", "doc_id_b", "sent_id_b", "text_b", "value_b", "attributed_to_b",
        "explanation",
    )


def evidence_rows(t: Tables, claim_ids: list[str], labels: dict[str, str], per_claim: int) -> pl.DataFrame:
    """Evidence sentences of the given claims: at most `per_claim` each, by source then sentence.

    Columns: claim_id, source, stance, sent_id, text, similarity, n_evidence (all evidence rows
    of the claim, so the page can say how many were left out).
    """
    ev = t.claim_evidence.join(pl.DataFrame({"claim_id": claim_ids}, schema={"claim_id": pl.Utf8}), on="claim_id", how="semi")
    ev = with_source_label(ev, labels).sort(["claim_id", "source", "sent_id"])
    ev = ev.with_columns(
        pl.int_range(pl.len()).over("claim_id").alias("rank"),
        pl.len().over("claim_id").cast(pl.Int64).alias("n_evidence"),
    ).filter(pl.col("rank") < per_claim)
    texts = sentence_texts(t.sentences, ev["sent_id"].to_list())
    return (
        ev.join(texts, on="sent_id", how="left")
        .sort(["claim_id", "source", "sent_id"])
        .select("claim_id", "source", "source_id", "stance", "sent_id", "text", "similarity", "n_evidence")
    )


def solo_claim_rows(t: Tables, labels: dict[str, str], limits: Limits) -> pl.DataFrame:
    """Claims only one source states: per source (by label) its best-attested ones first.

    Columns: source_id, source, claim_id, label, n_docs, n_solo (claims that source alone states).
    """
    solo = t.claims.filter(pl.col("n_sources") == 1).select("claim_id", "label", "n_docs")
    owners = t.claim_evidence.join(solo, on="claim_id", how="semi").select("claim_id", "source_id").unique()
    rows = with_source_label(solo.join(owners, on="claim_id"), labels)
    rows = rows.sort(["source", "source_id", "n_docs", "claim_id"], descending=[False, False, True, False])
    rows = rows.with_columns(
        pl.int_range(pl.len()).over("source_id").alias("rank"),
        pl.len().over("source_id").cast(pl.Int64).alias("n_solo"),
    )
    return (
        rows.filter(pl.col("rank") < limits.max_solo_claims_per_source)
        .head(limits.max_rows)
        .select("source_id", "source", "claim_id", "label", "n_docs", "n_solo")
    )


def anomaly_rows(t: Tables, labels: dict[str, str], limit: int) -> pl.DataFrame:
    """Problems inside single articles, with the article's source and title and the sentence."""
    rows = (
        t.anomalies.join(doc_sources(t.articles), on="doc_id", how="left")
        .join(t.articles.select("doc_id", "title"), on="doc_id", how="left")
    )
    rows = with_source_label(rows.with_columns(pl.col("source_id").fill_null("")), labels)
    rows = rows.sort(["source", "doc_id", "sent_id", "kind", "detail"], nulls_last=True).head(limit)
    texts = sentence_texts(t.sentences, rows["sent_id"].to_list())
    return rows.join(texts, on="sent_id", how="left").sort(
        ["source", "doc_id", "sent_id", "kind", "detail"], nulls_last=True
    ).select("source", "doc_id", "title", "kind", "detail", "sent_id", "text")


def source_rows(t: Tables, labels: dict[str, str]) -> pl.DataFrame:
    """One row per source: documents, claims it states (shared / alone), conflicts, entities."""
    claim_sources = t.claim_evidence.select("claim_id", "source_id").unique().join(
        t.claims.select("claim_id", "n_sources"), on="claim_id", how="left"
    )
    per_claims = claim_sources.group_by("source_id").agg(
        pl.len().cast(pl.Int64).alias("n_claims"),
        (pl.col("n_sources") >= 2).sum().cast(pl.Int64).alias("n_shared"),
        (pl.col("n_sources") == 1).sum().cast(pl.Int64).alias("n_alone"),
    )
    docs = doc_sources(t.articles)
    sides = pl.concat(
        [
            t.conflicts.select("conflict_id", pl.col("doc_id_a").alias("doc_id")),
            t.conflicts.select("conflict_id", pl.col("doc_id_b").alias("doc_id")),
        ]
    )
    per_conflicts = (
        sides.join(docs, on="doc_id").select("conflict_id", "source_id").unique()
        .group_by("source_id").agg(pl.len().cast(pl.Int64).alias("n_conflicts"))
    )
    per_entities = t.entity_coverage.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("n_entities"))
    per_anomalies = (
        t.anomalies.join(docs, on="doc_id").group_by("source_id").agg(pl.len().cast(pl.Int64).alias("n_anomalies"))
    )
    rows = t.sources.select("source_id", "name", "n_docs")
    for part in (per_claims, per_conflicts, per_entities, per_anomalies):
        rows = rows.join(part, on="source_id", how="left")
    counts = ["n_claims", "n_shared", "n_alone", "n_conflicts", "n_entities", "n_anomalies"]
    rows = with_source_label(rows.with_columns(pl.col(c).fill_null(0) for c in counts), labels)
    return rows.sort(["source", "source_id"]).select("source_id", "source", "name", "n_docs", *counts)


def pair_rows(t: Tables, labels: dict[str, str], limits: Limits) -> pl.DataFrame:
    """Source pairs that share claims, most shared first, flagged when the sample is small."""
    rows = t.source_agreement.filter(pl.col("n_shared_claims") > 0)
    rows = with_source_label(rows, labels, on="source_a", to="label_a")
    rows = with_source_label(rows, labels, on="source_b", to="label_b")
    return rows.with_columns(
        (pl.col("n_shared_claims") < limits.min_shared_claims).alias("is_small_sample")
    ).sort(["n_shared_claims", "label_a", "label_b"], descending=[True, False, False])


def article_rows(t: Tables, labels: dict[str, str], limit: int) -> pl.DataFrame:
    """The accepted articles: source, title, date and where it came from, URL, ids, and where the
    article was read: its input file, or (`row_id` set) the collection file and the row in it."""
    documents = t.documents.select("doc_id", "path", *(["row_id"] if "row_id" in t.documents.columns else []))
    if "row_id" not in documents.columns:
        documents = documents.with_columns(pl.lit(None, dtype=pl.Utf8).alias("row_id"))
    articles = t.articles
    for name in ("published_date_source", "url"):
        if name not in articles.columns:
            articles = articles.with_columns(pl.lit(None, dtype=pl.Utf8).alias(name))
    rows = articles.join(documents, on="doc_id", how="left").with_columns(
        pl.when(pl.col("row_id").is_null()).then(pl.col("path"))
        .otherwise(pl.col("path").str.slice(0, pl.col("path").str.len_chars() - pl.col("row_id").str.len_chars() - 1))
        .alias("file"))
    rows = with_source_label(rows, labels)
    return rows.sort(["source", "published_date", "doc_id"], nulls_last=True).head(limit).select(
        "source", "title", "published_date", "published_date_source", "url", "doc_id", "path", "file", "row_id"
    )


def near_duplicate_rows(t: Tables, labels: dict[str, str], limit: int) -> pl.DataFrame:
    """Pairs of near-identical articles (e.g. one agency text under two outlets), most similar first."""
    titles = t.articles.select("doc_id", "title")
    rows = t.near_duplicates.sort(["shingle_jaccard", "doc_id_a", "doc_id_b"], descending=[True, False, False]).head(limit)
    for side in ("a", "b"):
        rows = rows.join(titles.rename({"doc_id": f"doc_id_{side}", "title": f"title_{side}"}), on=f"doc_id_{side}", how="left")
        rows = with_source_label(rows, labels, on=f"source_{side}", to=f"label_{side}")
    return rows.sort(["shingle_jaccard", "doc_id_a", "doc_id_b"], descending=[True, False, False]).select(
        "label_a", "doc_id_a", "title_a", "label_b", "doc_id_b", "title_b", "shingle_jaccard"
    )
