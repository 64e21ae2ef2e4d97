"""Short SHA-256 digests of bytes, files and sequences of parts: one helper for every cache key."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

#: Length of the hex digests cjlib records (64 bits: ample to tell inputs apart).
DIGEST_LENGTH = 16


def _bytes(part: bytes | str) -> bytes:
    return part if isinstance(part, bytes) else str(part).encode("utf-8")


def hash_bytes(data: bytes | str) -> str:
    """Return the shortened SHA-256 hex digest of ``data`` (text is encoded as UTF-8)."""
    return hashlib.sha256(_bytes(data)).hexdigest()[:DIGEST_LENGTH]


def hash_parts(parts: Iterable[bytes | str]) -> str:
    """Return one shortened digest over several parts, each ended by a NUL byte.

    The separator keeps ``["ab", "c"]`` and ``["a", "bc"]`` apart.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(_bytes(part) + b"\0")
    return digest.hexdigest()[:DIGEST_LENGTH]


def hash_file(path: str | Path) -> str | None:
    """Return the shortened SHA-256 digest of a file's bytes, or None when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()[:DIGEST_LENGTH]
    except FileNotFoundError:
        return None
