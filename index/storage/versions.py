"""Index versions under one root directory, switched atomically.

    ROOT/
      CURRENT               name of the served version (replaced atomically)
      versions/<name>/      one complete index each (see storage/store.py)
      versions/.tmp-*/      a version being written; never read

A version is written into a temporary directory in the same parent, flushed to
disk, renamed into place, and only then made current. A killed writer leaves at
most a `.tmp-*` directory, which the next writer removes; the previous version
stays current and loadable. Older versions are kept for rollback, then pruned.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from docqa.errors import DocqaError, IndexNotFound, Interrupted, InvalidInput, StorageError

CURRENT = "CURRENT"
VERSIONS = "versions"
MANIFEST = "manifest.json"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Flush every file and folder under `path` (sub-folders too, e.g. the BM25 index) to disk."""
    for item in path.iterdir():
        if item.is_dir() and not item.is_symlink():
            _fsync_tree(item)
        elif item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(path)


_held = threading.local()


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Only one writer per root at a time; a second one fails fast with a clear message.

    Re-entrant within a thread: an ingest takes it before reading and embedding anything, and
    `commit_version` inside it finds it already held.
    """
    held: set[str] = _held.__dict__.setdefault("roots", set())
    key = os.path.realpath(root)
    if key in held:
        yield
        return
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(root))
    if (root / MANIFEST).is_file():  # a version's folder: a root inside it would be served by nothing
        raise InvalidInput(f"{root} is one index version, not an index folder: give the folder holding CURRENT and versions/.")
    if problem := current_file_problem(root):  # checked before anything is read, embedded or written
        raise StorageError(f"Nothing was changed: {problem}")
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DocqaError(f"Another ingest is writing to {root}; try again when it has finished.") from None
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)


def version_names(root: Path) -> list[str]:
    """Complete versions under `root`, oldest first."""
    folder = root / VERSIONS
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file())


def current_file_problem(root: Path) -> str | None:
    """What is wrong with ROOT/CURRENT when something other than a file has its name (a directory,
    say): the served version cannot be read or switched until it is moved away. None when it is a
    file or absent. docqa never removes it (it may hold someone's files)."""
    path = root / CURRENT
    if not path.exists() or path.is_file():
        return None
    kind = "a directory" if path.is_dir() else "not a regular file"
    kept = version_names(root)
    return (
        f"{path} is {kind}, not the file naming the served version. Move it out of the way, then choose the version "
        f"to serve with: docqa index rollback [VERSION] --index {root}" + (f" (kept: {', '.join(kept)})" if kept else "")
    )


def current_name(root: Path) -> str | None:
    """The name in ROOT/CURRENT, if any: None too when it is not a plain version name (damaged:
    not UTF-8, or a path that would lead out of ROOT/versions) or CURRENT is not a file."""
    if current_file_problem(root):
        return None  # (a FIFO would block the read)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or "\0" in name or name.startswith("."):
        return None
    return name


def interrupted(root: Path, served: str | None) -> Interrupted:
    """What a writer stopped by Ctrl-C leaves, given the version `served` when it started: a version is
    published last, by an atomic switch of CURRENT, so before that the served version is untouched (a
    half-written one is removed by the next writer)."""
    now = current_name(root)
    if now != served:
        return Interrupted(f"the new version {now} had already been published; {root} serves it.")
    if served is None:
        return Interrupted(f"nothing was published; {root} has no index version yet.")
    return Interrupted(f"nothing was published; {root} still serves version {served}.")


def current_version(root: Path) -> Path:
    """The directory of the served version.

    `root` may also be a single version directory (one holding a manifest).
    """
    if (root / MANIFEST).is_file():
        return root
    if problem := current_file_problem(root):
        raise IndexNotFound(f"No index can be served from {root}: {problem}")
    name = current_name(root)
    if name is None or not (root / VERSIONS / name / MANIFEST).is_file():
        kept = version_names(root)
        if kept:  # CURRENT damaged or naming a removed version: the versions are there, one only has to be chosen
            raise IndexNotFound(
                f"No index found at {root}: CURRENT names no complete version (kept: {', '.join(kept)}). "
                f"Serve one with: docqa index rollback VERSION --index {root}"
            )
        raise IndexNotFound(f"No index found at {root}. Build one with: docqa ingest PATH --index {root}")
    return root / VERSIONS / name


def set_current(root: Path, name: str) -> None:
    """Atomically make `name` the served version."""
    if not (root / VERSIONS / name / MANIFEST).is_file():
        raise IndexNotFound(f"No index version {name!r} under {root}")
    tmp = root / f".{CURRENT}.tmp"
    with open(tmp, "w") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


def _new_name(existing: list[str]) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    name, n = stamp, 1
    while name in existing:
        n += 1
        name = f"{stamp}-{n}"
    return name


def remove_stale_temporaries(root: Path) -> None:
    """Remove what killed writers left behind (call with the writer lock held)."""
    folder = root / VERSIONS
    if folder.is_dir():
        for item in folder.iterdir():
            if item.name.startswith(".tmp-"):
                shutil.rmtree(item, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (root / f".{CURRENT}.tmp").unlink()


def commit_version(root: Path, write: Callable[[Path], None], *, keep: int = 3) -> Path:
    """Write a new version with `write(tmp_dir)` and make it current, atomically.

    `write` must create every file of the version, the manifest last. Keeps the
    newest `keep` versions (the current one always survives).
    """
    with writer_lock(root):
        remove_stale_temporaries(root)
        folder = root / VERSIONS
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
        try:
            write(tmp)
            _fsync_tree(tmp)
            final = folder / _new_name(version_names(root))
            os.rename(tmp, final)
            _fsync_dir(folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        set_current(root, final.name)
        prune(root, keep=keep)
        return final


def prune(root: Path, *, keep: int) -> list[str]:
    """Delete the oldest versions beyond `keep`, never the current one."""
    names = version_names(root)
    current = current_name(root)
    doomed = [n for n in names[: max(0, len(names) - max(1, keep))] if n != current]
    for name in doomed:
        # Rename first: a writer killed mid-delete leaves a `.tmp-*` (cleaned up next
        # time), never a half-deleted directory that still looks like a version.
        trash = root / VERSIONS / f".tmp-del-{name}"
        with contextlib.suppress(FileNotFoundError):
            os.rename(root / VERSIONS / name, trash)
        shutil.rmtree(trash, ignore_errors=True)
    return doomed


@dataclass(frozen=True)
class VersionInfo:
    """One complete version under a root, as `docqa index list` shows it."""

    name: str
    current: bool
    created_at: str | None
    model: str | None
    documents: int | None
    chunks: int | None


def list_versions(root: Path) -> list[VersionInfo]:
    """Complete versions under `root`, oldest first, with their manifest summary."""
    if problem := current_file_problem(root):  # which version is served cannot be told
        raise IndexNotFound(problem)
    current = current_name(root)
    infos = []
    for name in version_names(root):
        try:
            data = json.loads((root / VERSIONS / name / MANIFEST).read_text())
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):  # a damaged manifest: listed, without its summary
            data = {}
        counts = data.get("counts") if isinstance(data.get("counts"), dict) else {}
        infos.append(
            VersionInfo(
                name=name,
                current=name == current,
                created_at=data.get("created_at"),
                model=data.get("model"),
                documents=counts.get("documents"),
                chunks=counts.get("chunks"),
            )
        )
    return infos


def rollback(root: Path, name: str | None = None) -> str:
    """Make `name` (default: the version before the current one) the served version again."""
    with writer_lock(root):
        names = version_names(root)
        if not names:
            raise IndexNotFound(f"No index versions under {root}. Build one with: docqa ingest PATH --index {root}")
        if name is None:
            current = current_name(root)
            older = [n for n in names if current is None or n < current]
            if not older:
                raise IndexNotFound(f"No version older than {current} under {root} to roll back to.")
            name = older[-1]
        elif name not in names:
            raise InvalidInput(f"No index version {name!r} under {root}. Versions: {', '.join(names) or 'none'}")
        _check_loadable(root, name)
        set_current(root, name)
        return name


def _check_loadable(root: Path, name: str) -> None:
    """Refuse to serve version `name` when its manifest or files are damaged (what loading it would find), saying
    what stays served: `docqa ask`, `eval` and a restarted server would otherwise find CURRENT naming a broken version."""
    from docqa.index.storage import checksums
    from docqa.index.storage.store import Manifest

    folder = root / VERSIONS / name
    try:
        checksums.verify(folder, Manifest.read(folder).files, what=f"index version {name}")
    except DocqaError as exc:  # IndexDamaged, or IndexMismatch (another format)
        current = current_name(root)
        raise type(exc)(f"{exc}; not rolled back" + (f": {current} is still served" if current else "")) from exc
