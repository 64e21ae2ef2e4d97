"""The interactive explorer draws widgets only in a live front end, never in batch runs."""

from cjlib.report import explore


def test_not_interactive_outside_a_kernel(monkeypatch):
    monkeypatch.delenv(explore.STATIC_ENV, raising=False)
    assert explore.is_interactive() is False


def test_batch_runs_are_static(monkeypatch):
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    assert explore.is_interactive() is False


def test_explore_shows_nothing_when_static(monkeypatch, capsys):
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    assert explore.explore(ctx=None, indicator_ids=["NI01b_rate"]) is None
    assert capsys.readouterr().out == ""
