"""The inventory of the seeds folder: one line per entry, found without following any link.

DVC hashes a dependency folder by following its symbolic links, so a broken link or a link loop
in `seeds/` stops `dvc repro` before any stage runs, and a link out of the folder gets read. The
pipeline therefore gives DVC this inventory to watch instead of the folder: a regular file is
recorded by its sha256, a symbolic link by the text it points to (never followed), anything else
by its kind. The inventory changes exactly when what `ingest` would read changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

INVENTORY_PATH = "data/raw/seeds_inventory.jsonl"  # written by stage `scan`, read by DVC and `validate`


def _sha256(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        except OSError:
            return None
    return digest.hexdigest()


def _entry(path: str, rel: str) -> dict:
    try:
        st = os.lstat(path)
    except OSError as err:
        return {"path": rel, "kind": "unreadable", "detail": err.strerror or str(err)}
    if stat.S_ISLNK(st.st_mode):
        try:
            return {"path": rel, "kind": "link", "detail": os.readlink(path)}
        except OSError as err:
            return {"path": rel, "kind": "unreadable", "detail": err.strerror or str(err)}
    if stat.S_ISREG(st.st_mode):
        sha = _sha256(path)
        return {"path": rel, "kind": "file" if sha else "unreadable", "detail": sha or "", "n_bytes": st.st_size}
    return {"path": rel, "kind": "special", "detail": oct(stat.S_IFMT(st.st_mode))}


def inventory(seeds_dir: Path) -> Iterator[dict]:
    """Every entry under `seeds_dir` (hidden ones included: a hidden folder may be the target of
    a link), in sorted path order, folders walked without following links. Paths are relative to
    `seeds_dir`, with bytes that are not UTF-8 escaped."""
    base = os.fspath(seeds_dir)
    if not os.path.isdir(base):
        return
    found: list[tuple[str, str]] = []
    stack = [base]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            found.append((folder, "unlistable"))
            continue
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                found.append((entry.path, "entry"))
    for path, what in sorted(found):
        rel = os.path.relpath(path, base).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        yield {"path": rel, "kind": "unlistable", "detail": ""} if what == "unlistable" else _entry(path, rel)


def inventory_lines(seeds_dir: Path) -> str:
    """The inventory as JSON lines (sorted keys: the same folder gives the same bytes)."""
    return "".join(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n" for row in inventory(seeds_dir))
