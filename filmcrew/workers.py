"""Worker processes for the offline craft rules' CPU-bound work (sketching frames).

Why processes: LangGraph runs Send tasks in threads, and a sketch is Python and PIL work that
holds the GIL, so threads draw one frame at a time whatever `--concurrency` says. A few worker
processes use every core.

Why not `multiprocessing`: its `spawn` children re-import the parent's `__main__` (the CLI with
all of LangGraph, or a user's unguarded script, which then runs again), and `fork` after the
graph has started threads can deadlock and hands the run's lock file to the children. Each
worker here is a fresh `python -c` process that imports only what its jobs need and reads
pickled jobs from its stdin; it exits when the pipe closes, so a killed crew leaves no worker
behind. Workers start on first use and live until `shutdown()`. When a worker cannot start or
dies, the job runs in the calling thread and the pool is not used again: the pool only ever
changes speed, never results.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, TypeVar

import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")
MAX_WORKERS = 4
_HEADER = struct.Struct("!I")
_SERVE = "from filmcrew.workers import main; main()"


class WorkerFailed(RuntimeError):
    """A worker process died or could not be started (the job is then run in-process)."""


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(*args)` in a worker process when the machine has cores to spare, else here.

    `fn` must be a module-level function; it and its arguments must pickle. An exception raised
    by `fn` in the worker is raised here.
    """
    pool = _Pool.get()
    if pool is None:
        return fn(*args)
    try:
        return pool.call(fn, args)
    except _Closed:  # shut down while this job waited: finish it here
        return fn(*args)
    except WorkerFailed as exc:
        _Pool.give_up(exc)
        return fn(*args)


def warm(*modules: str) -> None:
    """Start the workers now, in the background, each importing `modules`, so the first real
    job does not wait for a process start and its imports (about half a second)."""
    pool = _Pool.get()
    if pool is None:
        return
    for _ in range(pool.size):  # each thread holds a slot, so each starts its own worker
        threading.Thread(target=run, args=(_import_modules, modules), daemon=True,
                         name="filmcrew-worker-warm").start()


def _import_modules(names: tuple[str, ...]) -> None:
    """A job that only imports (run by `warm`); warming is best effort, so a module that cannot
    load here is left for the job that needs it to report."""
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def shutdown() -> None:
    """Stop the workers (the crew calls this when it closes; also at interpreter exit)."""
    _Pool.close()


def main() -> None:
    """A worker process: serve jobs, then leave without the interpreter's teardown (a worker
    holds nothing to flush or close, and tearing down its imports takes a tenth of a second)."""
    serve()
    sys.stderr.flush()
    os._exit(0)


def serve(source: IO[bytes] | None = None, sink: IO[bytes] | None = None) -> None:
    """A worker's loop: read a job, run it, write `(ok, value)`; stop at end of input."""
    source = source or sys.stdin.buffer
    sink = sink or sys.stdout.buffer
    sys.stdout = sys.stderr  # a job's prints and logs must never reach the reply pipe
    from filmcrew import logs

    logs.configure(level=os.environ.get("FILMCREW_LOG_LEVEL") or "WARNING")
    while (job := _read(source)) is not None:
        fn, args = job
        try:
            reply: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # sent back and raised in the caller
            reply = (False, exc)
        try:
            data = _dumps(reply)
        except Exception as exc:  # an unpicklable result or exception: say what it was
            data = _dumps((False, WorkerFailed(f"job reply cannot be sent: {exc}")))
        _send(sink, data)


class _Closed(Exception):
    """The pool was shut down before the job got a worker."""


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self) -> None:
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", _SERVE], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, env=_worker_env())
        except OSError as exc:
            raise WorkerFailed(f"cannot start a worker process: {exc}") from exc

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Send one job and wait for its reply."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            _send(self.proc.stdin, _dumps((fn, args)))
            reply = _read(self.proc.stdout)
        except Exception as exc:  # a broken pipe, a dead worker, a reply that does not unpickle
            raise WorkerFailed(f"worker process failed: {exc}") from exc
        if reply is None:
            raise WorkerFailed(f"worker process exited with code {self.proc.poll()}")
        ok, value = reply
        if not ok:
            raise value
        return value

    def hang_up(self) -> None:
        """Close both pipes: the worker reads end of input and exits."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:  # a dead worker: the unsent rest of a job cannot be flushed
                    pass

    def reap(self) -> None:
        """Wait for the process to end (kill it if it will not)."""
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class _Pool:
    """Idle workers in a queue; a caller takes one, runs a job, and puts it back."""

    _lock = threading.Lock()
    _current: _Pool | None = None
    _disabled = False

    def __init__(self, size: int) -> None:
        self.size = size
        self.started: list[_Worker] = []
        self.idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self.slots = threading.Semaphore(size)
        self.closed = False

    @classmethod
    def get(cls) -> _Pool | None:
        """The shared pool; None on a single core, when disabled, or after a failure."""
        wanted = os.environ.get("FILMCREW_WORKERS", "")
        with cls._lock:
            if cls._disabled or wanted == "0":
                return None
            if cls._current is None:
                size = min(cores(), MAX_WORKERS, int(wanted) if wanted.isdigit() else MAX_WORKERS)
                if size < 2:
                    return None
                cls._current = _Pool(size)
            return cls._current

    @classmethod
    def give_up(cls, exc: BaseException) -> None:
        """Stop using worker processes for the rest of this process's life."""
        with cls._lock:
            first = not cls._disabled
            cls._disabled = True
        if first:
            log.warning("worker_pool_unavailable", reason=str(exc))
        cls.close()

    @classmethod
    def close(cls) -> None:
        """Stop every worker of the shared pool."""
        with cls._lock:
            pool, cls._current = cls._current, None
        if pool is not None:
            with cls._lock:
                pool.closed = True
                started = list(pool.started)
            for worker in started:  # every worker winds down at once, then each is reaped
                worker.hang_up()
            for worker in started:
                worker.reap()

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Run one job on an idle worker (starting one while fewer than `size` exist)."""
        with self.slots:
            worker = self._take()
            try:
                result = worker.call(fn, args)
            except WorkerFailed:
                if self.closed:  # stopped under the job by `shutdown`, not broken
                    raise _Closed from None
                raise
            except BaseException:
                self.idle.put(worker)  # the job failed, the worker is fine
                raise
            self.idle.put(worker)
            return result

    def _take(self) -> _Worker:
        with self._lock:
            if self.closed:
                raise _Closed
            try:
                return self.idle.get_nowait()
            except queue.Empty:
                worker = _Worker()
                self.started.append(worker)
                return worker


def _worker_env() -> dict[str, str]:
    """The worker's environment: the caller's, with this package importable the same way."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    env["FILMCREW_LOG_LEVEL"] = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    return env


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _send(sink: IO[bytes], data: bytes) -> None:
    sink.write(_HEADER.pack(len(data)) + data)
    sink.flush()


def _read(source: IO[bytes]) -> Any | None:
    header = source.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = source.read(size)
    if len(data) < size:
        raise EOFError("truncated job or reply")
    return pickle.loads(data)


atexit.register(shutdown)
