"""Where the stages' per-document work runs: in this process, or on a Dask cluster.

A stage splits its input into partitions of whole documents (`partition_frames`: consecutive
slices of `partition_docs` doc_ids in sorted order, every row of a document in the same
partition), maps a pure function over them (`Engine.map_partitions`; `Engine.imap_partitions`
yields the results one by one, for a stage that streams its output) and concatenates the
results in partition order (`concat_partitions`). Partitions of other things are cut by `chunk`
(ingest's input files) or keyed by another column (`key=`: aggregate's groups of whole events). The function sees only its partition, and
anything computed across the corpus is passed to it (`shared=`) or done after the map, so the
output is the same whatever the engine and the number of workers.

The `execution:` block of params.yaml chooses the engine:
- `engine: local`: a plain loop in this process (dask is never imported);
- `engine: dask`: a `dask.distributed` client, on a `LocalCluster` of `n_workers` single-threaded
  worker processes started here (`scheduler: ""`), or on an existing scheduler (`scheduler:
  tcp://host:8786`, e.g. one started by dask-jobqueue on SLURM/PBS or by dask-kubernetes; its
  workers must be able to import this repository's `pipeline` package, same commit).

    with open_engine(load_execution()) as engine:
        parts = partition_frames({"blocks": blocks}, engine.settings.partition_docs)
        results = engine.map_partitions(per_document_work, parts, lexicon=lexicon)
    tables = concat_partitions(results)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from pipeline.common import load_params, progress, settings_from_params

log = logging.getLogger("pipeline.execution")

P = TypeVar("P")
R = TypeVar("R")

ENGINES = ("local", "dask")
# Set by the benchmark (bench/run.py): a file to which `DaskEngine.close` appends one JSON line
# with each worker's peak resident memory and CPU seconds (measurement only; tables unaffected).
WORKER_USAGE_ENV = "NEWS_AGREEMENT_WORKER_USAGE"
# The folder holding the `pipeline` package (the data root, common.ROOT, may be elsewhere).
CODE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ExecutionSettings:
    """The `execution:` block of params.yaml (see its comments there)."""

    engine: str = "local"
    scheduler: str = ""
    n_workers: int = 2
    partition_docs: int = 500

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"execution.engine must be one of {ENGINES}, not {self.engine!r}")
        if self.n_workers < 1:
            raise ValueError(f"execution.n_workers must be at least 1, not {self.n_workers}")
        if self.partition_docs < 1:
            raise ValueError(f"execution.partition_docs must be at least 1, not {self.partition_docs}")


def load_execution(root=None) -> ExecutionSettings:
    """The execution settings from params.yaml (strict: unknown keys are an error; defaults for missing ones)."""
    return settings_from_params(ExecutionSettings, load_params("execution", root), "execution")


# --- partitions ----------------------------------------------------------------------------------


def chunk(items: Sequence[P], size: int) -> list[Sequence[P]]:
    """Consecutive slices of `size` items (the last may be shorter); none for no items."""
    if size < 1:
        raise ValueError(f"partition size must be at least 1, not {size}")
    return [items[i:i + size] for i in range(0, len(items), size)]


def doc_partitions(doc_ids, partition_docs: int) -> list[list[str]]:
    """The distinct doc_ids, sorted, in consecutive slices of `partition_docs`."""
    return [list(part) for part in chunk(sorted(set(doc_ids)), partition_docs)]


def partition_frames(
    frames: Mapping[str, pl.DataFrame], partition_docs: int, key: str = "doc_id"
) -> list[dict[str, pl.DataFrame]]:
    """The frames cut at the same document boundaries: one dict {name: rows of that frame whose
    `key` is in the partition's documents} per partition of the doc_ids found in any frame.

    Within a partition, each frame keeps its rows in their original relative order; the
    concatenation of a frame's pieces is the frame sorted (stably) by `key`. No input rows, no
    partitions. A null `key` is an error: such a row belongs to no document.
    """
    for name, frame in frames.items():
        if frame[key].null_count():
            raise ValueError(f"{name}: {frame[key].null_count()} row(s) with a null {key} belong to no partition")
    parts = doc_partitions((d for frame in frames.values() for d in frame[key].unique().to_list()), partition_docs)
    if not parts:
        return []
    firsts = pl.Series([part[0] for part in parts[1:]], dtype=pl.Utf8)
    pieces: dict[str, list[pl.DataFrame]] = {}
    for name, frame in frames.items():
        ordered = frame.sort(key, maintain_order=True)
        # rows of partition i are those from the first row >= its first doc_id up to the next one's
        cuts = [0, *ordered[key].cast(pl.Utf8).search_sorted(firsts, side="left").to_list(), ordered.height]
        pieces[name] = [ordered.slice(lo, hi - lo) for lo, hi in zip(cuts, cuts[1:])]
    return [{name: pieces[name][i] for name in frames} for i in range(len(parts))]


def concat_partitions(results: Sequence[Mapping[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """{name: the partitions' frames of that name, concatenated in partition order}."""
    names: list[str] = []
    for result in results:
        names.extend(n for n in result if n not in names)
    return {name: pl.concat([r[name] for r in results if name in r], how="vertical") for name in names}


# --- engines -------------------------------------------------------------------------------------


class LocalEngine:
    """Runs each partition in this process, one after the other."""

    def __init__(self, settings: ExecutionSettings | None = None) -> None:
        self.settings = settings or ExecutionSettings()

    def map_partitions(self, func: Callable[..., R], partitions: Sequence[P], desc: str = "partitions",
                       **shared: Any) -> list[R]:
        """[func(partition, **shared) for each partition], in partition order."""
        return list(self.imap_partitions(func, partitions, desc=desc, **shared))

    def imap_partitions(self, func: Callable[..., R], partitions: Sequence[P], desc: str = "partitions",
                        **shared: Any) -> Iterator[R]:
        """func(partition, **shared) for each partition, in partition order, each computed when it
        is asked for (one partition's result held at a time)."""
        for part in progress(partitions, desc=desc, total=len(partitions)):
            yield func(part, **shared)

    def close(self) -> None:
        pass


class DaskEngine:
    """Runs each partition as one task on a dask.distributed cluster (see the module docstring)."""

    def __init__(self, settings: ExecutionSettings) -> None:
        import logging

        from dask.distributed import Client, LocalCluster

        self.settings = settings
        self.cluster = None
        if settings.scheduler:
            self.client = Client(settings.scheduler)
        else:
            # Worker processes are spawned: they find `pipeline` through PYTHONPATH (and the
            # data root through NEWS_AGREEMENT_ROOT, when set, like this process).
            paths = [str(CODE_ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
            os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
            self.cluster = LocalCluster(n_workers=settings.n_workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def _n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})) or self.settings.n_workers)

    def map_partitions(self, func: Callable[..., R], partitions: Sequence[P], desc: str = "partitions",
                       **shared: Any) -> list[R]:
        """[func(partition, **shared) for each partition], in partition order, computed on the
        cluster (see `imap_partitions`)."""
        return list(self.imap_partitions(func, partitions, desc=desc, **shared))

    def imap_partitions(self, func: Callable[..., R], partitions: Sequence[P], desc: str = "partitions",
                        **shared: Any) -> Iterator[R]:
        """func(partition, **shared) for each partition, yielded in partition order as soon as it
        and all before it are done. `shared` values are sent to every worker once. At most two
        tasks per worker are submitted beyond the last result yielded, so neither this process nor
        the workers hold more than a few partitions' results, however many partitions there are."""
        from dask.distributed import as_completed

        if not partitions:
            return
        shared_futures = {name: self.client.scatter([value], broadcast=True, hash=False)[0]
                          for name, value in shared.items()}
        window = 2 * self._n_workers()
        index: dict[str, int] = {}
        in_flight: dict[int, Any] = {}
        finished: dict[int, Any] = {}
        queue = as_completed()
        next_submit = next_yield = 0
        bar = iter(progress(range(len(partitions)), desc=desc, total=len(partitions)))
        try:
            while next_yield < len(partitions):
                while next_submit < len(partitions) and next_submit - next_yield < window:
                    future = self.client.submit(func, partitions[next_submit], pure=False, **shared_futures)
                    index[future.key] = next_submit
                    in_flight[next_submit] = future
                    queue.add(future)
                    next_submit += 1
                while next_yield not in finished:
                    future = next(queue)
                    i = index.pop(future.key)
                    finished[i] = future.result()  # a task's error is raised here
                    in_flight.pop(i)
                    future.release()
                while next_yield in finished:
                    next(bar, None)
                    yield finished.pop(next_yield)
                    next_yield += 1
        finally:  # also when the caller stops early or a task failed: nothing is left running
            for future in in_flight.values():
                future.cancel()
            for future in shared_futures.values():
                future.release()

    def close(self) -> None:
        target = os.environ.get(WORKER_USAGE_ENV)
        if target:
            self._record_worker_usage(Path(target))
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _record_worker_usage(self, target: Path) -> None:
        import json

        try:
            usage = self.client.run(worker_usage)
        except Exception as err:  # noqa: BLE001 - a measurement never fails the stage
            log.warning("execution: worker usage not recorded: %s", err)
            return
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"workers": [usage[address] for address in sorted(usage)]}) + "\n")


def worker_usage() -> dict[str, float]:
    """This process's peak resident memory (MB) and CPU seconds so far (`resource.getrusage`);
    run on each worker by `DaskEngine` for the benchmark."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"max_rss_mb": round(usage.ru_maxrss / 1024, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3)}


@contextmanager
def open_engine(settings: ExecutionSettings | None = None) -> Iterator[LocalEngine | DaskEngine]:
    """The engine `settings` name (local by default), closed (cluster shut down) on leaving."""
    settings = settings or ExecutionSettings()
    engine = DaskEngine(settings) if settings.engine == "dask" else LocalEngine(settings)
    if settings.engine == "dask":
        plural = "es" if settings.n_workers > 1 else ""
        where = settings.scheduler or f"a LocalCluster of {settings.n_workers} worker process{plural}"
        log.info("execution: dask on %s, %d documents per partition", where, settings.partition_docs)
    try:
        yield engine
    finally:
        engine.close()


def map_partitions(func: Callable[..., R], partitions: Sequence[P], settings: ExecutionSettings | None = None,
                   **shared: Any) -> list[R]:
    """One-shot `open_engine(settings).map_partitions(func, partitions, **shared)`."""
    with open_engine(settings) as engine:
        return engine.map_partitions(func, partitions, **shared)
