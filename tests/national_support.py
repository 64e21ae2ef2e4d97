"""A small national build for the benchmarking tests: the real batch tables, three areas' packs.

Runs :func:`cjlib.pipeline.prepare_batch` on the bundled data (cached in a
temporary folder), then :func:`cjlib.packs.finish_batch` with a manifest that
says three areas' notebooks ran, so each of them gets its front page and data
CSVs, and the national index, outcome pages and downloads are written.  No
notebook is executed.
"""

from __future__ import annotations

from pathlib import Path

from cjlib.paths import NOTEBOOKS_DIR

#: Three contrasting areas: large and urban, small with suppression, mid-sized.
AREAS = {"S12000049": "Glasgow City", "S12000023": "Orkney Islands", "S12000047": "Fife"}


def build_national(root: Path) -> tuple[Path, object]:
    """Build the national pages for :data:`AREAS` under ``root``; return (period folder, batch)."""
    from cjlib.packs import finish_batch
    from cjlib.pipeline import prepare_batch

    batch = prepare_batch(cache_dir=root / "cache")
    stems = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    runs = [
        {"area_code": code, "notebook": stem, "status": "ok", "seconds": 1.0}
        for code in AREAS
        for stem in stems
    ]
    out = root / "out"
    finish_batch(batch.period, out, {"runs": runs}, prepared=batch)
    return out / batch.period, batch
