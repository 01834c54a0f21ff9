"""Every input entry -> exactly one documents or rejected row: each entry decided by itself
(`decide_file`, `decide_files` for a partition, `decide_collection`), then duplicates decided
across entries in path order (`settle_duplicates`); `iter_outcomes` for given entries; a folder
end to end, its files decided on the execution engine (`iter_folder`, `ingest_folder`);
`DocumentWriter` streams documents to Parquet in batches.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.common import frame, progress
from pipeline.execution import DaskEngine, LocalEngine, chunk
from pipeline.intake.classify import CollectionFile, IngestConfig, classify_file, iter_collection, too_large_detail
from pipeline.intake.inputs import (
    InputEntry,
    Refusal,
    display_path,
    list_input_files,
    locate_inputs,
    read_file,
    repo_relative_path,
    resolve_link,
)
from pipeline.intake.manifest import ManifestEntry, read_manifest

log = logging.getLogger(__name__)

@dataclass
class Outcome:
    """The row one input entry (or one collection row) gets, before duplicates are decided across
    entries (`settle_duplicates`).

    `role`: `file` for the row of a file that was read or hashed (its sha256 and size are its
    identity; an accepted file is a duplicate of an earlier one with the same bytes) and for a
    collection rejected whole; `row` for a collection row (an accepted row is a duplicate of an
    earlier one with the same content); `entry` for the rest (unreadable, refused).
    `duplicate_of`: for a refused link to another input, that input's path (the row repeats its
    sha256 and size)."""

    table: str
    row: dict
    role: str
    duplicate_of: str | None = None


def decide_file(rel_path: str, raw: bytes | None, size: int, sha: str | None, error: str | None,
                manifest: ManifestEntry | None, config: IngestConfig) -> Outcome:
    """The outcome of one regular file from what `read_file` gave (bytes, size, sha256 when the
    bytes were hashed but not loaded, error sentence). Never raises."""
    if error is not None:
        return Outcome("rejected", {"path": rel_path, "sha256": None, "n_bytes": size, "reason": "unreadable",
                                    "detail": error}, "entry")
    if raw is None:  # over max_bytes: hashed, never loaded
        return Outcome("rejected", {"path": rel_path, "sha256": sha, "n_bytes": size, "reason": "too_large",
                                    "detail": too_large_detail(size, config.max_bytes)}, "file")
    try:
        table, row = classify_file(rel_path, raw, manifest, config)
    except Exception as err:  # noqa: BLE001 - one bad file never stops the run
        log.exception("%s: unexpected error while decoding", rel_path)
        table, row = "rejected", {"path": rel_path, "sha256": hashlib.sha256(raw).hexdigest(),
                                  "n_bytes": size, "reason": "undecodable",
                                  "detail": f"decoding failed unexpectedly: {type(err).__name__}: {err}"}
    return Outcome(table, row, "file")


def decide_files(entries: Sequence[tuple], config: IngestConfig) -> list[Outcome]:
    """The outcomes of a partition of regular files, each given as (repo-relative path, bytes or
    None, size, sha256 when not loaded, error sentence or None, manifest entry or None), in order
    (what `FilePartitions` gives). Runs on a worker of the execution engine: it touches no file."""
    return [decide_file(rel_path, raw, size, sha, error, manifest, config)
            for rel_path, raw, size, sha, error, manifest in entries]


class FilePartitions(Sequence):
    """Partitions of `partition_size` regular files for `decide_files`, each read (`read_file`) by
    this process only when the engine takes it to submit it, so that only the partitions in
    flight hold file bytes, and workers never open a file (nor need the seeds folder)."""

    def __init__(self, files: Sequence[tuple[str, Path, ManifestEntry | None]], partition_size: int,
                 max_bytes: int) -> None:
        self.chunks = chunk(files, partition_size)
        self.max_bytes = max_bytes

    def __len__(self) -> int:
        return len(self.chunks)

    def __getitem__(self, i: int) -> list[tuple]:
        return [(rel_path, *read_file(path, self.max_bytes), manifest) for rel_path, path, manifest in self.chunks[i]]


def decide_collection(rel_path: str, path: Path, config: IngestConfig) -> Iterator[Outcome]:
    """The outcome of every row of the collection at `path` (or of the whole file), streamed."""
    for table, row in iter_collection(rel_path, path, config):
        role = "row" if table == "document" else "file" if row.get("row_id") is None else "entry"
        yield Outcome(table, row, role)


def refused(rel_path: str, refusal: Refusal) -> Outcome:
    return Outcome("rejected", {"path": rel_path, "sha256": None, "n_bytes": 0, "reason": refusal.reason,
                                "detail": refusal.detail}, "entry", refusal.duplicate_of)


def decide_entries(files: Iterable[InputEntry], manifest: dict[str, ManifestEntry],
                   config: IngestConfig) -> Iterator[Outcome]:
    """The outcome of every `InputEntry` (every row of a collection), in order."""
    for rel_path, raw, size, sha, error in files:
        if isinstance(error, CollectionFile):
            yield from decide_collection(rel_path, error.path, config)
        elif isinstance(error, Refusal):
            yield refused(rel_path, error)
        else:
            yield decide_file(rel_path, raw, size, sha, error, manifest.get(rel_path), config)


def settle_duplicates(outcomes: Iterable[Outcome]) -> Iterator[tuple[str, dict]]:
    """("document", row) or ("rejected", row) per outcome, in order: an accepted file with the
    bytes of an earlier accepted file, or an accepted collection row with the text, title,
    outlet, URL and date of an earlier accepted row, is rejected as `duplicate`, naming the first,
    which is kept. A refused link to another input repeats that input's sha256 and size, filled
    into its (already yielded) row once `outcomes` is exhausted: keep rejected rows until then."""
    first_by_key: dict[bytes, str] = {}
    identity: dict[str, tuple[str | None, int]] = {}  # path -> (sha256, n_bytes) of every file row
    linked: list[tuple[dict, str]] = []
    for outcome in outcomes:
        table, row = outcome.table, outcome.row
        if outcome.role == "file":
            identity[row["path"]] = (row["sha256"], row["n_bytes"])
        if outcome.duplicate_of is not None:
            linked.append((row, outcome.duplicate_of))
        if table != "document":
            yield "rejected", row
            continue
        if outcome.role == "row":
            digest = hashlib.sha256("\x1f".join(str(row.get(k) or "") for k in (
                "sha256", "title", "outlet", "url", "published_date")).encode("utf-8", "surrogatepass")).digest()
            key, what = b"r" + digest[:16], "same text, title, outlet, URL and date"
        else:
            key, what = b"f" + bytes.fromhex(row["sha256"])[:16], "same bytes"
        original = first_by_key.get(key)
        if original is not None:
            yield "rejected", {"path": row["path"], "row_id": row.get("row_id"), "sha256": row["sha256"],
                               "n_bytes": row["n_bytes"], "reason": "duplicate",
                               "detail": f"{what} as {original}, which is kept"}
            continue
        first_by_key[key] = row["path"]
        yield "document", row
    # The linked input may come later in path order: its identity is filled in at the end, in
    # the row already yielded (callers keep rejected rows until the end).
    for row, original in linked:
        row["sha256"], row["n_bytes"] = identity.get(original, (None, 0))


def iter_outcomes(
    files: Iterable[InputEntry],
    manifest: dict[str, ManifestEntry],
    config: IngestConfig,
    total: int | None = None,
) -> Iterator[tuple[str, dict]]:
    """("document", documents row) or ("rejected", rejected row) for files given as `InputEntry`
    (repo-relative path, bytes or None, size, sha256 when bytes were not loaded, read error
    sentence or `Refusal` or `CollectionFile` or None), in sorted path order. `files` may be a
    generator, so that only one file's bytes (one collection row) are held at a time.

    `manifest` keys are paths relative to the repo root; it applies to single files only (a
    collection row carries its own metadata). Duplicates are decided across entries by
    `settle_duplicates` (the same agency copy under two outlets is two documents); keep rejected
    rows until the generator is exhausted. Every entry (every collection row) gives exactly one row.
    """
    yield from settle_duplicates(decide_entries(progress(files, desc="ingest", total=total), manifest, config))


def ingest_files(
    files: Iterable[InputEntry],
    manifest: dict[str, ManifestEntry],
    config: IngestConfig,
    total: int | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) of `iter_outcomes`, as two frames (for small inputs and tests; the
    stage streams documents to disk with `DocumentWriter`)."""
    documents: list[dict] = []
    rejected: list[dict] = []
    for table, row in iter_outcomes(files, manifest, config, total):
        (documents if table == "document" else rejected).append(row)
    return (
        frame("documents", documents),
        frame("rejected", rejected),
    )


class DocumentWriter:
    """Writes `documents` to its Parquet file in batches as rows arrive, so that the stage holds
    one batch of text at a time however large the input (a 2 GB collection). Rows are written in
    the order they come (input files in sorted path order, collection rows in file order): the
    same input gives the same bytes. Columns are conformed to the declared schema per batch."""

    def __init__(self, path: Path, batch_chars: int = 16_000_000, batch_rows: int = 10_000):
        self.path = path
        self.batch_chars, self.batch_rows = batch_chars, batch_rows
        self.rows: list[dict] = []
        self.n_chars = 0
        self.n_written = 0
        self.writer = None

    def add(self, row: dict) -> None:
        self.rows.append(row)
        self.n_chars += len(row["text"])
        if self.n_chars >= self.batch_chars or len(self.rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow.parquet as pq

        from pipeline.schemas import TABLES

        table = TABLES["documents"]
        batch = frame("documents", self.rows).select([pl.col(c.name).cast(c.dtype) for c in table.columns]).to_arrow()
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, batch.schema, compression="zstd", write_statistics=True)
        if batch.num_rows or self.n_written == 0:
            self.writer.write_table(batch)
        self.n_written += batch.num_rows
        self.rows, self.n_chars = [], 0

    def close(self) -> int:
        if self.rows or self.writer is None:
            self.flush()
        self.writer.close()
        return self.n_written


def manifest_inside_seeds(manifest_path: Path, seeds_dir: Path) -> str | None:
    """None if the manifest may be read; else why not: it stands in the seeds folder but is a
    symbolic link leading outside it (never opened)."""
    try:
        Path(manifest_path).relative_to(seeds_dir)
    except ValueError:
        return None  # configured outside the seeds folder on purpose
    if not Path(manifest_path).is_symlink():
        return None
    target = resolve_link(Path(manifest_path), Path(os.path.realpath(seeds_dir)))
    if target.kind in ("file", "missing"):
        return None
    return f"it is a symbolic link that leads outside the seeds folder or nowhere ({target.kind}: {target.path})"


def ingest_folder(
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path,
    engine: LocalEngine | DaskEngine | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) for every entry under `seeds_dir`; paths relative to `root`."""
    documents: list[dict] = []
    rejected: list[dict] = []
    for table, row in iter_folder(seeds_dir, manifest_path, config, root, engine):
        (documents if table == "document" else rejected).append(row)
    return frame("documents", documents), frame("rejected", rejected)


def iter_folder(
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path,
    engine: LocalEngine | DaskEngine | None = None,
) -> Iterator[tuple[str, dict]]:
    """`iter_outcomes` for every entry under `seeds_dir`; paths relative to `root`.

    This process lists the entries, resolves symbolic links (`locate_inputs`: nothing outside
    the seeds folder is touched) and reads the regular files, one partition of `partition_docs`
    files at a time as the engine submits it (`FilePartitions`); the files are decided on
    `engine` (default: in this process), the outcomes yielded back in order. Collections are
    streamed row by row here, so that no task holds a whole collection; refusals are decided here. Duplicates are then settled in path order (`settle_duplicates`), so the
    rows do not depend on the engine or the partitioning.
    """
    manifest: dict[str, ManifestEntry] = {}
    if manifest_path is not None:
        why_not = manifest_inside_seeds(manifest_path, seeds_dir)
        if why_not:
            log.warning("manifest %s not read: %s", manifest_path, why_not)
        else:
            # The manifest names files relative to seeds_dir; tables name them relative to the repo root.
            seeds_rel = Path(os.path.relpath(seeds_dir, root))
            manifest = {display_path((seeds_rel / k).as_posix()): v for k, v in read_manifest(manifest_path).items()}
    paths = list_input_files(seeds_dir, manifest_path)
    rel_paths = {repo_relative_path(p, root) for p in paths}
    for rel_path in sorted(set(manifest) - rel_paths):
        log.warning("manifest lists %s, which is not in %s", rel_path, seeds_dir)
    located = list(locate_inputs(paths, seeds_dir, root))
    engine = engine or LocalEngine()
    to_read = [(rel_path, what, manifest.get(rel_path)) for rel_path, _, what in located if isinstance(what, Path)]
    partitions = FilePartitions(to_read, engine.settings.partition_docs, config.max_bytes)
    decided = engine.imap_partitions(decide_files, partitions, desc="ingest", config=config)
    decided_files = (outcome for part in decided for outcome in part)

    def in_path_order() -> Iterator[Outcome]:
        for rel_path, size, what in located:
            if isinstance(what, Path):
                yield next(decided_files)
            elif isinstance(what, CollectionFile):
                yield from decide_collection(rel_path, what.path, config)
            elif isinstance(what, Refusal):
                yield refused(rel_path, what)
            else:
                yield decide_file(rel_path, None, size, None, what, None, config)

    yield from settle_duplicates(in_path_order())
