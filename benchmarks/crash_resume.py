"""Kill `filmcrew plan` with SIGKILL at 20 random moments, resume each, and print the tally.

Each trial runs against a loopback fake OpenAI-compatible server with latency; a trial passes
when the resumed run's artefacts equal an uninterrupted run's byte for byte and no request
answered before the kill was paid again. Run: .venv/bin/python benchmarks/crash_resume.py [N]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_crew_crash import reference_run, run_trials, tally  # noqa: E402


def main() -> None:
    """Run the trials and print one line per trial and the tally."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reference = reference_run(root / "reference")
        print(f"uninterrupted run: {reference[1]:.1f} s")
        results = run_trials(count, reference, root)
        for row in results:
            print(row)
        print(tally(results))


if __name__ == "__main__":
    main()
