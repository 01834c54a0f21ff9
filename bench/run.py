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
4. the stages wired to the execution engine (`--workers`, default 1 and 2 in the full benchmark,
   at 7,600 files and more): the same corpus with `execution.engine: dask` on a LocalCluster of
   each number of workers (`bench_workers`): wall and CPU time per stage, the speed-up against
   one worker, each worker's peak RSS and CPU time, and whether the outputs are byte-identical;
5. writes `reports/bench/results.json` (after every step, so a run cut short keeps what it
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

from bench.long_articles import LAYOUTS, long_article
from bench.report import (
    collection_summary,
    long_article_scaling,
    plot,
    scaling,
    summary_text,
    workers_speedup,
    workers_summary,
)
from bench.score import evaluate, judge_targets
from pipeline.common import ROOT, load_params
from pipeline.schemas import TABLES

DEFAULT_SIZES = (1000, 7600, 100_000)
# Long-article lengths (bytes): the largest just under the default ingest.max_bytes (2,000,000).
DEFAULT_LONG_BYTES = (500_000, 1_000_000, 1_999_000)
CASES = ("all", "corpus", "long-article")
RESULTS_DIR = Path("reports/bench")
# Never copied into a scratch repository: environments, VCS and DVC state, data, earlier bench runs.
COPY_EXCLUDE_TOP = {".git", ".venv", ".tools", "data", "seeds", ".pytest_cache", "dvc.lock"}
COPY_EXCLUDE_PATHS = {Path("reports/bench"), Path(".dvc/cache"), Path(".dvc/tmp")}


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


# --- the benchmark ------------------------------------------------------------------------------

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


# --- the stages on the execution engine with 1, 2, ... dask workers (issue 14) ---------------------


def wired_stages(repo: Path) -> list[str]:
    """The stages of dvc.yaml whose per-document work runs on the execution engine (those that
    read the `execution` params), in run order."""
    stages = (yaml.safe_load((repo / "dvc.yaml").read_text(encoding="utf-8")) or {}).get("stages", {})
    wired = {name for name, s in stages.items()
             if any((p if isinstance(p, str) else next(iter(p))) == "execution" for p in s.get("params") or [])}
    return [name for name, _ in stage_commands(repo) if name in wired]


def set_execution(repo: Path, **values) -> None:
    """Set keys of the `execution` block of the scratch copy's params.yaml."""
    path = repo / "params.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    params["execution"] = {**params.get("execution", {}), **values}
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")


def bench_workers(n: int, workers: list[int], seed: int, work: Path, stage_timeout: float | None) -> dict:
    """The corpus of `bench_size` (same n and seed), run up to the last wired stage (`wired_stages`)
    with `execution.engine: dask` on a LocalCluster of each number of `workers`, started by each
    stage as `dvc repro` would. Per stage: wall and CPU time (os.wait4: the stage process and its
    worker processes), each worker's CPU time and peak RSS (`resource.getrusage` on the worker,
    recorded by `DaskEngine` before it closes the cluster, see WORKER_USAGE_ENV), the stage
    process's own CPU time (the rest), and the speed-up of wall time against the fewest workers.
    The output hashes of every run are compared: any number of workers must write the same bytes."""
    from pipeline.execution import WORKER_USAGE_ENV

    root = work / f"workers{n}"
    repo, env, logs, generate = _scratch_with_corpus(root, n, seed, lambda repo: repo / "seeds")
    result: dict = {"n_files": n, "seed": seed, "workers": {}, "load_average_before": round(os.getloadavg()[0], 2)}
    if generate.status != "ok":
        result["error"] = _tail(logs / "synthetic.log")
        return result
    wired = wired_stages(repo)
    commands = stage_commands(repo)
    names = [name for name, _ in commands]
    commands = commands[: names.index(wired[-1]) + 1] if wired else []
    result["stages_run"] = [name for name, _ in commands]
    result["wired_stages"] = wired
    hashes: dict[int, dict[str, str]] = {}
    for n_workers in workers:
        set_execution(repo, engine="dask", scheduler="", n_workers=n_workers)
        run: dict = {"stages": {}}
        for stage, cmd in commands:
            print(f"  n={n}, {n_workers} worker(s): {stage} …", file=sys.stderr, flush=True)
            usage_file = logs / f"{stage}_{n_workers}w_usage.jsonl"
            usage_file.unlink(missing_ok=True)
            m = run_measured(shlex.split(cmd) if "&&" not in cmd else ["sh", "-c", cmd], repo,
                             env | {WORKER_USAGE_ENV: str(usage_file)}, logs / f"{stage}_{n_workers}w.log",
                             stage_timeout)
            entry = asdict(m)
            if m.status != "ok":
                entry["error"] = _tail(logs / f"{stage}_{n_workers}w.log")
            if usage_file.exists():
                per_worker = [w for line in usage_file.read_text(encoding="utf-8").splitlines()
                              for w in json.loads(line)["workers"]]
                entry["workers"] = per_worker
                entry["worker_cpu_s"] = round(sum(w["cpu_s"] for w in per_worker), 3)
                entry["worker_max_rss_mb"] = max(w["max_rss_mb"] for w in per_worker)
                entry["stage_process_cpu_s"] = round(m.cpu_s - entry["worker_cpu_s"], 3)
            run["stages"][stage] = entry
        run["load_average_after"] = round(os.getloadavg()[0], 2)
        result["workers"][str(n_workers)] = run
        hashes[n_workers] = {path.relative_to(repo).as_posix(): _sha256(path)
                             for path in sorted((repo / "data").rglob("*.parquet"))}
    result["identical_outputs"] = len({json.dumps(h, sort_keys=True) for h in hashes.values()}) <= 1
    result["speedup"] = workers_speedup(result)
    return result


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    parser.add_argument("--workers", default=None,
                        help="comma-separated numbers of dask workers: the stages on the execution engine run "
                             "with engine dask on a LocalCluster of each size (default: 1,2 in the full "
                             "benchmark, else none)")
    parser.add_argument("--workers-sizes", default=None,
                        help="comma-separated corpus sizes (files) of the worker runs (default: the --sizes "
                             "of at least 7,600 files, or all --sizes when none is that large)")
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
        results["workers"] = previous.get("workers", [])
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
        full = args.case != "long-article" and args.sizes == ",".join(map(str, DEFAULT_SIZES))
        workers = [int(w) for w in (args.workers if args.workers is not None else "1,2" if full else "").split(",")
                   if w.strip()]
        if args.workers_sizes is not None:
            worker_sizes = [int(x) for x in args.workers_sizes.split(",") if x.strip()]
        else:
            worker_sizes = [n for n in sizes if n >= 7600] or sizes
        for n in worker_sizes if workers else []:
            print(f"benchmark: {n:,} files with {', '.join(map(str, workers))} dask worker(s)", file=sys.stderr,
                  flush=True)
            results.setdefault("workers", [])
            results["workers"] = [r for r in results["workers"] if r["n_files"] != n]
            results["workers"].append(bench_workers(n, workers, args.seed, work, args.stage_timeout))
            save()
            if not args.keep:
                shutil.rmtree(work / f"workers{n}", ignore_errors=True)
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
    if results.get("workers"):
        print(workers_summary(results["workers"]))
    print(f"\nresults: {results_path}")
    return results


if __name__ == "__main__":
    main()
