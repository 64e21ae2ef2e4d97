"""Finish a batch: each area's pack front page, its data downloads, and the national index.

- :mod:`cjlib.packs.batch`: finish a batch, area by area, then the national pages;
- :mod:`cjlib.packs.settings`: what every pack of a batch shares (tables, provenance, time);
- :mod:`cjlib.packs.area`: one area's front page, data downloads and Word drafts;
- :mod:`cjlib.packs.front_rows`: the rows of a front page's headline and not-used tables;
- :mod:`cjlib.packs.national_pages`: the national index, outcome pages and downloads.
"""

from cjlib.packs.batch import finish_batch

__all__ = ["finish_batch"]
