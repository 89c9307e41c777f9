"""Each file of an index version, with its size and SHA-256: written into the manifest at ingest, checked on load.

The manifest's `files` maps each path (relative to the version folder, `/`-separated; the
manifest itself excluded) to `{"bytes": size, "sha256": hex digest}`, so a file shortened,
overwritten or removed since it was written is refused with its name before anything reads it
(`sha256sum` checks the same digests by hand). Versions written before checksums have no `files`
and are loaded unchecked.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Mapping

from docqa.errors import IndexDamaged

_BLOCK = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file at `path`, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    block = bytearray(_BLOCK)
    view = memoryview(block)
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(block):
            digest.update(view[:count])
    return digest.hexdigest()


def digest_files(folder: Path, *, skip: str) -> dict[str, dict]:
    """Size and SHA-256 of every file under `folder` but `skip` (the manifest), by relative path."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != skip:
            files[name] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
    return files


def verify(folder: Path, files: Mapping[str, Mapping], *, what: str) -> None:
    """Raise `IndexDamaged` naming the first file of `files` that is missing, of another size or
    another content in `folder` (`what` names the version in the message, e.g. "index version X").
    Sizes are all checked before any content is hashed."""
    for name, expected in files.items():
        try:
            size = (folder / name).stat().st_size
        except OSError:
            raise IndexDamaged(f"{what} is damaged: {name} is missing or unreadable") from None
        if size != expected.get("bytes"):
            raise IndexDamaged(f"{what} is damaged: {name} has {size} bytes, its manifest says {expected.get('bytes')}")
    for name, expected in files.items():
        try:
            actual = sha256_of(folder / name)
        except OSError:
            raise IndexDamaged(f"{what} is damaged: {name} is unreadable") from None
        if actual != expected.get("sha256"):
            raise IndexDamaged(f"{what} is damaged: {name} does not match its checksum (overwritten?)")
