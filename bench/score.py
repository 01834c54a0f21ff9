"""Scoring the pipeline's tables against the synthetic generator's truth, and judging the benchmark targets.

A pipeline sentence is mapped to a truth sentence by (file path, sentence text after normalising
quotes, apostrophes, markup and spaces); for a sentence named by a conflict and matching none, by
containment in the same file. See `bench.run` for what each score means.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench.long_articles import LAYOUTS
from bench.synthetic import lookalike_reason
from pipeline.schemas import TABLES

PAIR_ENUMERATION_LIMIT = 30_000_000  # above this many predicted pairs, count pairs without listing them

TARGETS = {
    "e2e_7600_under_60s": "7,600 articles end to end (sum of stage wall times) < 60 s",
    "e2e_100000_under_10min": "100,000 articles end to end < 600 s",
    "peak_memory_100000_under_4gb": "100,000 articles: peak stage memory < 4 GB",
    "noop_dvc_repro_under_1s": "no-op `dvc repro` < 1 s",
    "seeds_from_clean_under_20s": "`dvc repro` from clean on the seed corpus < 20 s",
    "roughly_linear": "end-to-end time grows roughly linearly (log-log slope between the two largest sizes ≤ 1.2)",
    "conflicts_precision_0_9_recall_0_7": ("conflict precision ≥ 0.9 over every confirmed conflict reported, and "
                                           "recall of true conflicts ≥ 0.7, at every size"),
    "no_cross_event_conflicts": "no confirmed conflict between two different true events, at every size",
    "claims_precision_0_85_recall_0_75": "claim pairwise precision ≥ 0.85 and recall ≥ 0.75 at every size",
    "aggregate_100000_under_150s_3gb": "`aggregate` at 100,000 files < 150 s wall and < 3 GB peak memory",
    "long_article_under_30s": "each 2 MB article (one paragraph; ~20,000 short paragraphs) through all stages < 30 s",
    "long_article_linear": "time grows linearly with one article's length (log-log slope of CPU time between the "
                           "two longest articles ≤ 1.2, end to end and for every stage)",
}



# --- scoring against the generator's truth -----------------------------------------------------

def sentence_key(col: str) -> pl.Expr:
    """Sentence text as both sides can agree on: NFC, one kind of quote and apostrophe, no markup."""
    return (
        pl.col(col).str.normalize("NFC")
        .str.replace_all(r"[’‘`´]", "'")
        .str.replace_all(r"[«»“”„\"]", '"')
        .str.replace_all(r"\*\*|__", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def _ratio(num: int, den: int, empty: float) -> float:
    return round(num / den, 4) if den else empty


def scores(tp: int, n_pred: int, n_truth: int) -> dict:
    """Precision, recall and F1; precision is 0 when nothing is predicted but the truth has pairs."""
    precision = _ratio(tp, n_pred, 1.0 if n_truth == 0 else 0.0)
    recall = _ratio(tp, n_truth, 1.0)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "n_predicted": n_pred, "n_truth": n_truth}


def _pair_frame(members: pl.DataFrame, cluster: str) -> pl.DataFrame:
    """Distinct unordered pairs (a < b) of items sharing `cluster`, in different documents."""
    left = members.select(pl.col(cluster), pl.col("item").alias("a"), pl.col("doc").alias("doc_a"))
    right = members.select(pl.col(cluster), pl.col("item").alias("b"), pl.col("doc").alias("doc_b"))
    return (left.join(right, on=cluster)
            .filter((pl.col("a") < pl.col("b")) & (pl.col("doc_a") != pl.col("doc_b")))
            .select("a", "b").unique())


def _pairs_with_multiplicity(members: pl.DataFrame, cluster: str) -> int:
    """Σ over clusters of cross-document pairs, without listing them (exact if clusters are disjoint)."""
    per_cluster = members.group_by(cluster).len()
    per_cluster_doc = members.group_by(cluster, "doc").len()
    pairs = lambda df: int((df["len"].cast(pl.Int64) * (df["len"].cast(pl.Int64) - 1) // 2).sum())  # noqa: E731
    return pairs(per_cluster) - pairs(per_cluster_doc)


def pairwise_cluster_scores(truth: pl.DataFrame, predicted: pl.DataFrame,
                            item_groups: pl.DataFrame | None = None) -> dict:
    """Pairwise precision/recall of a predicted clustering against a truth clustering.

    `truth`: item, doc, cluster (one cluster per item). `predicted`: item, doc, cluster (an item
    may sit in several predicted clusters). Pairs are unordered and across documents; items
    absent from `truth` are ignored on both sides. With `item_groups` (item, group: e.g. the
    truth event of each sentence), false-positive pairs are split into same-group and
    other-group pairs (when the predicted pairs could be listed).
    """
    predicted = predicted.join(truth.select("item"), on="item", how="semi")
    truth_pairs = _pair_frame(truth, "cluster")
    n_enumerable = int((predicted.group_by("cluster").len()["len"].cast(pl.Int64) ** 2 // 2).sum() or 0)
    exact = True
    if n_enumerable <= PAIR_ENUMERATION_LIMIT:
        predicted_pairs = _pair_frame(predicted, "cluster")
        n_pred = predicted_pairs.height
        tp = truth_pairs.join(predicted_pairs, on=["a", "b"], how="semi").height
        false_pos = predicted_pairs.join(truth_pairs, on=["a", "b"], how="anti")
    else:
        false_pos = None
        n_pred = _pairs_with_multiplicity(predicted, "cluster")
        exact = predicted.select("item").is_duplicated().sum() == 0
        membership = predicted.select("item", "cluster")
        tp = (truth_pairs.join(membership.rename({"item": "a"}), on="a")
              .join(membership.rename({"item": "b"}), on=["b", "cluster"], how="semi")
              .select("a", "b").unique().height)
    result = scores(tp, n_pred, truth_pairs.height)
    result["exact"] = bool(exact)
    if item_groups is not None and false_pos is not None:
        groups = item_groups.select("item", "group")
        same = (false_pos.join(groups.rename({"item": "a"}), on="a")
                .join(groups.rename({"item": "b"}), on=["b", "group"], how="semi").height)
        result["false_positives"] = {"same_group": same, "other_group": false_pos.height - same}
    return result


def _unordered(a: str, b: str) -> list[pl.Expr]:
    """The pair in a fixed order; a pair with a missing side stays missing (min/max would drop the null)."""
    missing = pl.col(a).is_null() | pl.col(b).is_null()
    return [pl.when(missing).then(None).otherwise(pl.min_horizontal(a, b)).alias("a"),
            pl.when(missing).then(None).otherwise(pl.max_horizontal(a, b)).alias("b")]


def conflict_scores(truth_pairs: pl.DataFrame, predicted_pairs: pl.DataFrame) -> dict:
    """Conflict pairs: overall (pair only), typed (pair and kind, micro-averaged) and per kind.

    Both frames: a, b (item ids, any order), kind.
    """
    truth_pairs = truth_pairs.select(*_unordered("a", "b"), "kind").unique()
    predicted_pairs = predicted_pairs.select(*_unordered("a", "b"), "kind").unique()
    overall_truth = truth_pairs.select("a", "b").unique()
    overall_pred = predicted_pairs.select("a", "b").unique()
    overall_tp = overall_truth.join(overall_pred, on=["a", "b"], how="semi").height
    typed_tp = truth_pairs.join(predicted_pairs, on=["a", "b", "kind"], how="semi").height
    by_kind = {}
    for kind in sorted(set(truth_pairs["kind"].to_list()) | set(predicted_pairs["kind"].to_list())):
        t = truth_pairs.filter(pl.col("kind") == kind)
        p = predicted_pairs.filter(pl.col("kind") == kind)
        by_kind[kind] = scores(t.join(p, on=["a", "b"], how="semi").height, p.height, t.height)
    return {
        "overall": scores(overall_tp, overall_pred.height, overall_truth.height),
        "typed": scores(typed_tp, predicted_pairs.height, truth_pairs.height),
        "by_kind": by_kind,
    }


def _with_sides(rows: pl.DataFrame, items: pl.DataFrame) -> pl.DataFrame:
    """Attach each side's truth (event, claim, modality, scope, measure) to pairs a, b."""
    side = items.select("item", "event_id", "claim_id", "modality", "scope", "measure")
    return (rows.join(side.rename({"item": "a"}), on="a", how="left")
            .join(side.rename({"item": "b"}), on="b", how="left", suffix="_b"))


def _false_conflict_causes(false_rows: pl.DataFrame) -> dict:
    """Why reported conflicts are false: a sentence the truth does not know, a sentence stating no
    fact, or the look-alike reason (different_event, forecast_vs_outcome, different_scope,
    different_measure, same_claim with compatible values…)."""
    cause = (pl.when(pl.col("a").is_null() | pl.col("b").is_null()).then(pl.lit("unmatched_sentence"))
             .when(pl.col("claim_id").is_null() | pl.col("claim_id_b").is_null()).then(pl.lit("non_fact_sentence"))
             .otherwise(lookalike_reason()))
    return dict(sorted(false_rows.select(cause.alias("cause")).group_by("cause").len().iter_rows()))


def reported_conflict_scores(reported: pl.DataFrame, truth_pairs: pl.DataFrame, items: pl.DataFrame,
                             predicted_members: pl.DataFrame | None = None) -> dict:
    """Score every conflict row the pipeline reported against the true conflicts.

    `reported`: a, b (truth items; null when a sentence matches none), kind, status
    (`confirmed` | `to_check`). `truth_pairs`: a, b, kind, same_document. `items`: item,
    event_id (for a sentence stating no fact, its article's event), claim_id (null: no fact),
    modality, scope, measure.

    Precision is over every confirmed row, not over distinct pairs: a pair reported twice counts
    twice, and a row whose sentence the truth does not know counts as false. Recall is over the
    true conflicts between documents (the ones an article reports itself, police against
    organisers in one text, are scored apart as `same_document`). `overall` matches the pair,
    `typed` the pair and its kind. A confirmed row between two different true events is counted
    in `cross_event_confirmed` (the target is zero). `to_check` rows are scored apart.
    """
    truth = truth_pairs.select(*_unordered("a", "b"), "kind", "same_document").unique(["a", "b", "kind"])
    truth_any = truth.group_by("a", "b").agg(pl.col("same_document").first())
    rows = reported.select(*_unordered("a", "b"), "kind", "status")
    rows = (rows.join(truth_any.with_columns(pl.lit(True).alias("is_true")).drop("same_document"),
                      on=["a", "b"], how="left")
            .join(truth.select("a", "b", "kind").with_columns(pl.lit(True).alias("is_typed")),
                  on=["a", "b", "kind"], how="left")
            .with_columns(pl.col("is_true").fill_null(False), pl.col("is_typed").fill_null(False)))
    rows = _with_sides(rows, items).with_columns(
        (pl.col("event_id").is_not_null() & pl.col("event_id_b").is_not_null()
         & (pl.col("event_id") != pl.col("event_id_b"))).alias("is_cross_event"))
    between_docs = truth_any.filter(~pl.col("same_document")).select("a", "b")
    in_doc = truth_any.filter(pl.col("same_document")).select("a", "b")

    def block(status: str) -> dict:
        mine = rows.filter(pl.col("status") == status)
        found = mine.filter(pl.col("is_true")).select("a", "b").unique()
        found_typed = mine.filter(pl.col("is_typed")).select("a", "b").unique()

        def score(tp_rows: int, found_pairs: pl.DataFrame, universe: pl.DataFrame) -> dict:
            precision = _ratio(tp_rows, mine.height, 1.0 if universe.height == 0 else 0.0)
            n_found = found_pairs.join(universe, on=["a", "b"], how="semi").height
            recall = _ratio(n_found, universe.height, 1.0)
            f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
            return {"precision": precision, "recall": recall, "f1": f1, "tp": tp_rows, "n_predicted": mine.height,
                    "n_found": n_found, "n_truth": universe.height}

        out = {
            "overall": score(int(mine["is_true"].sum()), found, between_docs),
            "typed": score(int(mine["is_typed"].sum()), found_typed, between_docs),
            "same_document": {"n_truth": in_doc.height,
                              "n_found": found.join(in_doc, on=["a", "b"], how="semi").height},
            "cross_event": int(mine["is_cross_event"].sum()),
            "false_positive_causes": _false_conflict_causes(mine.filter(~pl.col("is_true"))),
        }
        by_kind = {}
        for kind in sorted(set(truth["kind"].to_list()) | set(mine["kind"].drop_nulls().to_list())):
            t = truth.filter((pl.col("kind") == kind) & ~pl.col("same_document")).select("a", "b")
            m = mine.filter(pl.col("kind") == kind)
            tp = int(m["is_typed"].sum())
            n_found = m.filter(pl.col("is_typed")).select("a", "b").unique().join(t, on=["a", "b"], how="semi").height
            by_kind[kind] = {"precision": _ratio(tp, m.height, 1.0 if t.height == 0 else 0.0),
                             "recall": _ratio(n_found, t.height, 1.0), "tp": tp, "n_predicted": m.height,
                             "n_truth": t.height}
        out["by_kind"] = by_kind
        return out

    confirmed = block("confirmed")
    to_check = block("to_check")
    result = {
        "overall": confirmed["overall"],
        "typed": confirmed["typed"],
        "by_kind": confirmed["by_kind"],
        "same_document": confirmed["same_document"],
        "cross_event_confirmed": confirmed["cross_event"],
        "false_positive_causes": confirmed["false_positive_causes"],
        "to_check": {"n": to_check["overall"]["n_predicted"], "n_true": to_check["overall"]["tp"],
                     "n_true_pairs": to_check["overall"]["n_found"],
                     "cross_event": to_check["cross_event"],
                     "false_positive_causes": to_check["false_positive_causes"]},
    }
    if predicted_members is not None:  # why true conflicts were missed
        membership = predicted_members.select("item", "cluster")
        found = rows.filter((pl.col("status") == "confirmed") & pl.col("is_true")).select("a", "b").unique()
        missed = between_docs.join(found, on=["a", "b"], how="anti")
        together = (missed.join(membership.rename({"item": "a"}), on="a")
                    .join(membership.rename({"item": "b"}), on=["b", "cluster"], how="semi")
                    .select("a", "b").unique().height)
        result["missed"] = {"same_predicted_claim_not_flagged": together,
                            "never_in_one_predicted_claim": missed.height - together}
    return result


def partition_pair_scores(pairs_truth_pred: pl.DataFrame) -> dict:
    """Pairwise scores of two partitions of the same items (columns truth, pred), by counting."""
    def n_pairs(df: pl.DataFrame) -> int:
        return int((df["len"].cast(pl.Int64) * (df["len"].cast(pl.Int64) - 1) // 2).sum() or 0)

    tp = n_pairs(pairs_truth_pred.group_by("truth", "pred").len())
    return scores(tp, n_pairs(pairs_truth_pred.group_by("pred").len()),
                  n_pairs(pairs_truth_pred.group_by("truth").len()))


def _items_by_containment(unmatched: pl.DataFrame, truth_all: pl.DataFrame, min_chars: int = 15) -> pl.DataFrame:
    """For pipeline sentences (sent_id, path, key) with no exact truth match, the truth sentence of
    the same file that contains the text or is contained in it (a sentence split or merged
    differently), preferring one that states a fact. Returns sent_id, item."""
    candidates = (unmatched.filter(pl.col("key").str.len_chars() >= min_chars)
                  .join(truth_all.select("path", pl.col("key").alias("truth_key"), "item", "claim_id"), on="path")
                  .filter(pl.col("truth_key").str.contains(pl.col("key"), literal=True)
                          | pl.col("key").str.contains(pl.col("truth_key"), literal=True)))
    return (candidates.sort("sent_id", pl.col("claim_id").is_null(), "item")
            .unique("sent_id", keep="first", maintain_order=True).select("sent_id", "item"))


def evaluate(repo: Path, truth_dir: Path, seeds_dir: str = "seeds") -> dict:
    """Score the pipeline's tables in `repo` against the synthetic truth in `truth_dir`."""
    def table(name: str, columns: list[str] | None = None) -> pl.DataFrame:
        return pl.read_parquet(repo / TABLES[name].path, columns=columns)

    prefix = seeds_dir.rstrip("/") + "/"
    relative = pl.col("path").str.strip_prefix(prefix)
    files = pl.read_parquet(truth_dir / "files.parquet")
    documents = table("documents", ["doc_id", "path"]).with_columns(relative)
    rejected = table("rejected", ["path", "reason"]).with_columns(relative)

    # ingest: accepted or rejected as the truth expects, and for the expected reason
    decided = files.join(documents.with_columns(pl.lit("accepted").alias("status")), on="path", how="left") \
        .join(rejected.rename({"reason": "actual_reason"}), on="path", how="left") \
        .with_columns(pl.coalesce("status", pl.when(pl.col("actual_reason").is_not_null()).then(pl.lit("rejected")))
                      .fill_null("missing").alias("status"))
    status_ok = decided.filter(pl.col("status") == pl.col("expected_status"))
    reason_ok = status_ok.filter((pl.col("expected_status") == "accepted")
                                 | (pl.col("expected_reason") == pl.col("actual_reason")))
    wrong = decided.join(reason_ok.select("path"), on="path", how="anti").sort("path")
    ingest = {
        "n_files": files.height,
        "status_accuracy": _ratio(status_ok.height, files.height, 1.0),
        "reason_accuracy": _ratio(reason_ok.height, files.height, 1.0),
        "mismatches": [
            {"path": r["path"], "kind": r["kind"], "expected": r["expected_reason"] or "accepted",
             "actual": r["actual_reason"] or r["status"]}
            for r in wrong.head(10).iter_rows(named=True)
        ],
    }

    # sentences: pipeline sentence -> truth sentence (its sentence_id is the item) by (path, normalised text)
    doc_index = documents.with_row_index("doc").select("doc_id", "path", pl.col("doc").cast(pl.Int64))
    sentences = (table("sentences", ["sent_id", "doc_id", "text"])
                 .join(doc_index, on="doc_id")
                 .with_columns(sentence_key("text").alias("key"))
                 .unique(["path", "key"], keep="first", maintain_order=True))
    truth_all = (pl.read_parquet(truth_dir / "sentences.parquet")
                 .join(doc_index.select("path", "doc"), on="path")
                 .with_columns(sentence_key("sentence").alias("key"), pl.col("sentence_id").alias("item"))
                 .unique(["path", "key"], keep="first", maintain_order=True))
    matched_all = truth_all.join(sentences.select("path", "key", "sent_id"), on=["path", "key"], how="inner")
    truth_facts = truth_all.filter(pl.col("claim_id").is_not_null())
    matched = matched_all.filter(pl.col("claim_id").is_not_null())
    coverage = {
        "n_truth_fact_sentences": truth_facts.height,
        "n_truth_body_sentences": truth_facts.filter(pl.col("role") == "body").height,
        "n_matched": matched.height,
        "match_rate": _ratio(matched.height, truth_facts.height, 1.0),
    }

    # claims: pairs of fact sentences in different documents stating the same claim
    item_of_sent = matched_all.select("sent_id", "item", "doc")
    truth_members = matched.select("item", "doc", pl.col("claim_id").alias("cluster"))
    evidence = table("claim_evidence", ["claim_id", "sent_id"])
    predicted_members = evidence.join(item_of_sent, on="sent_id").select("item", "doc", pl.col("claim_id").alias("cluster"))
    claims = pairwise_cluster_scores(truth_members, predicted_members,
                                     matched.select("item", pl.col("event_id").alias("group")))
    if "false_positives" in claims:  # same group = two claims of one event merged; other = across events
        fp = claims.pop("false_positives")
        claims["false_positives"] = {"other_claim_same_event": fp["same_group"], "other_event": fp["other_group"]}

    # conflicts: every reported row, confirmed or to check (all confirmed when there is no status column)
    reported = pl.read_parquet(repo / TABLES["conflicts"].path)
    status = pl.col("status") if "status" in reported.columns else pl.lit("confirmed")
    reported = reported.select("sent_id_a", "sent_id_b", "kind", status.alias("status"))
    named = pl.concat([reported.select(pl.col("sent_id_a").alias("sent_id")),
                       reported.select(pl.col("sent_id_b").alias("sent_id"))]).unique()
    exact = named.join(item_of_sent.select("sent_id", "item"), on="sent_id")
    loose = _items_by_containment(
        named.join(exact, on="sent_id", how="anti").join(sentences.select("sent_id", "path", "key"), on="sent_id"),
        truth_all)
    sent_item = pl.concat([exact, loose])
    reported = (reported
                .join(sent_item.rename({"sent_id": "sent_id_a", "item": "a"}), on="sent_id_a", how="left")
                .join(sent_item.rename({"sent_id": "sent_id_b", "item": "b"}), on="sent_id_b", how="left"))
    truth_pairs = pl.read_parquet(truth_dir / "conflicts.parquet").select(
        pl.col("sentence_id_a").alias("a"), pl.col("sentence_id_b").alias("b"), "kind", "same_document")
    truth_pairs = truth_pairs.join(truth_all.select(pl.col("item").alias("a")), on="a", how="semi") \
        .join(truth_all.select(pl.col("item").alias("b")), on="b", how="semi")  # documents the pipeline read
    items = truth_all.select("item", "event_id", "claim_id", "modality", "scope", "measure")
    conflicts = reported_conflict_scores(reported, truth_pairs, items, predicted_members)
    conflicts["status_column"] = "status" in pl.read_parquet_schema(repo / TABLES["conflicts"].path)
    conflicts["sentences_matched"] = {"exact": exact.height, "by_containment": loose.height,
                                      "unmatched": named.height - exact.height - loose.height}
    lookalikes_path = truth_dir / "lookalikes.parquet"
    if lookalikes_path.exists():  # the truth's sample of pairs that look alike and must not conflict
        sample = pl.read_parquet(lookalikes_path).select(pl.col("sentence_id_a").alias("a"),
                                                         pl.col("sentence_id_b").alias("b"), "reason")
        confirmed = reported.filter(pl.col("status") == "confirmed").select(*_unordered("a", "b"))
        hit = sample.join(confirmed, on=["a", "b"], how="semi")
        conflicts["lookalike_sample"] = {"n_pairs": sample.height, "n_reported_confirmed": hit.height,
                                         "by_reason": dict(sorted(hit.group_by("reason").len().iter_rows()))}

    # events: documents grouped by event (pipeline: the event most of a document's claims belong to)
    claim_events = table("claims", ["claim_id", "event_id"]).filter(pl.col("event_id").is_not_null())
    doc_event = (table("claim_evidence", ["claim_id", "doc_id"]).join(claim_events, on="claim_id")
                 .group_by("doc_id", "event_id").len()
                 .sort(["doc_id", "len", "event_id"], descending=[False, True, False])
                 .unique("doc_id", keep="first").select("doc_id", pl.col("event_id").alias("pred")))
    truth_doc_event = files.filter(pl.col("event_id").is_not_null()).join(documents, on="path") \
        .select("doc_id", pl.col("event_id").alias("truth"))
    events = partition_pair_scores(truth_doc_event.join(doc_event, on="doc_id", how="left")
                                   .with_columns(pl.col("pred").fill_null(pl.col("doc_id"))))
    return {"ingest": ingest, "sentences": coverage, "claims": claims, "conflicts": conflicts, "events": events}



def judge_targets(results: dict) -> dict:
    """Each target: met (true/false) or null when what it needs was not measured."""
    sizes = {r["n_files"]: r for r in results.get("sizes", [])}

    def complete(n: int) -> dict | None:
        r = sizes.get(n)
        return r if r and r.get("timed") else None

    out = {}
    r = complete(7600)
    out["e2e_7600_under_60s"] = r["end_to_end_s"] < 60 if r else None
    r = complete(100_000)
    out["e2e_100000_under_10min"] = r["end_to_end_s"] < 600 if r else None
    out["peak_memory_100000_under_4gb"] = r["peak_rss_mb"] < 4096 if r else None
    dvc = results.get("dvc", {})
    noop = dvc.get("noop_repro")
    out["noop_dvc_repro_under_1s"] = noop["wall_s"] < 1 and noop["status"] == "ok" if noop else None
    clean = dvc.get("seeds_from_clean")
    out["seeds_from_clean_under_20s"] = clean["wall_s"] < 20 and clean["status"] == "ok" if clean else None
    slope = results.get("scaling", {}).get("end_to_end", {}).get("largest_two")
    out["roughly_linear"] = slope <= 1.2 if slope is not None else None
    truths = [r["truth"] for r in sizes.values() if "truth" in r]
    out["conflicts_precision_0_9_recall_0_7"] = (
        all(t["conflicts"]["overall"]["precision"] >= 0.9 and t["conflicts"]["overall"]["recall"] >= 0.7
            for t in truths) if truths else None)
    out["no_cross_event_conflicts"] = (all(t["conflicts"]["cross_event_confirmed"] == 0 for t in truths)
                                       if truths else None)
    out["claims_precision_0_85_recall_0_75"] = (
        all(t["claims"]["precision"] >= 0.85 and t["claims"]["recall"] >= 0.75 for t in truths) if truths else None)
    r = complete(100_000)
    aggregate = (r or {}).get("stages", {}).get("aggregate", {})
    out["aggregate_100000_under_150s_3gb"] = (aggregate["wall_s"] < 150 and aggregate["max_rss_mb"] < 3072
                                              and aggregate["status"] == "ok") if "wall_s" in aggregate else None
    long_runs = results.get("long_articles", {}).get("runs", [])
    largest = [r for r in long_runs if r["n_bytes"] >= 1_900_000]
    out["long_article_under_30s"] = (all(r.get("complete") and r["end_to_end_s"] < 30 for r in largest)
                                     if {r["layout"] for r in largest} == set(LAYOUTS) else None)
    long_slopes = [v["largest_two_cpu"] for entry in results.get("long_articles", {}).get("scaling", {}).values()
                   for v in entry.values() if isinstance(v, dict)]
    out["long_article_linear"] = (all(x is not None and x <= 1.2 for x in long_slopes) if long_slopes else None)
    return {k: {"target": TARGETS[k], "met": v} for k, v in out.items()}

