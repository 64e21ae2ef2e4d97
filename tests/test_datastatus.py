"""The demonstration-data label travels: CSV rows and chart images (cjlib.datastatus)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cjlib.datastatus import label_outcome_rows, label_rows  # noqa: E402
from cjlib.report import display as cjd  # noqa: E402
from cjlib.report.charts import mark_synthetic  # noqa: E402

SYN, OFF = "synthetic demonstration data", "official statistics"


@pytest.fixture
def published(monkeypatch):
    outputs: list = []
    monkeypatch.setattr(cjd, "_publish", lambda data, metadata=None: outputs.append(data))
    return outputs


def _figure():
    fig = Figure(figsize=(4, 2.5))
    fig.add_subplot().plot([1, 2, 3], [3, 1, 2])
    return fig


def test_rows_are_labelled_by_indicator_and_unknown_rows_are_not_called_official():
    frame = pd.DataFrame({"indicator_id": ["A", "B", "C"], "value": [1, 2, 3]})
    out = label_rows(frame, {"A": OFF, "B": SYN})
    assert out["data_status"].tolist() == [OFF, SYN, SYN]
    assert "data_status" not in frame  # a copy
    assert label_rows(pd.DataFrame({"x": [1]}), default=OFF)["data_status"].tolist() == [OFF]
    kept = label_rows(out.assign(data_status=OFF), {"A": SYN})
    assert kept["data_status"].tolist() == [OFF, OFF, OFF]


def test_an_indicator_is_official_only_when_every_measure_is_known_to_be_real():
    from cjlib.datastatus import indicator_statuses
    from cjlib.framework import Indicator

    def ind(i, num, den=None):
        kind = "count" if den is None else "proportion"
        return Indicator(
            id=i, outcome=None, title=i, definition="d", type=kind, numerator=num,
            denominator=den, polarity="none", unit="u", source="s", role="context",
            wording_status="local",
        )  # fmt: skip

    class Fw:
        indicators = [ind("A", "real1"), ind("B", "real1", "fake"), ind("C", "unknown")]

    assert indicator_statuses(Fw, {"fake"}, {"real1"}) == {"A": OFF, "B": SYN, "C": SYN}
    assert indicator_statuses(Fw, {"fake"})["C"] == OFF  # without real ids: only known fakes


def test_outcome_rows_are_synthetic_when_any_indicator_used_is():
    rows = pd.DataFrame({"indicators_used": ["A, B", "A", ""]})
    out = label_outcome_rows(rows, {"A": OFF, "B": SYN})
    assert out["data_status"].tolist() == [SYN, OFF, SYN]


@pytest.mark.parametrize(
    ("source", "status"),
    [("Justice Social Work Statistics (synthetic demonstration data, not official statistics)",
      SYN),
     ("National Records of Scotland", OFF)],
)  # fmt: skip
def test_every_csv_row_written_by_a_page_carries_its_status(published, tmp_path, source, status):
    data = pd.DataFrame({"Year": ["2022-23", "2023-24"], "Cases": [10, 14]})
    cjd.show_table(data, caption="Cases", source=source, csv_name="t.csv", output_dir=tmp_path)
    cjd.show_figure(
        _figure(), title="Cases rose", alt="Line chart of cases rising from 10 to 14",
        source=source, data=data, csv_name="f.csv", output_dir=tmp_path,
    )  # fmt: skip
    for name in ("t.csv", "f.csv"):
        table = pd.read_csv(tmp_path / "data" / name)
        assert table.columns[-1] == "data_status"
        assert table["data_status"].tolist() == [status, status]
    svg = next(o["image/svg+xml"] for o in published if "image/svg+xml" in o)
    assert ("DEMONSTRATION DATA" in svg) == (status == SYN)


def test_synthetic_chart_carries_a_visible_caption_and_watermark_once():
    fig = _figure()
    mark_synthetic(fig)
    mark_synthetic(fig)
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("DEMONSTRATION DATA") == 1
    assert sum(t.startswith("DEMONSTRATION DATA: Synthetic") for t in texts) == 1
