"""The execution engines: partitions of whole documents, and the same bytes on any engine.

- `partition_frames` / `doc_partitions` (Hypothesis): every document in exactly one partition,
  in sorted order, full partitions but the last, all rows of a document together.
- `ingest`, `parse`, `normalize`: the real stages on the seeds plus a few hundred synthetic
  articles (with the generator's messy files) and the problem corpus of tests/helpers.py (links in
  and out of seeds/, collections, too large and binary files), run with `engine: local` (one
  partition) and with `engine: dask` on a two-worker LocalCluster (about ten partitions each,
  started once for the module): every Parquet file is byte-identical. The normalize function,
  partitioned differently in this process, gives the same conformed tables.
- `aggregate`: the same on the same corpus (facts, claims and conflicts made per group of whole
  events on the two workers: every table and reports/agreement.json byte-identical), and the
  pure function gives the same tables in one group of events as in many, each event whole in
  one group with every row of its sentences.
- `DaskEngine.imap_partitions`: results in partition order, errors raised to the caller.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.common import conform, load_params, read_table, settings_from_params
from pipeline.execution import (
    ExecutionSettings,
    LocalEngine,
    concat_partitions,
    doc_partitions,
    load_execution,
    map_partitions,
    partition_frames,
)
from pipeline.schemas import TABLES
from tests.helpers import (
    HIDDEN_FILE,
    PROBLEM_FILES,
    PROBLEM_LINKS,
    RUN_MAX_BYTES,
    bounded,
    pipeline_env,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
NORMALIZED = ("sentences", "entities", "mentions", "quotes", "time_expressions", "quantities", "anomalies")
N_SYNTHETIC = 300


def write_synthetic_corpus(seeds: Path, truth: Path, n: int, seed: int) -> None:
    """The synthetic generator (the one place this module names it: it may move to bench/)."""
    from bench.synthetic import CorpusConfig, write_corpus

    write_corpus(CorpusConfig(n_files=n, seed=seed), seeds, truth, show_progress=False)


# --- partitions -----------------------------------------------------------------------------------

doc_ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=3)


@bounded(150)
@given(st.lists(doc_ids, max_size=40), st.integers(1, 12))
def test_doc_partitions_cover_every_document_once_in_order(ids, size):
    parts = doc_partitions(ids, size)
    assert [d for part in parts for d in part] == sorted(set(ids))
    assert all(len(part) == size for part in parts[:-1])
    assert all(1 <= len(part) <= size for part in parts)


@bounded(150)
@given(st.lists(st.tuples(doc_ids, st.integers(0, 5)), max_size=60), st.lists(doc_ids, max_size=10),
       st.integers(1, 6))
def test_partition_frames_cut_every_frame_at_the_same_document_boundaries(rows, other_ids, size):
    blocks = pl.DataFrame({"doc_id": [r[0] for r in rows], "block_no": [r[1] for r in rows],
                           "row": list(range(len(rows)))}, schema={"doc_id": pl.Utf8, "block_no": pl.Int64,
                                                                   "row": pl.Int64})
    other = pl.DataFrame({"doc_id": other_ids}, schema={"doc_id": pl.Utf8})
    parts = partition_frames({"blocks": blocks, "other": other}, size)
    expected_docs = doc_partitions([*blocks["doc_id"], *other["doc_id"]], size)
    assert len(parts) == len(expected_docs)
    for part, docs in zip(parts, expected_docs):
        assert set(part) == {"blocks", "other"}
        # each piece holds exactly the rows of its partition's documents
        assert set(part["blocks"]["doc_id"]) | set(part["other"]["doc_id"]) == set(docs)
        for name, frame in (("blocks", blocks), ("other", other)):
            assert part[name].height == frame.filter(pl.col("doc_id").is_in(docs)).height
    # concatenated in partition order: the frame sorted by doc_id, rows of a document in input order
    joined = concat_partitions(parts)
    if parts:
        assert joined["blocks"].equals(blocks.sort("doc_id", maintain_order=True))
        assert joined["other"].equals(other.sort("doc_id", maintain_order=True))


def test_partition_edges():
    empty = pl.DataFrame(schema={"doc_id": pl.Utf8, "x": pl.Int64})
    assert partition_frames({"blocks": empty}, 3) == []
    assert LocalEngine().map_partitions(len, []) == []
    frame = pl.DataFrame({"doc_id": ["b", "a", "c", "b", "d", "a"], "x": [1, 2, 3, 4, 5, 6]})
    # two documents per partition: {a, b} | {c, d}; a document's rows never straddle a boundary
    parts = partition_frames({"f": frame}, 2)
    assert [p["f"].rows() for p in parts] == [[("a", 2), ("a", 6), ("b", 1), ("b", 4)], [("c", 3), ("d", 5)]]
    # exactly full: no empty trailing partition; one more document: a partition of one
    assert len(partition_frames({"f": frame}, 4)) == 1
    assert [p["f"]["doc_id"].to_list() for p in partition_frames({"f": frame}, 3)] == [["a", "a", "b", "b", "c"], ["d"]]
    with pytest.raises(ValueError, match="null doc_id"):
        partition_frames({"f": pl.DataFrame({"doc_id": ["a", None]})}, 2)
    with pytest.raises(ValueError, match="at least 1"):
        doc_partitions(["a"], 0)


def test_settings_are_checked_and_read_from_params(tmp_path):
    with pytest.raises(ValueError, match="execution.engine"):
        ExecutionSettings(engine="spark")
    with pytest.raises(ValueError, match="n_workers"):
        ExecutionSettings(n_workers=0)
    (tmp_path / "params.yaml").write_text("execution:\n  engine: dask\n  n_workers: 3\n  partition_docs: 7\n")
    assert load_execution(tmp_path) == ExecutionSettings(engine="dask", scheduler="", n_workers=3, partition_docs=7)
    shipped = load_execution(REPO_ROOT)
    assert shipped.engine == "local" and shipped.scheduler == ""  # CI and `dvc repro` stay in one process


def test_local_engine_keeps_partition_order_and_passes_shared_values():
    parts = [[3, 1], [2], [9, 9, 9]]
    assert map_partitions(_scaled_sum, parts, ExecutionSettings(), factor=10) == [40, 20, 270]


def _scaled_sum(part, factor):
    return sum(part) * factor


def test_the_local_engine_never_imports_dask():
    code = (
        "import sys, polars as pl\n"
        "from pipeline.normalize import normalize\n"
        "blocks = pl.DataFrame({'doc_id': ['d1'], 'block_no': [0], 'kind': ['paragraph'],\n"
        "                       'text': ['Il sindaco Mario Rossi ha parlato ieri per due ore.']})\n"
        "tables = normalize(blocks, pl.DataFrame({'doc_id': ['d1'], 'published_date': [None]}))\n"
        "assert tables['sentences'].height == 1\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=pipeline_env(), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- the stages on both engines -------------------------------------------------------------------
# One data root (the seeds, N_SYNTHETIC synthetic articles with the generator's messy files, and the
# problem corpus of tests/helpers.py: links in and out of seeds/, collections, adversarial files) is
# run once with `engine: local` in one partition; each stage is then re-run with `engine: dask` on
# a two-worker LocalCluster started once for this module (the stages reach it through
# `execution.scheduler`), in small partitions, and must write the same bytes.

RAW = ("documents", "rejected")
PARSED = ("articles", "blocks", "links", "sources")
LOCAL = {"engine": "local", "scheduler": "", "partition_docs": 10_000}  # one partition
DASK_PARTITION_DOCS = 37  # about ten partitions per stage


def _stage_cmd(name: str) -> list[str]:
    stages = yaml.safe_load((REPO_ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    return stages[name]["cmd"].split()


def _run_stage(name: str, root: Path) -> str:
    """Run the stage's dvc.yaml command on the data root `root`; its stderr."""
    env = pipeline_env() | {"NEWS_AGREEMENT_ROOT": str(root)}
    done = subprocess.run(_stage_cmd(name), cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    return done.stderr


def _set_execution(root: Path, **values) -> None:
    path = root / "params.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    params["execution"] = {**params["execution"], **values}
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _hashes(root: Path, names) -> dict[str, str]:
    return {name: hashlib.sha256((root / TABLES[name].path).read_bytes()).hexdigest() for name in names}


@pytest.fixture(scope="module")
def dask_scheduler():
    """The address of a two-worker LocalCluster (single-threaded worker processes) for this module."""
    import logging

    from dask.distributed import LocalCluster

    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), old]))  # workers import pipeline
    try:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = old
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _write_problem_corpus(root: Path) -> None:
    """The problem files, links and hidden file of tests/helpers.py under root/seeds (as conftest does)."""
    for problem in PROBLEM_FILES:
        path = root / problem.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(problem.content)
    (root / HIDDEN_FILE).write_bytes(b"")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Un testo fuori dalla cartella.\n", encoding="utf-8")
    os.mkfifo(outside / "pipe")
    for link in PROBLEM_LINKS:
        (root / link.path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link.target.replace("{outside}", str(outside)), root / link.path)
    with open(root / "seeds" / "sources.csv", "a", encoding="utf-8") as fh:
        for problem in PROBLEM_FILES:
            if problem.outlet:
                rel = Path(problem.path).relative_to("seeds").as_posix()
                fh.write(f"{rel},{problem.outlet},,{problem.published_date or ''},it\n")


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A data root after scan, ingest, parse and normalize with `engine: local` in one partition,
    and the hashes of their tables."""
    root = tmp_path_factory.mktemp("execution")
    write_synthetic_corpus(root / "seeds", root / "truth", N_SYNTHETIC, seed=5)
    manifest = (REPO_ROOT / "seeds" / "sources.csv").read_text(encoding="utf-8").splitlines()[1:]
    for path in sorted((REPO_ROOT / "seeds").glob("*.txt")):
        shutil.copyfile(path, root / "seeds" / path.name)
    with open(root / "seeds" / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in manifest if line))
    _write_problem_corpus(root)
    shutil.copyfile(REPO_ROOT / "params.yaml", root / "params.yaml")
    params = yaml.safe_load((root / "params.yaml").read_text(encoding="utf-8"))
    params["ingest"]["max_bytes"] = RUN_MAX_BYTES  # some files are too large: hashed, never loaded
    (root / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (root / "pipeline" / "nlp").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "pipeline" / "nlp" / "aliases.csv", root / "pipeline" / "nlp" / "aliases.csv")
    _set_execution(root, **LOCAL)
    for stage in ("scan", "ingest", "parse", "normalize"):
        stderr = _run_stage(stage, root)
        assert "execution: dask" not in stderr
    return root, _hashes(root, RAW + PARSED + NORMALIZED)


def _rerun_on_dask(stage: str, root: Path, scheduler: str, names) -> dict[str, str]:
    _set_execution(root, engine="dask", scheduler=scheduler, partition_docs=DASK_PARTITION_DOCS)
    try:
        stderr = _run_stage(stage, root)
    finally:
        _set_execution(root, **LOCAL)
    assert f"execution: dask on {scheduler}, {DASK_PARTITION_DOCS} documents per partition" in stderr
    return _hashes(root, names)


def test_ingest_gives_the_same_bytes_on_dask_with_two_workers(local_run, dask_scheduler):
    root, local = local_run
    rejected = read_table("rejected", root)
    reasons = set(rejected["reason"])
    # the messy inputs really are there: decided on the workers (binary, too large, duplicate bytes)
    # and in the stage process (links out of seeds/, collection rows)
    assert {"binary", "empty", "too_large", "duplicate", "outside_seeds", "unreadable"} <= reasons
    assert rejected.filter(pl.col("path").str.contains("#")).height  # collection rows
    documents = read_table("documents", root, columns=["path"])
    assert documents.height > N_SYNTHETIC * 0.8 and documents.filter(pl.col("path").str.contains("#")).height
    assert _rerun_on_dask("ingest", root, dask_scheduler, RAW) == {name: local[name] for name in RAW}


def test_parse_gives_the_same_bytes_on_dask_with_two_workers(local_run, dask_scheduler):
    root, local = local_run
    articles = read_table("articles", root)
    # the corpus year is voted across partitions: some articles are dated from it
    assert articles.filter(pl.col("published_date_source") == "corpus").height
    assert _rerun_on_dask("parse", root, dask_scheduler, PARSED) == {name: local[name] for name in PARSED}


def test_normalize_gives_the_same_bytes_on_dask_with_two_workers(local_run, dask_scheduler):
    root, local = local_run
    assert read_table("mentions", root).height and read_table("quotes", root).height
    sentences = read_table("sentences", root, columns=["doc_id"])
    assert sentences["doc_id"].n_unique() > DASK_PARTITION_DOCS * 2  # the dask run has several partitions
    assert _rerun_on_dask("normalize", root, dask_scheduler, NORMALIZED) == {name: local[name] for name in NORMALIZED}


def test_normalize_pure_function_does_not_depend_on_the_partitioning(local_run):
    from pipeline.normalize import NormalizeSettings, load_lexicon, normalize

    root, _ = local_run
    params = yaml.safe_load((root / "params.yaml").read_text(encoding="utf-8"))["normalize"]
    settings = settings_from_params(NormalizeSettings, params, "normalize")
    blocks = read_table("blocks", root)
    articles = read_table("articles", root, columns=["doc_id", "published_date"])
    lexicon = load_lexicon(settings.alias_table)
    whole = normalize(blocks, articles, settings, lexicon)
    small = normalize(blocks, articles, settings, lexicon, LocalEngine(ExecutionSettings(partition_docs=23)))
    for name in NORMALIZED:
        assert conform(name, small[name]).equals(conform(name, whole[name])), name


AGGREGATED = ("events", "facts", "claims", "claim_evidence", "conflicts", "source_agreement", "near_duplicates",
              "entity_coverage")
AGREEMENT_JSON = "reports/agreement.json"


def _aggregate_hashes(root: Path) -> dict[str, str]:
    return _hashes(root, AGGREGATED) | {AGREEMENT_JSON: hashlib.sha256((root / AGREEMENT_JSON).read_bytes()).hexdigest()}


def test_aggregate_gives_the_same_bytes_on_dask_with_two_workers(local_run, dask_scheduler):
    root, _ = local_run
    assert "execution: dask" not in _run_stage("aggregate", root)  # one group of all events
    local = _aggregate_hashes(root)
    # the comparison covers what is decided across documents: events of several articles, claims
    # of several sources, conflicts
    assert read_table("events", root).filter(pl.col("n_docs") > 1).height > 10
    assert read_table("claims", root).filter(pl.col("n_sources") > 1).height
    assert read_table("conflicts", root).height
    assert _rerun_on_dask("aggregate", root, dask_scheduler, AGGREGATED) == {name: local[name] for name in AGGREGATED}
    assert _aggregate_hashes(root) == local


class _RecordingEngine(LocalEngine):
    """A local engine that keeps the partitions it was given."""

    def map_partitions(self, func, partitions, desc="partitions", **shared):
        self.partitions = list(partitions)
        return super().map_partitions(func, partitions, desc=desc, **shared)


def test_aggregate_pure_function_does_not_depend_on_the_grouping_of_events(local_run):
    from pipeline.agreement.build import INPUT_TABLES, OUTPUT_TABLES, AggregateParams, aggregate, agreement_metrics

    root, _ = local_run
    params = settings_from_params(AggregateParams, load_params("aggregate", root), "aggregate")
    inputs = {name: read_table(name, root) for name in INPUT_TABLES}
    one = _RecordingEngine(ExecutionSettings(partition_docs=10**9))
    whole = aggregate(inputs, params, one)
    assert len(one.partitions) == 1
    many = _RecordingEngine(ExecutionSettings(partition_docs=23))
    grouped = aggregate(inputs, params, many)
    assert len(many.partitions) > 5
    group_of_event: dict[str, int] = {}
    for i, part in enumerate(many.partitions):
        sentences = part["sentences"]
        for event in sentences["event_id"].drop_nulls().unique().to_list():
            assert group_of_event.setdefault(event, i) == i, f"event {event} split across groups"
        # a sentence's tokens, quantities, quotes and mentions travel with it
        assert set(part["tokens"]["sid"].to_list()) <= set(sentences["sid"].to_list())
        for name in ("quantities", "quotes", "mentions"):
            assert set(part[name]["sent_id"].to_list()) <= set(sentences["sent_id"].to_list()), name
    assert sum(p["sentences"].height for p in many.partitions) == one.partitions[0]["sentences"].height
    assert whole["conflicts"].height and whole["claims"].filter(pl.col("n_sources") > 1).height
    for name in OUTPUT_TABLES:
        assert conform(name, grouped[name]).equals(conform(name, whole[name])), name
    assert agreement_metrics(grouped) == agreement_metrics(whole)


def test_dask_engine_streams_results_in_partition_order(dask_scheduler):
    """imap_partitions yields every result in partition order, with fewer tasks in flight than
    partitions, and a task's error reaches the caller."""
    from pipeline.execution import DaskEngine

    engine = DaskEngine(ExecutionSettings(engine="dask", scheduler=dask_scheduler))
    try:
        parts = [[i, i + 1] for i in range(25)]
        assert list(engine.imap_partitions(_scaled_sum, parts, factor=3)) == [_scaled_sum(p, 3) for p in parts]
        with pytest.raises(ZeroDivisionError):
            engine.map_partitions(_inverse_sum, [[1], [0], [2]])
    finally:
        engine.close()


def _inverse_sum(part):
    return 1 / sum(part)
