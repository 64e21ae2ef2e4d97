"""Report a batch's progress on stderr: a tqdm bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Seconds between plain progress lines when stderr is not a terminal.
PLAIN_INTERVAL = 10.0


def format_duration(seconds: float) -> str:
    """Return a short duration such as ``"45s"``, ``"2m10s"`` or ``"1h05m"``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """Runs done out of the total, failures so far and the time left.

    Parameters
    ----------
    total : int
        Runs to execute.
    stream : text stream, optional
        Where to write; standard error by default.
    bar : bool, optional
        Force the tqdm bar (True) or plain lines (False); by default a bar only when
        ``stream`` is a terminal.
    interval : float
        Seconds between plain lines; the first and the last completion always print.
    done, failed : int
        Runs already settled before the clock starts (e.g. failed by a bad parameter
        file); they count in the total but not in the time estimate.
    """

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        bar: bool | None = None,
        interval: float = PLAIN_INTERVAL,
        done: int = 0,
        failed: int = 0,
    ) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.done = self._initial = done
        self.failed = failed
        self.interval = interval
        self._start = time.monotonic()
        self._last_line = float("-inf")
        if bar is None:
            bar = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar = None
        if bar and total:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                initial=done,
                file=self.stream,
                unit="run",
                desc="cjlib run",
                dynamic_ncols=True,
            )
            self._bar.set_postfix_str(f"{failed} failed")

    def eta(self, now: float | None = None) -> float | None:
        """Return the estimated seconds left, from this batch's throughput so far."""
        timed = self.done - self._initial
        if timed <= 0:
            return None
        elapsed = (time.monotonic() if now is None else now) - self._start
        return elapsed / timed * (self.total - self.done)

    def line(self, now: float | None = None) -> str:
        """Return the plain progress line, e.g. ``"[ 40/352] 3 failed, ~2m10s left"``."""
        width = len(str(self.total))
        eta = self.eta(now)
        left = (
            f", ~{format_duration(eta)} left" if eta is not None and self.done < self.total else ""
        )
        return f"[{self.done:>{width}}/{self.total}] {self.failed} failed{left}"

    def advance(self, failed: bool = False) -> None:
        """Count one finished run."""
        self.done += 1
        self.failed += bool(failed)
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
            self._bar.update(1)
            return
        now = time.monotonic()
        first = self.done == self._initial + 1
        if first or self.done == self.total or now - self._last_line >= self.interval:
            self._last_line = now
            print(self.line(now), file=self.stream, flush=True)

    def note(self, message: str) -> None:
        """Write a message line without breaking the bar."""
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def close(self) -> None:
        """Close the bar, if any."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
