"""Fan-out benchmark: the crew graph on 48 scenes through a fake provider with 200 ms latency.

Target (issue 5): `--concurrency 8` finishes at least 6x faster than `--concurrency 1`.

Each run is the real graph in this process (`Crew.start`, as `filmcrew plan` calls it) with the
OpenAI provider pointed at `tests/fakes/openai_fake.FakeOpenAI` on loopback via OPENAI_BASE_URL,
the fake running in a process of its own as a real server would (in this process its request
handling would compete with the crew for the GIL and be counted as the crew's CPU work),
`--provider openai --model fake-model`, and only the `json` export, so exports do not dominate.
No image model is configured (a local OpenAI-compatible server has none by default), so the
storyboard is sketched by the craft rules, in this process. A 4-scene warm-up run first pays
the imports and first-call setup, so neither timed run is charged for them. Every run gets a
fresh data folder (no run is served from another's result cache) and a fresh fake server,
whose sockets get TCP_NODELAY (`prompt_fake`: without it each call pays ~40 ms more). The
48 scenes are the example scripts cycled and renumbered (`benchmarks/feature_script.py`),
every scene's text distinct.

Printed per run: wall and CPU seconds, per-stage seconds from run.json, and per requested
schema (i.e. per agent) the paid requests and the peak number the fake answered at once: a
schema whose peak stays 1 at concurrency 8 is a serial section (a lock, a loop of calls);
the peak over all schemas together shows `--concurrency` holding across agents.
The same two runs without latency show the CPU-bound work (one GIL, two cores). The crew
overlaps that work with the calls (the graph runs more tasks than there are call slots), so
the last lines compare each run with every call slot busy from start to end: what is left is
the time with slots idle (start-up, the character library's own work, the stages after the
last call).

    .venv/bin/python benchmarks/crew_fanout.py [--scenes 48] [--latency 0.2] [--concurrency 1 8] [--no-floor]
        [--image-model fake-image]
"""

from __future__ import annotations

import argparse
import http.server
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")  # as the CLI does, before LangGraph loads

from benchmarks.feature_script import write_feature  # noqa: E402
from filmcrew import logs  # noqa: E402
from filmcrew.config import load_settings  # noqa: E402
from filmcrew.crew import Crew  # noqa: E402
from filmcrew.state import RunSettings  # noqa: E402
from tests.fakes.openai_fake import FakeOpenAI, schema_name  # noqa: E402
from tests.fakes.server import peak_overlap  # noqa: E402

TARGET = 6.0
FAKE_KEY = "sk-bench-fanout-0123456789"
CLEARED = ("GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION",
           "FILMCREW_PROVIDER", "FILMCREW_MODEL")


@dataclass
class Measured:
    """One run of the graph at one concurrency."""

    concurrency: int
    latency: float
    seconds: float
    cpu: float
    status: str
    paid: int
    stages: dict[str, float]
    schemas: dict[str, tuple[int, int]]
    peak: int


def quiet_logs() -> None:
    """Keep the console to the figures: errors only (the fake's sample shots draw warnings)."""
    logs.configure(level="ERROR")


def prompt_fake() -> None:
    """Make the fake answer without the loopback Nagle stall (this process only).

    `http.server` writes an answer's headers and body in two sends; on a kept-alive connection
    Nagle's algorithm holds the body until the client's delayed ACK, about 40 ms, so every call
    after a connection's first would cost latency + ~40 ms, serially at concurrency 1. Setting
    TCP_NODELAY on the fake's sockets (StreamRequestHandler's own switch) removes that, so the
    fake's latency is the one asked for.
    """
    http.server.BaseHTTPRequestHandler.disable_nagle_algorithm = True


class RemoteFake:
    """`FakeOpenAI` in a child process: its base URL, and at the end what it was paid for."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self._conn, child = multiprocessing.get_context("spawn").Pipe()
        self._proc = multiprocessing.get_context("spawn").Process(target=_serve_fake, args=(latency, child), daemon=True)

    def __enter__(self) -> RemoteFake:
        self._proc.start()
        self.base_url: str = self._conn.recv()
        return self

    def finish(self) -> tuple[list[tuple[str, float]], list[str]]:
        """Stop the server; return its paid requests (schema, arrival) and its errors."""
        self._conn.send("stop")
        paid, errors = self._conn.recv()
        return paid, errors

    def __exit__(self, *exc: object) -> None:
        self._proc.join(timeout=10)
        if self._proc.is_alive():
            self._proc.kill()


def _serve_fake(latency: float, conn: object) -> None:
    """The child: serve until told to stop, then report the paid requests."""
    prompt_fake()
    with FakeOpenAI(latency=latency) as server:
        conn.send(server.base_url)  # type: ignore[attr-defined]
        conn.recv()  # type: ignore[attr-defined]
        paid = [(schema_name(seen), seen.at) for seen in server.paid()]
        conn.send((paid, [repr(e) for e in server.errors]))  # type: ignore[attr-defined]


def fake_env(server: RemoteFake | FakeOpenAI, home: Path) -> None:
    """Point the OpenAI provider at the fake and the data folder at `home` (this process)."""
    for name in CLEARED:
        os.environ.pop(name, None)
    os.environ.update({"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": FAKE_KEY,
                       "FILMCREW_HOME": str(home)})


def by_schema(paid: list[tuple[str, float]], latency: float) -> dict[str, tuple[int, int]]:
    """Per requested schema: paid requests and the peak number of them in flight at once."""
    arrivals: dict[str, list[float]] = {}
    for schema, at in paid:
        arrivals.setdefault(schema, []).append(at)
    return {name: (len(times), peak_overlap(times, latency)) for name, times in sorted(arrivals.items())}


def run_once(script: Path, root: Path, concurrency: int, latency: float, image_model: str = "") -> Measured:
    """Plan the script once at one concurrency against a fresh fake and data folder."""
    folder = root / f"c{concurrency}-{latency * 1000:.0f}ms"
    folder.mkdir(parents=True)
    if image_model:
        (folder / "filmcrew.toml").write_text(f'[openai]\nimage_model = "{image_model}"\n', encoding="utf-8")
    with RemoteFake(latency=latency) as server:
        fake_env(server, folder / "home")
        config = load_settings(folder, provider="openai", model="fake-model")
        settings = RunSettings(formats=["json"], provider="openai", model="fake-model")
        started, cpu = time.perf_counter(), time.process_time()
        with Crew(folder, config, concurrency=concurrency) as crew:
            outcome = crew.start(script, folder / "out", settings)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        paid, errors = server.finish()
    if errors:
        raise RuntimeError(f"the fake server failed: {errors[0]}")
    if outcome.status != "done":
        raise RuntimeError(f"the run ended {outcome.status}: {outcome.info.notes}")
    return Measured(concurrency=concurrency, latency=latency, seconds=took, cpu=cpu, status=outcome.status,
                    paid=len(paid), stages=dict(outcome.info.stage_seconds), schemas=by_schema(paid, latency),
                    # a slot's next call arrives just after the last answer left: 0.9 keeps the two apart
                    peak=peak_overlap([at for _, at in paid], latency * 0.9) if latency else 0)


def show(run: Measured) -> None:
    """Print one run: wall and CPU time, stage seconds, paid requests per schema."""
    stages = "  ".join(f"{k} {v:.2f}" for k, v in run.stages.items())
    print(f"  concurrency {run.concurrency:>2}, latency {run.latency * 1000:3.0f} ms: {run.seconds:7.2f} s wall, "
          f"{run.cpu:6.2f} s CPU (this process; the fake runs in its own)  status {run.status}  paid requests {run.paid}")
    print(f"      stage seconds: {stages}")
    calls = "  ".join(f"{name} {n}" + (f" (peak {peak} at once)" if run.latency else "")
                      for name, (n, peak) in run.schemas.items())
    print(f"      paid requests by schema: {calls}")
    if run.latency:
        print(f"      most calls the fake held at once, all agents together: {run.peak}")


def report(runs: list[Measured], floors: list[Measured], scenes: int, latency: float) -> bool:
    """Print the runs, the speed-up against concurrency 1 and where the rest of the time goes."""
    print(f"crew graph, {scenes} scenes, fake OpenAI (text model only), exports: json; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for run in [*runs, *floors]:
        show(run)
    base = next(r for r in runs if r.concurrency == 1)
    best = max((r for r in runs if r.concurrency != 1), key=lambda r: r.concurrency)
    for run in (base, best):
        floor = next((f for f in floors if f.concurrency == run.concurrency), None)
        if floor is not None:
            print(f"  concurrency {run.concurrency:>2}: {floor.seconds:6.2f} s without latency (the CPU-bound work); "
                  f"latency adds {run.seconds - floor.seconds:6.2f} s")
    for run in (base, best):
        busy = run.paid * latency / run.concurrency
        print(f"  concurrency {run.concurrency:>2}: every call slot busy from start to end would take {busy:6.2f} s; "
              f"the other {run.seconds - busy:5.2f} s had slots idle")
    ratio = base.seconds / best.seconds
    verdict = ratio >= TARGET
    print(f"{'PASS' if verdict else 'FAIL'}: concurrency {best.concurrency} is {ratio:.2f}x faster than "
          f"concurrency 1 ({best.seconds:.2f} s vs {base.seconds:.2f} s; target >= {TARGET:.0f}x)")
    return verdict


def main() -> int:
    """Parse arguments, run each concurrency, print the figures and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=48)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--no-floor", action="store_true", help="skip the zero-latency runs")
    parser.add_argument("--image-model", default="", help="also run with this image model on the fake "
                        "(storyboard frames and reference sheets become image calls); not part of the target")
    args = parser.parse_args()
    quiet_logs()
    levels = sorted(set([1, *args.concurrency]))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        warm = write_feature(root / "warm-up.fountain", 4)
        run_once(warm, root / "warm-up", 2, 0.0)  # imports and first-call setup, paid by neither run
        script = write_feature(root / f"feature-{args.scenes}.fountain", args.scenes)
        runs = [run_once(script, root, c, args.latency) for c in levels]
        floors = [] if args.no_floor else [run_once(script, root, c, 0.0) for c in (1, max(levels))]
        verdict = report(runs, floors, args.scenes, args.latency)
        if args.image_model:
            imaged = [run_once(script, root / "image", c, args.latency, args.image_model) for c in (1, max(levels))]
            print(f"with image model {args.image_model!r} on the fake as well (for comparison, not the target):")
            for run in imaged:
                show(run)
            print(f"  speed-up {imaged[0].seconds / imaged[1].seconds:.2f}x")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
