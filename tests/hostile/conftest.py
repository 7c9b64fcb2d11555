"""The hostile-input suite: every case runs under a deadline.

:func:`refused` runs one call in a thread and asserts that it ends within its
limit in a Dutch :class:`~kansenkaart.DataError` that names the file (or
database) and says what to do ("Oplossing: ..."), never in another exception
type. The measured times are printed with ``pytest --durations=0``.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable

from kansenkaart import DataError

LIMIT_S = 10.0
"""Default deadline of one hostile case (s); the slowest measured case takes
well under a second on a laptop."""


def finished(call: Callable, limit_s: float = LIMIT_S):
    """``call()`` run in a thread: (result, exception, seconds); fails on a hang."""
    box: dict = {}

    def run() -> None:
        start = time.perf_counter()
        try:
            box["result"] = call()
        except BaseException as exc:  # the test judges the type
            box["error"] = exc
        box["seconds"] = time.perf_counter() - start

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit_s)
    assert not worker.is_alive(), f"no answer within {limit_s} s (hang)"
    return box.get("result"), box.get("error"), box["seconds"]


def refused(call: Callable, *names: str, limit_s: float = LIMIT_S) -> DataError:
    """Assert ``call()`` ends in time in a Dutch DataError naming ``names``."""
    result, error, _ = finished(call, limit_s)
    assert error is not None, f"accepted: {result!r}"[:300]
    assert isinstance(error, DataError), "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )
    message = str(error)
    for name in names:
        assert name in message, f"{name!r} not in {message!r}"
    assert "Oplossing:" in message, f"no fix in {message!r}"
    return error
