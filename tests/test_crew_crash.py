"""Crash safety: kill -9 at random points, resume, and compare with an uninterrupted run.

`filmcrew plan` runs in a subprocess against a loopback fake OpenAI-compatible server that
logs every paid request and answers after a delay. After each kill, `filmcrew resume` must
finish the run with artefacts identical to an uninterrupted run, and no request may be paid
twice. A provider that fails after its retries exits 3 and the run resumes once it is healthy.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.fakes.openai_fake import FakeOpenAI

SCRIPT = EXAMPLES / "wrong-number-ep1.fountain"
ARTEFACTS = ("breakdown.json", "characters.json", "shotlist.json", "shotlist.csv", "continuity.json",
             "screenplay.fountain")
TRIALS = int(os.environ.get("FILMCREW_CRASH_TRIALS", "10"))
FAKE_KEY = "sk-test-crash-0123456789"


def filmcrew(args: list[str], home: Path, server: FakeOpenAI, cwd: Path) -> subprocess.Popen[bytes]:
    """Start the real CLI in a subprocess against the fake server."""
    env = {**os.environ, "FILMCREW_HOME": str(home), "OPENAI_API_KEY": FAKE_KEY,
           "OPENAI_BASE_URL": server.base_url, "LANGGRAPH_STRICT_MSGPACK": "true"}
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "FILMCREW_PROVIDER", "FILMCREW_MODEL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "filmcrew.cli.main", *args]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def plan_args(out: Path) -> list[str]:
    """The plan command every trial runs."""
    return ["plan", str(SCRIPT), "--out", str(out), "--provider", "openai", "--model", "fake-model",
            "--aspect", "9:16", "--formats", "fountain,csv,json", "--concurrency", "2"]


def finish(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    """Wait for a process; return its exit code and stderr."""
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode()


def digests(out: Path) -> dict[str, str]:
    """Hash the deterministic artefacts and every storyboard frame of a run folder."""
    files = [out / name for name in ARTEFACTS] + sorted((out / "storyboard").glob("*.png"))
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def paid_bodies(server: FakeOpenAI) -> list[str]:  # noqa: D103
    """Fingerprint each paid request by its body."""
    return [hashlib.sha256(seen.body).hexdigest() for seen in server.paid()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], float]:
    """An uninterrupted run: its artefact hashes and how long it took."""
    return reference_run(tmp_path_factory.mktemp("reference"))


def reference_run(root: Path) -> tuple[dict[str, str], float]:
    """Plan once without interruption; return artefact hashes and the wall time."""
    root.mkdir(parents=True, exist_ok=True)
    with FakeOpenAI(latency=0.02) as server:
        started = time.monotonic()
        code, err = finish(filmcrew(plan_args(root / "out"), root / "home", server, root))
        took = time.monotonic() - started
        assert code == 0, err
        bodies = paid_bodies(server)
    assert bodies and len(bodies) == len(set(bodies)), "an uninterrupted run paid a request twice"
    return digests(root / "out"), took


@pytest.mark.slow
def test_kill_nine_then_resume_matches_an_uninterrupted_run(reference: tuple[dict[str, str], float],
                                                            tmp_path: Path) -> None:
    results = run_trials(TRIALS, reference, tmp_path)
    print(f"crash trials: {tally(results)}")
    assert all(r["identical"] for r in results), [r for r in results if not r["identical"]]
    assert not any(r["repaid"] for r in results), results


def run_trials(count: int, reference: tuple[dict[str, str], float], root: Path,
               seed: int = 20261128) -> list[dict[str, object]]:
    """Kill `plan` at seeded random moments, resume, and compare each trial with the reference."""
    expected, took = reference
    rng = random.Random(seed)
    results: list[dict[str, object]] = []
    for trial in range(count):
        folder = root / f"trial{trial}"
        folder.mkdir()
        delay = rng.uniform(0.2, max(0.5, took * 0.9))
        with FakeOpenAI(latency=0.02) as server:
            proc = filmcrew(plan_args(folder / "out"), folder / "home", server, folder)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            proc.communicate(timeout=30)
            _resume_or_restart(folder, server)
            repaid = _paid_again(server, killed_at)
        got = digests(folder / "out")
        differing = sorted(name for name in set(got) | set(expected) if got.get(name) != expected.get(name))
        results.append({"trial": trial, "killed_after_s": round(delay, 2), "identical": not differing,
                        "differing": differing[:5], "repaid": len(repaid)})
    return results


def tally(results: list[dict[str, object]]) -> str:
    """Summarise trials: how many resumed to identical artefacts, how many paid twice."""
    same = sum(1 for r in results if r["identical"])
    repaid = sum(1 for r in results if r["repaid"])
    return f"{len(results)} trials · {same} identical after resume · {repaid} paid an answered request twice"


def _paid_again(server: FakeOpenAI, killed_at: float) -> list[str]:
    """Requests paid twice whose first answer had been delivered before the kill.

    A request still in flight when the process died never got its answer to the cache, so
    paying for it again on resume is expected; anything answered earlier must come from the
    cache. "In flight" means received less than the server's latency plus a margin before the
    kill."""
    first: dict[str, float] = {}
    again: list[str] = []
    for seen in server.paid():
        key = hashlib.sha256(seen.body).hexdigest()
        if key in first and first[key] < killed_at - server.latency - 0.5:
            again.append(key)
        first.setdefault(key, seen.at)
    return again


def _resume_or_restart(root: Path, server: FakeOpenAI) -> None:
    """Resume the killed run; if it died before registering, plan again."""
    listing = filmcrew(["runs", "--json"], root / "home", server, root)
    out, err = listing.communicate(timeout=60)
    assert listing.returncode == 0, err.decode()
    ids = [row["run_id"] for row in json.loads(out.decode())]
    proc = filmcrew(["resume", ids[0]] if ids else plan_args(root / "out"), root / "home", server, root)
    code, err_text = finish(proc)
    assert code == 0, err_text


def test_provider_failure_exits_3_and_the_run_resumes(tmp_path: Path) -> None:
    with FakeOpenAI() as server:
        server.fail_next(500, times=1000)
        code, err = finish(filmcrew(plan_args(tmp_path / "out"), tmp_path / "home", server, tmp_path))
        assert code == 3, err
        last = err.strip().splitlines()[-1]
        assert "openai" in last and "fake-model" in last and FAKE_KEY not in err
        server.fail_next(500, times=0)
        server.faults.clear()
        listing = filmcrew(["runs", "--json"], tmp_path / "home", server, tmp_path)
        out, _ = listing.communicate(timeout=60)
        rows = json.loads(out.decode())
        assert rows[0]["status"] == "failed"
        code, err = finish(filmcrew(["resume", rows[0]["run_id"]], tmp_path / "home", server, tmp_path))
        assert code == 0, err
    assert (tmp_path / "out" / "shotlist.json").is_file()
