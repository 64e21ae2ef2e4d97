"""Every draft narrative of the bundled build reads as plain English (issues 24 and 22).

textstat (Flesch 1948 reading ease, syllables by pyphen) over all 32 areas' national and
local outcomes: sentences of at most 25 words on average in each narrative, a reading
ease a lay board member can manage (each at least 30, the median at least 50, where 60
is plain English), and a lead of at most two sentences and about 60 words. The
distribution is printed (pytest -s) for the issue notes.
"""

from __future__ import annotations

import re
import statistics

import pytest
import textstat

from cjlib import pipeline


@pytest.fixture(scope="module")
def narratives(tmp_path_factory) -> list[str]:
    context = pipeline.prepare_batch(cache_dir=tmp_path_factory.mktemp("cache"))
    return pipeline.read_table(context, "assessment")["narrative"].tolist()


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\n+", text) if s.strip("- ").strip()]


def test_every_narrative_is_readable(narratives):
    ease, lengths, leads = [], [], []
    for text in narratives:
        plain = text.replace("\n- ", "\n")
        sentences = _sentences(plain)
        lengths.append(sum(len(s.split()) for s in sentences) / len(sentences))
        ease.append(textstat.flesch_reading_ease(plain))
        leads.append(text.split("\n\n")[0])
    deciles = statistics.quantiles(ease, n=10)
    print(
        f"\nreading ease over {len(ease)} narratives: min {min(ease):.1f}, "
        f"p10 {deciles[0]:.1f}, median {statistics.median(ease):.1f}, p90 {deciles[8]:.1f}, "
        f"max {max(ease):.1f}; words per sentence: median {statistics.median(lengths):.1f}, "
        f"max {max(lengths):.1f}; lead words: max {max(len(x.split()) for x in leads)}"
    )
    assert max(lengths) <= 25
    assert min(ease) >= 30 and statistics.median(ease) >= 50
    for lead in leads:
        assert len(_sentences(lead)) <= 2, lead
        assert len(lead.split()) <= 65, lead


def test_the_measure_catches_hard_prose():
    hard = (
        "Notwithstanding the aforementioned considerations, the multidimensional "
        "operationalisation of institutional accountability necessitates comprehensive "
        "interorganisational harmonisation of administrative responsibilities."
    )
    assert textstat.flesch_reading_ease(hard) < 30
