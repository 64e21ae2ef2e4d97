"""Provenance in one place: cjlib/data/PROVENANCE.md, read for the packs and the data log."""

from __future__ import annotations

import hashlib

from cjlib.loaders.mapping import bundled_mappings, read_mapping
from cjlib.packs import PROVENANCE, SYNTHETIC_PROVENANCE
from cjlib.paths import DATA_DIR, PROJECT_DIR
from cjlib.provenance import DATA_LOG_MD, data_log_markdown, pack_provenance, provenance_rows


def _files():
    return {row["file"].strip("`"): row for row in provenance_rows()}


def test_every_bundled_data_file_has_a_provenance_row():
    bundled = {p.name for p in DATA_DIR.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert bundled == set(_files())


def test_real_files_are_byte_for_byte_as_recorded():
    for name, row in _files().items():
        if name == "demo_measures.csv":
            continue
        digest = hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest()
        assert row["SHA-256"].strip("`") == digest, name


def test_every_row_names_publisher_and_licence():
    for name, row in _files().items():
        assert row["publisher"] and row["licence"], name
        if name != "demo_measures.csv":
            assert row["licence"] == "Open Government Licence v3.0", name


def test_data_log_is_generated_from_provenance():
    assert DATA_LOG_MD.read_text(encoding="utf-8") == data_log_markdown()


def test_packs_use_the_same_rows():
    assert PROVENANCE == pack_provenance()
    assert SYNTHETIC_PROVENANCE["licence"].startswith("not official statistics")
    assert "do not use for decisions" in SYNTHETIC_PROVENANCE["notes"]


def test_every_mapping_names_a_bundled_file_with_provenance():
    files = _files()
    for path in bundled_mappings().values():
        spec = read_mapping(path)
        assert spec.file in files, spec.id
        assert spec.id in files[spec.file]["loader"], spec.id
        assert (DATA_DIR / spec.file).exists()
        assert spec.licence == files[spec.file]["licence"]


def test_data_sources_doc_names_every_mapping():
    text = (PROJECT_DIR / "docs" / "data-sources.md").read_text(encoding="utf-8")
    for mapping_id in bundled_mappings():
        assert mapping_id in text


def test_mapping_templates_follow_the_schema():
    templates = sorted((PROJECT_DIR / "docs" / "mappings").glob("*.yaml"))
    assert len(templates) >= 3
    for path in templates:
        spec = read_mapping(path)
        assert "CHECK" in path.read_text(encoding="utf-8"), path  # marked as unconfirmed
        assert spec.source
