"""cjlib.hashing: short SHA-256 digests, checked against the published test vector."""

from __future__ import annotations

from cjlib.hashing import DIGEST_LENGTH, hash_bytes, hash_file, hash_parts
from cjlib.runner.hashes import MISSING
from cjlib.runner.hashes import hash_file as run_hash_file

#: SHA-256("abc"), FIPS 180-2 appendix B.1.
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_hash_bytes_is_the_shortened_sha256():
    assert hash_bytes(b"abc") == ABC[:DIGEST_LENGTH]
    assert hash_bytes("abc") == ABC[:DIGEST_LENGTH]


def test_hash_file_reads_the_bytes_and_reports_a_missing_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert hash_file(path) == ABC[:DIGEST_LENGTH]
    assert hash_file(tmp_path / "none") is None
    assert run_hash_file(tmp_path / "none") == MISSING


def test_hash_parts_keeps_the_boundaries():
    assert hash_parts(["ab", "c"]) != hash_parts(["a", "bc"])
    assert hash_parts(["ab", "c"]) == hash_parts([b"ab", b"c"])
    assert hash_parts([]) == hash_bytes(b"")
