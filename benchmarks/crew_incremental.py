"""Incremental re-plan benchmark: edit one scene of a 190-scene script, re-plan, count model calls.

Target (issue 5): the re-plan (`Crew.start(..., run_id=same)`, i.e. `filmcrew plan --run ID`)
pays for at most 2 % of the model calls of the full run.

The full run and the re-plan are the real graph in this process with the OpenAI provider
pointed at `tests/fakes/openai_fake.FakeOpenAI` on loopback (`--provider openai --model
fake-model`, json export only), one data folder for both (as a user's project has), so the
re-plan may reuse the run folder's stored scene shots and the provider's result cache: that
is the mechanism under test. Paid requests are counted on the fake, per requested schema.
Then one line of scene `--edit` is changed in the script file (`feature_script.edit_scene`)
and the same run is re-planned; a re-plan of the unedited script is measured too (it should
pay for nothing). The script is `feature_script.feature_text(190)`: distinct scene texts.

    .venv/bin/python benchmarks/crew_incremental.py [--scenes 190] [--edit 95] [--latency 0.0]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")  # as the CLI does, before LangGraph loads

from benchmarks.crew_fanout import by_schema, fake_env, prompt_fake, quiet_logs  # noqa: E402
from benchmarks.feature_script import edit_scene, write_feature  # noqa: E402
from filmcrew.config import load_settings  # noqa: E402
from filmcrew.crew import Crew, Outcome  # noqa: E402
from filmcrew.state import RunSettings  # noqa: E402
from tests.fakes.openai_fake import FakeOpenAI, schema_name  # noqa: E402

TARGET_PERCENT = 2.0


@dataclass
class Pass:
    """One start or re-plan: its wall time, paid requests and which scenes were re-planned."""

    label: str
    seconds: float
    paid: int
    schemas: dict[str, tuple[int, int]]
    planned: list[int]
    outcome: Outcome


def run_pass(label: str, server: FakeOpenAI, script: Path, out: Path, run_id: str | None,
             concurrency: int) -> Pass:
    """Start (or re-plan) the run with a fresh crew, as a new `filmcrew plan [--run ID]` process
    would, and count what the fake was paid for meanwhile."""
    settings = RunSettings(formats=["json"], provider="openai", model="fake-model")
    before = len(server.paid())
    started = time.perf_counter()
    config = load_settings(script.parent, provider="openai", model="fake-model")
    with Crew(script.parent, config, concurrency=concurrency) as crew:
        outcome = crew.start(script, out, settings, run_id=run_id)
    took = time.perf_counter() - started
    if outcome.status != "done":
        raise RuntimeError(f"{label}: the run ended {outcome.status}: {outcome.info.notes}")
    paid = server.paid()[before:]
    schemas = by_schema([(schema_name(seen), seen.at) for seen in paid], server.latency)
    planned = sorted(int(k) for k, v in (outcome.values.get("scene_shots") or {}).items() if not v.reused)
    return Pass(label=label, seconds=took, paid=len(paid), schemas=schemas, planned=planned, outcome=outcome)


def report(passes: list[Pass], scenes: int, edited: int) -> bool:
    """Print each pass and the re-plan's share of the full run's calls; return PASS."""
    print(f"crew graph, {scenes} scenes, fake OpenAI, one data folder; edit: one line of scene {edited}")
    for p in passes:
        calls = "  ".join(f"{name} {n}" for name, (n, _) in p.schemas.items()) or "none"
        shown = p.planned if len(p.planned) <= 12 else f"{len(p.planned)} scenes"
        print(f"  {p.label:<26} {p.seconds:7.2f} s  paid requests {p.paid:>4}  ({calls})  "
              f"scenes whose shots were (re)planned: {shown}")
        stages = "  ".join(f"{k} {v:.2f}" for k, v in p.outcome.info.stage_seconds.items())
        print(f"      stage seconds: {stages}")
    full, edited_pass = passes[0], passes[-1]
    share = 100.0 * edited_pass.paid / full.paid if full.paid else float("inf")
    verdict = share <= TARGET_PERCENT
    print(f"{'PASS' if verdict else 'FAIL'}: the re-plan after one edited scene paid {edited_pass.paid} requests, "
          f"{share:.2f} % of the full run's {full.paid} (target <= {TARGET_PERCENT:.0f} %)")
    return verdict


def main() -> int:
    """Parse arguments, run the full plan, the unchanged and the edited re-plan, print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=190)
    parser.add_argument("--edit", type=int, default=95, help="the scene (1-based) whose line is edited")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    quiet_logs()
    prompt_fake()
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(latency=args.latency) as server:
        root = Path(tmp)
        script = write_feature(root / f"feature-{args.scenes}.fountain", args.scenes)
        fake_env(server, root / "home")
        out, c = root / "out", args.concurrency
        full = run_pass("full run", server, script, out, None, c)
        run_id = full.outcome.run.run_id
        same = run_pass("re-plan, no edit", server, script, out, run_id, c)
        script.write_text(edit_scene(script.read_text(encoding="utf-8"), args.edit), encoding="utf-8")
        edited = run_pass(f"re-plan, scene {args.edit} edited", server, script, out, run_id, c)
        if server.errors:
            raise RuntimeError(f"the fake server failed: {server.errors[0]!r}")
    return 0 if report([full, same, edited], args.scenes, args.edit) else 1


if __name__ == "__main__":
    sys.exit(main())
