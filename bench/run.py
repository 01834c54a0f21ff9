"""Benchmark harness: the real pipeline stages on synthetic corpora of growing size.

`make bench` (`python -m bench`) does, in scratch copies of the repository under a
temporary folder (the working tree is never touched):

1. for each corpus size (default 1,000, 7,600 and 100,000 files): generate a synthetic corpus
   with `bench.synthetic` as the scratch copy's `seeds/`, run every stage of dvc.yaml in
   dependency order through its own command (`python -m pipeline.<stage>`), and measure each
   stage's wall time, CPU time and peak memory (the child's maximum resident set size, from
   `os.wait4`); then score the pipeline's claims, conflicts, events and ingest decisions
   against the generator's truth;
2. a fresh scratch copy with the real seeds: `dvc repro` from clean, then a no-op `dvc repro`;
3. long articles (`--case long-article` runs only these): one adversarial article alone in
   `seeds/`, built by `bench.long_articles` at 0.5, 1 and 2 MB (just under
   `ingest.max_bytes`), in two layouts: a single paragraph, and about 20,000 short paragraphs.
   Every stage is timed as above; the log-log slope of time against article length says whether
   any stage grows faster than linearly with the length of one document;
4. writes `reports/bench/results.json` (after every step, so a run cut short keeps what it
   measured) and `reports/bench/scaling.png` (per-stage wall time against corpus size, log-log,
   with a linear reference), and prints a summary with each target met or missed.

Truth scores. A pipeline sentence is mapped to a truth sentence by (file path, sentence text
after normalising quotes, apostrophes, markup and spaces); for a sentence named by a conflict
and matching none, by containment in the same file. Fact sentences (the truth's body and
reference sentences: each states one value of one event) are scored. Claims, pairwise: a pair
of sentences in different documents is "same claim" in the truth when both state the same
claim (event, measure, scope, modality), and predicted when both are evidence of one pipeline
claim. Conflicts: precision over EVERY conflict row reported with status `confirmed` (all rows
when the table has no status column): a row whose pair is not a true conflict, or whose sentence
the truth does not know, is false; recall of the true conflicts between documents; the number
of confirmed rows whose two sentences belong to different true events; each false row's cause
(different_event, forecast_vs_outcome, different_scope, different_measure, same_claim...);
`to_check` rows apart. Events: a pair of documents is "same event" when they report the same
event (pipeline: the event of most of a document's claims). Precision with nothing predicted is
0 when the truth has pairs (a pipeline that finds nothing does not meet a precision target).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import yaml

from pipeline.common import ROOT, load_params
from bench.long_articles import LAYOUTS, long_article
from pipeline.schemas import TABLES
from bench.synthetic import lookalike_reason

DEFAULT_SIZES = (1000, 7600, 100_000)
# Long-article lengths (bytes): the largest just under the default ingest.max_bytes (2,000,000).
DEFAULT_LONG_BYTES = (500_000, 1_000_000, 1_999_000)
CASES = ("all", "corpus", "long-article")
RESULTS_DIR = Path("reports/bench")
# Never copied into a scratch repository: environments, VCS and DVC state, data, earlier bench runs.
COPY_EXCLUDE_TOP = {".git", ".venv", ".tools", "data", "seeds", ".pytest_cache", "dvc.lock"}
COPY_EXCLUDE_PATHS = {Path("reports/bench"), Path(".dvc/cache"), Path(".dvc/tmp")}
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


# --- running things and measuring them -----------------------------------------------------------

@dataclass
class Measurement:
    wall_s: float
    cpu_s: float  # user + system CPU time of the child and its waited-for descendants
    max_rss_mb: float  # peak resident set size of the child (or its largest descendant)
    returncode: int
    status: str  # ok | failed | timeout


def run_measured(cmd: list[str], cwd: Path, env: dict, log: Path, timeout: float | None = None) -> Measurement:
    """Run `cmd` as a child, output to `log`; wall time, CPU time and peak RSS from os.wait4."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if timer:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    state = "timeout" if timed_out.is_set() else "ok" if proc.returncode == 0 else "failed"
    return Measurement(round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3),
                       round(usage.ru_maxrss / 1024, 1), proc.returncode, state)


def stage_commands(repo: Path) -> list[tuple[str, str]]:
    """(stage, cmd) from dvc.yaml, in an order where every stage runs after those it depends on."""
    stages = (yaml.safe_load((repo / "dvc.yaml").read_text(encoding="utf-8")) or {}).get("stages", {})

    def paths(entries) -> list[str]:
        return [next(iter(e)) if isinstance(e, dict) else str(e) for e in entries or []]

    def overlaps(a: str, b: str) -> bool:
        a, b = a.rstrip("/"), b.rstrip("/")
        return a == b or a.startswith(b + "/") or b.startswith(a + "/")

    outs = {name: paths(s.get("outs")) + paths(s.get("metrics")) + paths(s.get("plots"))
            for name, s in stages.items()}
    needs = {name: {other for other in stages if other != name
                    for d in paths(s.get("deps")) for o in outs[other] if overlaps(d, o)}
             for name, s in stages.items()}
    ordered: list[str] = []
    while len(ordered) < len(stages):
        ready = [n for n in stages if n not in ordered and needs[n] <= set(ordered)]
        if not ready:
            raise ValueError(f"dvc.yaml has a dependency cycle among {sorted(set(stages) - set(ordered))}")
        ordered.append(ready[0])  # file order among the ready ones
    cmds = []
    for name in ordered:
        cmd = stages[name]["cmd"]
        cmds.append((name, " && ".join(cmd) if isinstance(cmd, list) else cmd))
    return cmds


def scratch_copy(src: Path, dest: Path, seeds: Path | None = None) -> Path:
    """Copy the repository's working tree (no data, no seeds, no VCS state) to `dest`."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(src)
        return {n for n in names
                if n == "__pycache__" or (rel == Path(".") and n in COPY_EXCLUDE_TOP) or rel / n in COPY_EXCLUDE_PATHS}

    shutil.copytree(src, dest, ignore=ignore, symlinks=True)
    if seeds is not None:
        shutil.copytree(seeds, dest / "seeds")
    return dest


def child_env(repo: Path) -> dict:
    """The environment stages run in: this interpreter's venv first on PATH, the scratch repo as root."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NEWS_AGREEMENT_ROOT"] = str(repo)
    env.pop("PYTHONPATH", None)
    return env


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


# --- the benchmark ------------------------------------------------------------------------------

def log_log_slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 is linear growth."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    den = sum((p[0] - mx) ** 2 for p in points)
    return round(sum((p[0] - mx) * (p[1] - my) for p in points) / den, 3) if den else None


def _scratch_with_corpus(root: Path, n: int, seed: int, corpus_dir) -> tuple[Path, dict, Path, "Measurement"]:
    """A fresh scratch repository under `root` and n synthetic articles (truth in root/truth) written
    to `corpus_dir(repo)`: (repo, its environment, the logs folder, the generation's measurement)."""
    if root.exists():
        shutil.rmtree(root)
    repo = scratch_copy(ROOT, root / "repo")
    env = child_env(repo)
    logs = root / "logs"
    generate = run_measured([sys.executable, "-m", "bench.synthetic", "--n", str(n), "--seed", str(seed),
                             "--out", str(corpus_dir(repo)), "--truth", str(root / "truth")],
                            repo, env, logs / "synthetic.log")
    return repo, env, logs, generate


def bench_size(n: int, seed: int, work: Path, stage_timeout: float | None, profile: set[str],
               out_dir: Path, until: str | None = None, stop_on_failure: bool = False) -> dict:
    """Generate n files, run every stage on them in a scratch repo, score against the truth.

    A failing stage (e.g. validate stopping on a data error) is recorded and, unless
    `stop_on_failure`, the later stages still run on what exists, so their times are measured.
    """
    root = work / f"n{n}"
    repo, env, logs, generate = _scratch_with_corpus(root, n, seed, lambda repo: repo / "seeds")
    result: dict = {"n_files": n, "seed": seed, "generate": asdict(generate), "stages": {},
                    "load_average_before": round(os.getloadavg()[0], 2)}
    if generate.status != "ok":
        result["error"] = _tail(logs / "synthetic.log")
        return result
    result["truth_summary"] = json.loads((root / "truth" / "summary.json").read_text(encoding="utf-8"))
    failed: list[str] = []
    commands = stage_commands(repo)
    if until:
        names = [name for name, _ in commands]
        if until not in names:
            raise SystemExit(f"--until {until}: no such stage in dvc.yaml ({', '.join(names)})")
        commands = commands[: names.index(until) + 1]
    for stage, cmd in commands:
        if failed and stop_on_failure:
            result["stages"][stage] = {"status": f"skipped (after {failed[0]} failed)"}
            continue
        print(f"  n={n}: {stage} …", file=sys.stderr, flush=True)
        m = run_measured(shlex.split(cmd) if "&&" not in cmd else ["sh", "-c", cmd], repo, env,
                         logs / f"{stage}.log", stage_timeout)
        entry = asdict(m)
        entry["files_per_s"] = round(n / m.wall_s, 1) if m.wall_s else None
        if m.status != "ok":
            entry["error"] = _tail(logs / f"{stage}.log")
            failed.append(stage)
        result["stages"][stage] = entry
        if stage in profile and m.status == "ok":
            entry["profile"] = profile_stage(stage, cmd, repo, env, n, out_dir)
    ran = [s for s in result["stages"].values() if "wall_s" in s]
    result["end_to_end_s"] = round(sum(s["wall_s"] for s in ran), 3)
    result["end_to_end_cpu_s"] = round(sum(s["cpu_s"] for s in ran), 3)
    result["files_per_s"] = round(n / result["end_to_end_s"], 1) if result["end_to_end_s"] else None
    result["peak_rss_mb"] = max((s["max_rss_mb"] for s in ran), default=None)
    result["failed_stages"] = failed
    result["complete"] = not failed and until is None
    # timings judge the targets when every stage ran to its end (a data-quality stop still counts)
    result["timed"] = until is None and len(ran) == len(commands) and all(s["status"] != "timeout" for s in ran)
    result["stages_run"] = "all" if until is None else f"up to {until}"
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    scored_tables = ("documents", "rejected", "sentences", "claims", "claim_evidence", "conflicts")
    if all((repo / TABLES[t].path).exists() for t in scored_tables):
        try:
            result["truth"] = evaluate(repo, root / "truth", load_params("ingest", repo).get("seeds_dir", "seeds"))
        except Exception as exc:  # a scoring problem must not lose the timings
            result["truth_error"] = f"{type(exc).__name__}: {exc}"
    return result


def bench_long_article(layout: str, n_bytes: int, work: Path, stage_timeout: float | None, profile: set[str],
                       out_dir: Path) -> dict:
    """One adversarial article of `n_bytes` (bench.long_articles) alone in `seeds/`, through every stage."""
    root = work / f"long-{layout}-{n_bytes}"
    if root.exists():
        shutil.rmtree(root)
    repo = scratch_copy(ROOT, root / "repo")
    text = long_article(layout, n_bytes)
    (repo / "seeds").mkdir()
    (repo / "seeds" / f"{layout}.txt").write_text(text, encoding="utf-8")
    env = child_env(repo)
    result: dict = {"layout": layout, "n_bytes": len(text.encode("utf-8")), "n_chars": len(text),
                    "n_paragraphs": text.count("\n\n"), "stages": {},
                    "load_average_before": round(os.getloadavg()[0], 2)}
    for stage, cmd in stage_commands(repo):
        print(f"  {layout} {n_bytes:,} bytes: {stage} …", file=sys.stderr, flush=True)
        m = run_measured(shlex.split(cmd) if "&&" not in cmd else ["sh", "-c", cmd], repo, env,
                         root / "logs" / f"{stage}.log", stage_timeout)
        entry = asdict(m)
        if m.status != "ok":
            entry["error"] = _tail(root / "logs" / f"{stage}.log")
        result["stages"][stage] = entry
        if stage in profile and m.status == "ok":
            entry["profile"] = profile_stage(stage, cmd, repo, env, n_bytes, out_dir, prefix=f"profile_{layout}")
    ran = list(result["stages"].values())
    result["end_to_end_s"] = round(sum(s["wall_s"] for s in ran), 3)
    result["end_to_end_cpu_s"] = round(sum(s["cpu_s"] for s in ran), 3)
    result["peak_rss_mb"] = max((s["max_rss_mb"] for s in ran), default=None)
    result["complete"] = all(s["status"] == "ok" for s in ran)
    counts = {}
    for table in ("documents", "rejected", "blocks", "sentences", "mentions", "quotes", "time_expressions",
                  "quantities", "anomalies", "events", "claims"):
        path = repo / TABLES[table].path
        if path.exists():
            counts[table] = pl.scan_parquet(path).select(pl.len()).collect().item()
    result["rows"] = counts
    return result


def long_article_scaling(runs: list[dict]) -> dict:
    """Per layout: log-log slopes of time against article length, end to end and per stage.

    Start-up costs (imports, the quality suite's set-up) are the same at every length and
    flatten the end-to-end slope; the per-stage slopes of the stages that do real work per
    character (normalize, aggregate) are the ones that would show quadratic growth.
    """
    out = {}
    for layout in sorted({r["layout"] for r in runs}):
        done = sorted((r for r in runs if r["layout"] == layout and r.get("complete")), key=lambda r: r["n_bytes"])
        if len(done) < 2:
            continue
        xs = [r["n_bytes"] for r in done]

        def slopes(walls: list[float], cpus: list[float]) -> dict:
            return {"all_sizes": log_log_slope(xs, walls), "largest_two": log_log_slope(xs[-2:], walls[-2:]),
                    "largest_two_cpu": log_log_slope(xs[-2:], cpus[-2:])}

        entry = {"n_bytes": xs,
                 "end_to_end": slopes([r["end_to_end_s"] for r in done], [r["end_to_end_cpu_s"] for r in done])}
        for stage in done[-1]["stages"]:
            entry[stage] = slopes([r["stages"][stage]["wall_s"] for r in done], [r["stages"][stage]["cpu_s"] for r in done])
        out[layout] = entry
    return out


# --- one collection instead of many files (issue 12) ---------------------------------------------

COLLECTION_SHAPES = ("parquet", "jsonl")


def pack_collection(files_dir: Path, shape: str, target: Path, batch_rows: int = 2000) -> int:
    """Pack the synthetic corpus in `files_dir` (its files and its sources.csv manifest) into one
    collection at `target`: one row per file with columns id (the file's path), text, outlet, url,
    published_date, language. Written in batches (Parquet) or line by line (JSON Lines), so that
    packing holds one batch at a time. Files that are not UTF-8 text are packed as decoded with
    replacement characters: the collection holds text, not bytes. Returns the number of rows."""
    import csv as csv_module

    with open(files_dir / "sources.csv", encoding="utf-8", newline="") as fh:
        manifest = {row["path"]: row for row in csv_module.DictReader(fh)}
    paths = sorted(p for p in files_dir.rglob("*") if p.is_file() and p.name != "sources.csv")
    columns = ("id", "text", "outlet", "url", "published_date", "language")

    def rows():
        for path in paths:
            rel = path.relative_to(files_dir).as_posix()
            meta = manifest.get(rel, {})
            yield {"id": rel, "text": path.read_bytes().decode("utf-8", "replace"),
                   **{k: (meta.get(k) or None) for k in columns[2:]}}

    n = 0
    if shape == "jsonl":
        with open(target, "w", encoding="utf-8") as out:
            for row in rows():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        return n
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.string()) for c in columns])
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        batch: list[dict] = []
        for row in rows():
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def bench_collection(n: int, shape: str, seed: int, work: Path, stage_timeout: float | None,
                     until: str | None = None) -> dict:
    """The same synthetic corpus of n articles as one collection file (`shape`: parquet or
    jsonl) in seeds/: every stage timed as in `bench_size` (truth scoring is by file path, so it
    is not repeated here), and the rows accounted for (documents + rejected = n)."""
    root = work / f"{shape}{n}"
    repo, env, logs, generate = _scratch_with_corpus(root, n, seed, lambda repo: root / "files")
    result: dict = {"n_articles": n, "shape": shape, "seed": seed, "generate": asdict(generate), "stages": {}}
    if generate.status != "ok":
        result["error"] = _tail(logs / "synthetic.log")
        return result
    (repo / "seeds").mkdir(exist_ok=True)
    target = repo / "seeds" / f"corpus.{shape}"
    started = time.perf_counter()
    result["n_rows"] = pack_collection(root / "files", shape, target)
    result["pack_s"] = round(time.perf_counter() - started, 3)
    result["collection_mb"] = round(target.stat().st_size / 1e6, 1)
    shutil.rmtree(root / "files", ignore_errors=True)
    commands = stage_commands(repo)
    if until:
        commands = commands[: [name for name, _ in commands].index(until) + 1]
    for stage, cmd in commands:
        print(f"  {shape} n={n}: {stage} …", file=sys.stderr, flush=True)
        m = run_measured(shlex.split(cmd) if "&&" not in cmd else ["sh", "-c", cmd], repo, env,
                         logs / f"{stage}.log", stage_timeout)
        entry = asdict(m)
        if m.status != "ok":
            entry["error"] = _tail(logs / f"{stage}.log")
        result["stages"][stage] = entry
    ran = [s for s in result["stages"].values() if "wall_s" in s]
    result["end_to_end_s"] = round(sum(s["wall_s"] for s in ran), 3)
    result["peak_rss_mb"] = max((s["max_rss_mb"] for s in ran), default=None)
    if (repo / TABLES["documents"].path).exists() and (repo / TABLES["rejected"].path).exists():
        n_docs = pl.scan_parquet(repo / TABLES["documents"].path).select(pl.len()).collect().item()
        n_rejected = pl.read_parquet(repo / TABLES["rejected"].path, columns=["path"]).height
        result["documents"], result["rejected"] = n_docs, n_rejected
        result["rows_accounted"] = n_docs + n_rejected == result["n_rows"]
    return result


def collection_summary(entries: list[dict]) -> str:
    lines = []
    for r in entries:
        stages = ", ".join(f"{name} {s.get('wall_s', '?')} s / {s.get('max_rss_mb', '?')} MB"
                           for name, s in r.get("stages", {}).items())
        lines.append(f"{r['n_articles']:,} articles as one {r['shape']} ({r.get('collection_mb', '?')} MB): "
                     f"end to end {r.get('end_to_end_s', '?')} s, peak {r.get('peak_rss_mb', '?')} MB, rows accounted "
                     f"{r.get('rows_accounted')}; {stages}")
    return "\n".join(lines)


def profile_stage(stage: str, cmd: str, repo: Path, env: dict, n: int, out_dir: Path, prefix: str = "profile") -> str:
    """Re-run a `python -m module` stage under cProfile; write the top functions to a text file."""
    parts = shlex.split(cmd)
    if parts[:2] != ["python", "-m"]:
        return "not profiled (not a python -m command)"
    prof = repo.parent / f"{stage}.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", *parts[2:]], cwd=repo, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(30)
    report = (text.getvalue().replace(str(repo) + "/", "").replace(str(repo.parent), "<scratch>")
              .replace(str(Path(sys.prefix)) + "/", "<venv>/"))
    target = out_dir / f"{prefix}_{stage}_{n}.txt"
    target.write_text(report, encoding="utf-8")
    return str(target)


def bench_dvc(work: Path) -> dict:
    """The seed corpus from clean with `dvc repro`, then a no-op `dvc repro` (five times, median)."""
    root = work / "seeds"
    if root.exists():
        shutil.rmtree(root)
    repo = scratch_copy(ROOT, root / "repo", seeds=ROOT / "seeds")
    env = child_env(repo)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    dvc = [sys.executable, "-m", "dvc", "repro"]
    clean = run_measured(dvc, repo, env, root / "logs" / "repro_clean.log")
    result: dict = {"seeds_from_clean": asdict(clean)}
    if clean.status != "ok":
        result["seeds_from_clean"]["error"] = _tail(root / "logs" / "repro_clean.log")
        return result
    noops = [run_measured(dvc, repo, env, root / "logs" / f"repro_noop_{i}.log") for i in range(5)]
    walls = sorted(m.wall_s for m in noops)
    result["load_average"] = round(os.getloadavg()[0], 2)
    result["noop_repro"] = {"wall_s": walls[2], "cpu_s": sorted(m.cpu_s for m in noops)[2],
                            "runs_s": [m.wall_s for m in noops],
                            "max_rss_mb": max(m.max_rss_mb for m in noops),
                            "status": "ok" if all(m.status == "ok" for m in noops) else "failed"}
    log = (root / "logs" / "repro_noop_4.log").read_text(encoding="utf-8", errors="replace")
    result["noop_repro"]["reran_nothing"] = "Running stage" not in log
    return result


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


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


def scaling(results: dict) -> dict:
    """Log-log slopes of wall time against size: over all sizes ≥ 1,000 and between the two largest.

    Fixed costs (interpreter start, imports) flatten the curve at small sizes, so the slope
    between the two largest sizes is the one that says whether growth is linear.
    """
    done = sorted((r for r in results.get("sizes", []) if r.get("timed") and r["n_files"] >= 1000),
                  key=lambda r: r["n_files"])
    if len(done) < 2:
        return {}
    ns = [r["n_files"] for r in done]

    def slopes(walls: list[float], cpus: list[float]) -> dict:
        # CPU time is less disturbed than wall time by other work on a shared machine
        return {"all_sizes": log_log_slope(ns, walls), "largest_two": log_log_slope(ns[-2:], walls[-2:]),
                "largest_two_cpu": log_log_slope(ns[-2:], cpus[-2:])}

    out = {"sizes": ns, "end_to_end": slopes([r["end_to_end_s"] for r in done], [r["end_to_end_cpu_s"] for r in done])}
    for stage in done[-1]["stages"]:
        if all("wall_s" in r["stages"].get(stage, {}) for r in done):
            out[stage] = slopes([r["stages"][stage]["wall_s"] for r in done], [r["stages"][stage]["cpu_s"] for r in done])
    return out


def plot(results: dict, target: Path) -> None:
    """Per-stage wall time against corpus size, log-log, with a linear reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted(results.get("sizes", []), key=lambda r: r["n_files"])
    if not runs:
        return
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    stages = list(dict.fromkeys(s for r in runs for s, v in r["stages"].items() if "wall_s" in v))
    for stage in stages:
        pts = [(r["n_files"], r["stages"][stage]["wall_s"]) for r in runs if "wall_s" in r["stages"].get(stage, {})]
        ax.plot(*zip(*pts), marker="o", label=stage)
    totals = [(r["n_files"], r["end_to_end_s"]) for r in runs if r.get("timed")]
    if totals:
        ax.plot(*zip(*totals), marker="s", color="black", linewidth=2.2, label="end to end")
        n0, t0 = totals[0]
        xs = [min(r["n_files"] for r in runs), max(r["n_files"] for r in runs)]
        ax.plot(xs, [t0 * x / n0 for x in xs], linestyle="--", color="grey", label="linear reference")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("corpus size (input files)")
    ax.set_ylabel("wall time (s)")
    ax.set_title("Stage wall time against corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(target, metadata={"Software": None})
    plt.close(fig)


def summary_text(results: dict) -> str:
    lines = ["", "Benchmark summary", "================="]
    for r in sorted(results.get("sizes", []), key=lambda r: r["n_files"]):
        lines.append(f"\n{r['n_files']:,} files (generated in {r['generate']['wall_s']:.1f} s, "
                     f"load average {r.get('load_average_before')}):")
        for stage, s in r["stages"].items():
            if "wall_s" in s:
                flag = "" if s["status"] == "ok" else f"  ({s['status'].upper()})"
                lines.append(f"  {stage:<10} {s['wall_s']:>8.2f} s wall {s['cpu_s']:>8.2f} s cpu"
                             f"  {s['files_per_s'] or 0:>9.1f} files/s  {s['max_rss_mb']:>6.0f} MB{flag}")
            else:
                lines.append(f"  {stage:<10} {s.get('status')}")
        if r.get("timed"):
            lines.append(f"  {'total':<10} {r['end_to_end_s']:>8.2f} s wall {r['end_to_end_cpu_s']:>8.2f} s cpu"
                         f"  {r['files_per_s']:>9.1f} files/s  {r['peak_rss_mb']:>6.0f} MB peak")
        t = r.get("truth")
        if t:
            co, k, e = t["conflicts"], t["claims"], t["events"]
            c, typed = co["overall"], co["typed"]
            lines.append(f"  conflicts (confirmed) P {c['precision']:.3f} R {c['recall']:.3f} (typed P "
                         f"{typed['precision']:.3f} R {typed['recall']:.3f}; {c['n_predicted']} reported, "
                         f"{c['n_truth']} true) | between different events {co['cross_event_confirmed']} | "
                         f"to check {co['to_check']['n']} ({co['to_check']['n_true']} true)")
            if co["false_positive_causes"]:
                lines.append("  false conflicts by cause: " + ", ".join(
                    f"{cause} {n}" for cause, n in sorted(co["false_positive_causes"].items(), key=lambda x: -x[1])))
            lines.append(f"  claims P {k['precision']:.3f} R {k['recall']:.3f} | events P {e['precision']:.3f} "
                         f"R {e['recall']:.3f} | fact sentences matched {t['sentences']['match_rate']:.3f} | "
                         f"ingest {t['ingest']['reason_accuracy']:.3f}")
    long_runs = results.get("long_articles", {}).get("runs", [])
    if long_runs:
        lines.append("\nlong articles (one file alone in seeds/), wall / cpu seconds per stage:")
        for r in sorted(long_runs, key=lambda r: (r["layout"], r["n_bytes"])):
            stages = "  ".join(f"{k} {v['wall_s']:.1f}/{v['cpu_s']:.1f}" for k, v in r["stages"].items())
            lines.append(f"  {r['layout']:<16} {r['n_bytes']:>9,} B: total {r['end_to_end_s']:6.1f} s wall "
                         f"{r['end_to_end_cpu_s']:6.1f} s cpu, peak {r['peak_rss_mb']:.0f} MB  ({stages})")
        for layout, entry in results.get("long_articles", {}).get("scaling", {}).items():
            lines.append(f"  {layout}: log-log slope of cpu time between the two longest (1 = linear): "
                         + ", ".join(f"{k} {v['largest_two_cpu']}" for k, v in entry.items() if isinstance(v, dict)))
    dvc = results.get("dvc", {})
    if dvc:
        clean, noop = dvc.get("seeds_from_clean", {}), dvc.get("noop_repro", {})
        lines.append(f"\nseed corpus, dvc repro from clean: {clean.get('wall_s')} s wall, {clean.get('cpu_s')} s cpu "
                     f"({clean.get('status')}); no-op dvc repro: {noop.get('wall_s')} s wall, {noop.get('cpu_s')} s cpu "
                     f"(median of 5; load average {dvc.get('load_average')})")
    slopes = results.get("scaling", {})
    if slopes:
        lines.append("\nlog-log slope of time against size between the two largest sizes (1 = linear), wall / cpu:")
        lines.append("  " + ", ".join(f"{k} {v['largest_two']} / {v['largest_two_cpu']}"
                                      for k, v in slopes.items() if isinstance(v, dict)))
    lines.append("\nTargets:")
    for name, t in results.get("targets", {}).items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        lines.append(f"  [{mark:^12}] {t['target']}")
    return "\n".join(lines)


def _git_state() -> dict:
    def git(*args: str) -> str:
        res = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return res.stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Benchmark the pipeline stages on synthetic corpora.")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated corpus sizes (files); empty for none")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for results.json and the chart")
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch repositories")
    parser.add_argument("--no-dvc", action="store_true", help="skip the seed corpus `dvc repro` timings")
    parser.add_argument("--merge", action="store_true",
                        help="keep results of sizes not re-run from an existing results.json")
    parser.add_argument("--stage-timeout", type=float, default=None, help="kill a stage after this many seconds")
    parser.add_argument("--profile", default="", help="comma-separated stages to re-run under cProfile")
    parser.add_argument("--stop-on-failure", action="store_true", help="skip the stages after a failed one")
    parser.add_argument("--until", default=None, help="run the stages only up to this one (partial, not judged)")
    parser.add_argument("--case", choices=CASES, default="all",
                        help="corpus: synthetic corpora (--sizes) and dvc timings; long-article: only the long "
                             "single articles (--long-bytes); all: both")
    parser.add_argument("--long-bytes", default=",".join(map(str, DEFAULT_LONG_BYTES)),
                        help="comma-separated lengths in bytes of the long articles (each layout)")
    parser.add_argument("--collection-sizes", default=None,
                        help="comma-separated sizes of the one-collection cases (articles); empty for none "
                             "(default: 100000 when neither --sizes nor --case long-article is given, else none)")
    parser.add_argument("--collection-shapes", default=",".join(COLLECTION_SHAPES),
                        help="collection shapes to run (parquet, jsonl)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] if args.case != "long-article" else []
    long_bytes = [int(s) for s in args.long_bytes.split(",") if s.strip()] if args.case != "corpus" else []
    no_dvc = args.no_dvc or args.case == "long-article"
    profile = {s.strip() for s in args.profile.split(",") if s.strip()}
    out_dir = args.out if args.out.is_absolute() else ROOT / args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / "results.json"
    results: dict = {"sizes": []}
    previous = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
    if args.merge or args.case == "long-article":  # running one case keeps what the others measured
        results["sizes"] = [r for r in previous.get("sizes", []) if r["n_files"] not in sizes]
        if no_dvc and "dvc" in previous:
            results["dvc"] = previous["dvc"]
        results["collections"] = previous.get("collections", [])
    if not long_bytes and "long_articles" in previous:
        results["long_articles"] = previous["long_articles"]
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "system": f"{platform.system()} {platform.machine()}"}
    results["code"] = _git_state()
    results["run_at_utc"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    results["method"] = ("each stage runs as its own process (its dvc.yaml cmd) in a scratch copy of the "
                         "repository; wall time, CPU time and peak RSS per stage from os.wait4; end to end "
                         "= sum of stage wall times, DVC overhead excluded (see dvc.*)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="news-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        results["sizes"].sort(key=lambda r: r["n_files"])
        results["scaling"] = scaling(results)
        if "long_articles" in results:
            results["long_articles"]["scaling"] = long_article_scaling(results["long_articles"]["runs"])
        results["targets"] = judge_targets(results)
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        plot(results, out_dir / "scaling.png")

    try:
        for n in sizes:
            print(f"benchmark: {n:,} files", file=sys.stderr, flush=True)
            results["sizes"] = [r for r in results["sizes"] if r["n_files"] != n]
            results["sizes"].append(bench_size(n, args.seed, work, args.stage_timeout, profile, out_dir,
                                               args.until, args.stop_on_failure))
            save()
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
        if long_bytes:
            results["long_articles"] = {"runs": []}
            for layout in LAYOUTS:
                for n_bytes in long_bytes:
                    print(f"benchmark: long article, {layout}, {n_bytes:,} bytes", file=sys.stderr, flush=True)
                    results["long_articles"]["runs"].append(
                        bench_long_article(layout, n_bytes, work, args.stage_timeout, profile, out_dir))
                    save()
                    if not args.keep:
                        shutil.rmtree(work / f"long-{layout}-{n_bytes}", ignore_errors=True)
        collection_sizes = args.collection_sizes
        if collection_sizes is None:
            # the full benchmark runs the largest corpus as collections too; a narrower run (other sizes,
            # or only the long articles) runs none unless asked
            full = args.case != "long-article" and args.sizes == ",".join(map(str, DEFAULT_SIZES))
            collection_sizes = str(max(DEFAULT_SIZES)) if full else ""
        for n in (int(x) for x in collection_sizes.split(",") if x.strip()):
            for shape in (x.strip() for x in args.collection_shapes.split(",") if x.strip()):
                print(f"benchmark: {n:,} articles as one {shape} collection", file=sys.stderr, flush=True)
                results.setdefault("collections", [])
                results["collections"] = [r for r in results["collections"]
                                          if (r["n_articles"], r["shape"]) != (n, shape)]
                results["collections"].append(bench_collection(n, shape, args.seed, work, args.stage_timeout,
                                                               args.until))
                save()
                if not args.keep:
                    shutil.rmtree(work / f"{shape}{n}", ignore_errors=True)
        if not no_dvc:
            print("benchmark: seed corpus with dvc repro", file=sys.stderr, flush=True)
            results["dvc"] = bench_dvc(work)
        save()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(summary_text(results))
    if results.get("collections"):
        print(collection_summary(results["collections"]))
    print(f"\nresults: {results_path}")
    return results


if __name__ == "__main__":
    main()
