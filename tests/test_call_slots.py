"""Call slots (`--concurrency` bounds model calls, whatever the graph runs) and work ahead
(background calls that give way to the calls the graph waits on). Threads are driven by
events, not by sleeps, so the assertions hold on a loaded machine."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError

import pytest

from filmcrew.ahead import WorkAhead
from filmcrew.providers.throttled import BACKGROUND, CallSlots

WAIT = 10.0


class Gate:
    """A call that counts how many run at once and blocks until released."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.order: list[str] = []
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, name: str) -> str:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.order.append(name)
        self.entered.release()
        assert self.release.wait(WAIT)
        with self.lock:
            self.running -= 1
        return name


def in_thread(fn, *args) -> threading.Thread:  # noqa: ANN001
    thread = threading.Thread(target=fn, args=args, daemon=True)
    thread.start()
    return thread


def test_no_more_calls_run_at_once_than_the_limit() -> None:
    slots, gate = CallSlots(), Gate()
    slots.limit(3)
    threads = [in_thread(slots.run, gate, f"call{i}") for i in range(10)]
    for _ in range(3):
        assert gate.entered.acquire(timeout=WAIT)
    assert not gate.entered.acquire(timeout=0.2)  # the fourth waits for a slot
    gate.release.set()
    for thread in threads:
        thread.join(WAIT)
    assert gate.peak == 3 and len(gate.order) == 10


def test_without_a_limit_calls_are_not_held() -> None:
    slots, gate = CallSlots(), Gate()
    threads = [in_thread(slots.run, gate, f"call{i}") for i in range(5)]
    for _ in range(5):
        assert gate.entered.acquire(timeout=WAIT)
    gate.release.set()
    for thread in threads:
        thread.join(WAIT)
    assert gate.peak == 5


def test_a_waiting_foreground_call_goes_before_waiting_background_calls() -> None:
    slots, gate = CallSlots(), Gate()
    slots.limit(1)

    def background(name: str) -> None:
        BACKGROUND.set(True)
        slots.run(gate, name)

    first = in_thread(background, "ahead-1")
    assert gate.entered.acquire(timeout=WAIT)  # the slot is taken by background work
    queued = [in_thread(background, f"ahead-{i}") for i in (2, 3)]
    urgent = in_thread(slots.run, gate, "graph")
    while True:  # wait until the foreground call is counted as waiting
        with slots._changed:
            if slots._waiting:
                break
    gate.release.set()
    for thread in [first, *queued, urgent]:
        thread.join(WAIT)
    assert gate.order[:2] == ["ahead-1", "graph"], gate.order


def test_work_ahead_hands_over_results_in_order_once() -> None:
    ahead = WorkAhead(threads=2)
    assert ahead.start("review", [lambda i=i: i * i for i in range(6)])
    assert not ahead.start("review", [lambda: 0])  # already running under that key
    futures = ahead.take("review")
    assert futures is not None and [f.result(WAIT) for f in futures] == [0, 1, 4, 9, 16, 25]
    assert ahead.take("review") is None
    ahead.close()


def test_work_ahead_runs_as_background_and_keeps_errors_for_the_taker() -> None:
    ahead = WorkAhead(threads=1)

    def fails() -> None:
        raise ValueError("boom")

    ahead.start("k", [BACKGROUND.get, fails])
    futures = ahead.take("k")
    assert futures is not None and futures[0].result(WAIT) is True
    with pytest.raises(ValueError, match="boom"):
        futures[1].result(WAIT)
    assert BACKGROUND.get() is False  # the caller's own context is untouched
    ahead.close()


def test_closing_cancels_calls_not_yet_started() -> None:
    ahead, gate = WorkAhead(threads=1), Gate()
    ahead.start("k", [lambda i=i: gate(f"job{i}") for i in range(4)])
    assert gate.entered.acquire(timeout=WAIT)
    with ahead._lock:
        futures = list(ahead._batches["k"])
    ahead.close()
    gate.release.set()
    assert futures[0].result(WAIT) == "job0"
    for future in futures[1:]:
        with pytest.raises(CancelledError):
            future.result(WAIT)
    assert gate.order == ["job0"]


def test_background_calls_take_the_free_slots_once_no_foreground_call_waits() -> None:
    slots, gate = CallSlots(), Gate()
    slots.limit(3)

    def background(name: str) -> None:
        BACKGROUND.set(True)
        slots.run(gate, name)

    with slots._changed:  # a foreground call is about to wait: background work must hold back
        slots._waiting += 1
    held = [in_thread(background, f"ahead-{i}") for i in (1, 2)]
    assert not gate.entered.acquire(timeout=0.2)
    with slots._changed:
        slots._waiting -= 1
    urgent = in_thread(slots.run, gate, "graph")  # takes a slot, then lets the others in
    for _ in range(3):
        assert gate.entered.acquire(timeout=WAIT)
    gate.release.set()
    for thread in [*held, urgent]:
        thread.join(WAIT)
    assert sorted(gate.order) == ["ahead-1", "ahead-2", "graph"]
