"""The input entries under `seeds_dir`: listed (`list_input_files`), symbolic links resolved one hop
at a time without leaving the folder (`resolve_link`), read once with a size limit (`read_inputs`).
"""

from __future__ import annotations

import logging
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.intake.classify import CollectionFile
from pipeline.intake.collections import collection_kind

log = logging.getLogger(__name__)

# --- input files and symbolic links ------------------------------------------------------------

MAX_LINK_HOPS = 40  # as the Linux kernel: more symbolic links than this on one path is a loop


@dataclass(frozen=True)
class LinkTarget:
    """Where a symbolic link under the seeds folder leads, found without leaving the folder.

    `kind`: `file`, `folder`, `special` (pipe, socket, device), `missing` (broken link), `loop`,
    `outside` (leads outside the seeds folder: nothing there was opened or stat'ed) or `error`.
    `path`: the real path it leads to (for `outside`, the path outside as far as it was resolved,
    the rest as written). `chain`: the text of each link followed, as written.
    """

    kind: str
    path: str
    chain: tuple[str, ...]
    error: str | None = None


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def resolve_link(link: Path, seeds_root: Path, max_hops: int = MAX_LINK_HOPS) -> LinkTarget:
    """Follow the symbolic link `link` (inside `seeds_root`, a real path) one component at a time,
    as the kernel does, with `os.readlink` and `os.lstat` only, and stop at the first component
    outside `seeds_root`: no file or folder outside the seeds folder is opened or stat'ed.

    The folders above `seeds_root` are passed through (a link `../seeds/a.txt` is inside).
    """
    root = str(seeds_root)
    resolved = os.path.realpath(link.parent)  # a real folder inside the seeds folder
    pending = [link.name]
    chain: list[str] = []
    st = None
    while pending:
        name = pending.pop(0)
        if name in ("", "."):
            continue
        resolved = os.path.dirname(resolved) if name == ".." else os.path.join(resolved, name)
        if not _is_within(resolved, root):
            if _is_within(root, resolved):  # a folder above the seeds folder, on the way back in
                st = None
                continue
            return LinkTarget("outside", os.path.join(resolved, *pending), tuple(chain))
        try:
            st = os.lstat(resolved)
        except (FileNotFoundError, NotADirectoryError):
            return LinkTarget("missing", os.path.join(resolved, *pending), tuple(chain))
        except OSError as err:
            return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
        if stat.S_ISLNK(st.st_mode):
            if len(chain) >= max_hops:
                return LinkTarget("loop", resolved, tuple(chain))
            try:
                written = os.readlink(resolved)
            except OSError as err:
                return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
            chain.append(written)
            resolved = "/" if written.startswith("/") else os.path.dirname(resolved)
            pending = written.split("/") + pending
            st = None
        elif pending and not stat.S_ISDIR(st.st_mode):
            return LinkTarget("missing", os.path.join(resolved, *pending), tuple(chain))
    if not _is_within(resolved, root):  # ended on a folder above the seeds folder ("..")
        return LinkTarget("outside", resolved, tuple(chain))
    if st is None:  # ended on "." or "..": a folder inside, or the seeds folder itself
        try:
            st = os.lstat(resolved)
        except OSError as err:
            return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
    if stat.S_ISDIR(st.st_mode):
        return LinkTarget("folder", resolved, tuple(chain))
    if stat.S_ISREG(st.st_mode):
        return LinkTarget("file", resolved, tuple(chain))
    return LinkTarget("special", resolved, tuple(chain))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    return "special file"


def display_path(path: str) -> str:
    """A path as a table stores it: '/'-separated, and bytes of a file name that are not UTF-8
    shown as \\xNN (Parquet strings must be valid UTF-8)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_hidden(rel_parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in rel_parts)


def list_input_files(seeds_dir: Path, manifest_path: Path | None) -> list[Path]:
    """Every entry under `seeds_dir` that ingest accounts for, recursively, in sorted order:
    regular files, symbolic links (to files or folders, broken or looping) and special files.
    Hidden files and folders (.gitkeep, .DS_Store) and the manifest itself (by its path, or a
    link to it) are skipped. Folders
    are walked without following links (a link to a folder is itself one entry), and nothing
    outside `seeds_dir` is stat'ed."""
    seeds_root = Path(os.path.realpath(seeds_dir))
    manifest_real = os.path.realpath(manifest_path) if manifest_path else None
    manifest_lexical = os.path.abspath(manifest_path) if manifest_path else None
    files: list[Path] = []
    stack = [Path(seeds_dir)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as err:
            log.warning("cannot list %s (%s): the files in it are not read", folder, err.strerror or err)
            continue
        folder_real = os.path.realpath(folder)
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if manifest_lexical is not None:
                if os.path.abspath(path) == manifest_lexical:
                    continue
                if entry.is_symlink():
                    target = resolve_link(path, seeds_root)
                    real = target.path if target.kind == "file" else None
                else:
                    real = os.path.join(folder_real, entry.name)
                if real == manifest_real:
                    continue
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


@dataclass(frozen=True)
class Refusal:
    """An input entry rejected without reading it as an article (a link not followed, a pipe).
    `duplicate_of`: the input path whose sha256 and size the rejected row repeats."""

    reason: str
    detail: str
    duplicate_of: str | None = None


# One input entry as `ingest_files` takes it: (repo-relative path, bytes or None, size, sha256
# when the bytes were hashed but not kept, error sentence or Refusal or None).
InputEntry = tuple[str, "bytes | None", int, "str | None", "str | Refusal | None"]


def read_file(path: Path, max_bytes: int) -> tuple[bytes | None, int, str | None, str | None]:
    """(bytes, size, sha256-if-not-read, error) of the regular file `path`. Files over `max_bytes`
    are hashed in chunks instead of being loaded whole; unreadable files give bytes None and an
    error sentence. The last component is never followed if it is a symbolic link, and a file that
    is not regular (a pipe swapped in after listing) is not read (opened without blocking)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        return None, 0, None, f"cannot read the file: {err.strerror or err}"
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, 0, None, f"cannot read the file: it is a {_special_kind(st.st_mode)}, not a regular file"
            size = st.st_size
            if size > max_bytes:
                digest = hashlib.sha256()
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                return None, size, digest.hexdigest(), None
            raw = fh.read()
            return raw, len(raw), None, None
        except OSError as err:
            return None, 0, None, f"cannot read the file: {err.strerror or err}"


# Where one input entry stands before any file is read (`locate_inputs`): a regular file inside
# the seeds folder to read (`read_file`), a collection, a refusal, or an error sentence.
Located = tuple[str, int, "Path | CollectionFile | Refusal | str"]


def read_inputs(paths: list[Path], seeds_dir: Path, root: Path, max_bytes: int) -> Iterator[InputEntry]:
    """One `InputEntry` per path of `list_input_files`, in order, holding one file's bytes at a
    time (the entries of `locate_inputs`, regular files read with `read_file`)."""
    for rel_path, size, what in locate_inputs(paths, seeds_dir, root):
        if isinstance(what, Path):
            yield (rel_path, *read_file(what, max_bytes))
        else:
            yield rel_path, None, size, None, what


def locate_inputs(paths: list[Path], seeds_dir: Path, root: Path) -> Iterator[Located]:
    """(repo-relative path, size, where it stands) per path of `list_input_files`, in order,
    without opening any file: the `Path` of a regular file inside the seeds folder to read (the
    entry itself, or the hidden file a link leads to), a `CollectionFile` (size: the file's), a
    `Refusal`, or an error sentence (the entry cannot be stat'ed).

    A symbolic link is resolved inside the seeds folder (`resolve_link`) and never opened when it
    leads outside it (`outside_seeds`), nowhere (broken, loop: `unreadable`), to another input file
    or to a folder whose files are inputs (`duplicate`: those files are read under their own
    paths). Only a link to a file inside the seeds folder that is no input (a hidden file) is read.
    """
    seeds_root = Path(os.path.realpath(seeds_dir))
    seeds_name = display_path(Path(os.path.relpath(seeds_dir, root)).as_posix())
    real_to_rel: dict[str, str] = {}
    for path in paths:
        if not path.is_symlink():
            rel_in_seeds = path.relative_to(seeds_dir)
            real_to_rel[str(seeds_root / rel_in_seeds)] = repo_relative_path(path, root)

    root_real = os.path.realpath(root)

    def where(real: str) -> str:
        """A real path for a sentence: by the seeds folder's name inside it (also when that folder
        is itself a link), else relative to the repository root when under it, else absolute."""
        if _is_within(real, str(seeds_root)):
            rel = os.path.relpath(real, seeds_root)
            return seeds_name if rel == "." else display_path(f"{seeds_name}/{Path(rel).as_posix()}")
        if not _is_within(real, root_real):
            return display_path(real)
        rel = os.path.relpath(real, root_real)
        return "the repository root" if rel == "." else display_path(rel)

    for path in paths:
        rel_path = repo_relative_path(path, root)
        try:
            st = os.lstat(path)
        except OSError as err:
            yield rel_path, 0, f"cannot read the file: {err.strerror or err}"
            continue
        mode = st.st_mode
        if stat.S_ISREG(mode):
            if collection_kind(path) is not None:  # streamed row by row, never loaded whole
                yield rel_path, st.st_size, CollectionFile(path)
                continue
            yield rel_path, st.st_size, path
            continue
        if not stat.S_ISLNK(mode):
            yield rel_path, 0, Refusal("unreadable", f"is a {_special_kind(mode)}, not a regular file; it was not opened")
            continue
        target = resolve_link(path, seeds_root)
        chain = " -> ".join([rel_path, *(display_path(c) for c in target.chain)])
        if target.kind == "outside":
            # Reached by relative links only, it is named relative to the repository root, so that
            # the row does not change when the repository is cloned elsewhere.
            relative = not any(c.startswith("/") for c in target.chain) and not _is_within(target.path, root_real)
            shown = display_path(os.path.relpath(target.path, root_real)) if relative else where(target.path)
            refusal = Refusal("outside_seeds", f"is a symbolic link to {shown}, outside {seeds_name}/ "
                                               f"({chain}); it was not opened")
        elif target.kind == "loop":
            refusal = Refusal("unreadable", f"is a symbolic link loop ({' -> '.join(chain.split(' -> ')[:4])} -> …): "
                                            "it leads to no file")
        elif target.kind == "missing":
            refusal = Refusal("unreadable", f"is a broken symbolic link ({chain}): {where(target.path)} does not exist")
        elif target.kind == "error":
            refusal = Refusal("unreadable", f"is a symbolic link ({chain}) that cannot be resolved: {target.error}")
        elif target.kind == "special":
            try:
                kind = _special_kind(os.lstat(target.path).st_mode)
            except OSError:
                kind = "special file"
            refusal = Refusal("unreadable", f"is a symbolic link to {where(target.path)}, a {kind}, "
                                            "not a regular file; it was not opened")
        elif target.kind == "folder":
            inside = Path(os.path.relpath(target.path, seeds_root)).parts
            if _is_hidden(inside):
                refusal = Refusal("unreadable", f"is a symbolic link to the hidden folder {where(target.path)}/ "
                                                f"({chain}); hidden folders are skipped and links to folders are not "
                                                "followed, so nothing is read through it")
            else:
                refusal = Refusal("duplicate", f"is a symbolic link to the folder {where(target.path)}/ ({chain}), "
                                               "whose files are read under their own paths (links to folders are "
                                               "not followed)")
        elif target.path in real_to_rel:
            original = real_to_rel[target.path]
            refusal = Refusal("duplicate", f"is a symbolic link to {original}, which is read under its own path",
                              duplicate_of=original)
        else:  # a file inside the seeds folder that is no input itself (a hidden file): read it here
            yield rel_path, 0, Path(target.path)
            continue
        yield rel_path, 0, refusal


def repo_relative_path(path: Path, root: Path) -> str:
    return display_path(Path(os.path.relpath(path, root)).as_posix())
