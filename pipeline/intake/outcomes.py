"""Every input entry -> exactly one documents or rejected row (`iter_outcomes`, duplicates decided
across entries); a folder end to end (`iter_folder`, `ingest_folder`); `DocumentWriter` streams
documents to Parquet in batches.
"""

from __future__ import annotations

import logging
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl

from pipeline.common import frame, progress
from pipeline.intake.classify import CollectionFile, IngestConfig, classify_file, iter_collection, too_large_detail
from pipeline.intake.inputs import (
    InputEntry,
    Refusal,
    display_path,
    list_input_files,
    read_inputs,
    repo_relative_path,
    resolve_link,
)
from pipeline.intake.manifest import ManifestEntry, read_manifest

log = logging.getLogger(__name__)

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
    collection row carries its own metadata). Exact duplicates of an accepted file are rejected
    as `duplicate`, naming the first file in sorted order, which is kept; a collection row is a
    duplicate of an earlier row with the same text, title, outlet, URL and date (the same agency
    copy under two outlets is two documents). A refused link to another input repeats that
    input's sha256 and size, filled into its (already yielded) row once the generator is
    exhausted: keep rejected rows until then. Every entry (every collection row) gives exactly
    one row.
    """
    first_by_key: dict[bytes, str] = {}
    identity: dict[str, tuple[str | None, int]] = {}  # path -> (sha256, n_bytes) of every file row
    linked: list[tuple[dict, str]] = []

    def deduplicated(table: str, row: dict, key: bytes, what: str) -> tuple[str, dict]:
        if table != "document":
            return "rejected", row
        original = first_by_key.get(key)
        if original is not None:
            return "rejected", {"path": row["path"], "row_id": row.get("row_id"), "sha256": row["sha256"],
                                "n_bytes": row["n_bytes"], "reason": "duplicate",
                                "detail": f"{what} as {original}, which is kept"}
        first_by_key[key] = row["path"]
        return "document", row

    for rel_path, raw, size, sha, error in progress(files, desc="ingest", total=total):
        if isinstance(error, CollectionFile):
            for table, row in iter_collection(rel_path, error.path, config):
                if table == "document":
                    key = hashlib.sha256("\x1f".join(str(row.get(k) or "") for k in (
                        "sha256", "title", "outlet", "url", "published_date")).encode("utf-8", "surrogatepass")).digest()
                    table, row = deduplicated(table, row, b"r" + key[:16],
                                              "same text, title, outlet, URL and date")
                elif row.get("row_id") is None:
                    identity[rel_path] = (row["sha256"], row["n_bytes"])
                yield table, row
            continue
        if isinstance(error, Refusal):
            row = {"path": rel_path, "sha256": None, "n_bytes": 0, "reason": error.reason, "detail": error.detail}
            if error.duplicate_of is not None:
                linked.append((row, error.duplicate_of))
            yield "rejected", row
            continue
        if error is not None:
            yield "rejected", {"path": rel_path, "sha256": None, "n_bytes": size, "reason": "unreadable", "detail": error}
            continue
        if raw is None:  # over max_bytes: hashed, never loaded
            identity[rel_path] = (sha, size)
            yield "rejected", {"path": rel_path, "sha256": sha, "n_bytes": size, "reason": "too_large",
                               "detail": too_large_detail(size, config.max_bytes)}
            continue
        entry = manifest.get(rel_path)
        try:
            table, row = classify_file(rel_path, raw, entry, config)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the run
            log.exception("%s: unexpected error while decoding", rel_path)
            table, row = "rejected", {"path": rel_path, "sha256": hashlib.sha256(raw).hexdigest(),
                                      "n_bytes": size, "reason": "undecodable",
                                      "detail": f"decoding failed unexpectedly: {type(err).__name__}: {err}"}
        identity[rel_path] = (row["sha256"], row["n_bytes"])
        yield deduplicated(table, row, b"f" + bytes.fromhex(row["sha256"])[:16], "same bytes")
    # The linked input may come later in path order: its identity is filled in at the end, in
    # the row already yielded (callers keep rejected rows until the end).
    for row, original in linked:
        row["sha256"], row["n_bytes"] = identity.get(original, (None, 0))


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
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) for every entry under `seeds_dir`; paths relative to `root`."""
    documents: list[dict] = []
    rejected: list[dict] = []
    for table, row in iter_folder(seeds_dir, manifest_path, config, root):
        (documents if table == "document" else rejected).append(row)
    return frame("documents", documents), frame("rejected", rejected)


def iter_folder(
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path
) -> Iterator[tuple[str, dict]]:
    """`iter_outcomes` for every entry under `seeds_dir`; paths relative to `root`."""
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
    yield from iter_outcomes(read_inputs(paths, seeds_dir, root, config.max_bytes), manifest, config, total=len(paths))

