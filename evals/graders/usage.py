"""Cost and calls per case, and how well the recordings fit the run.

- `calls`, `tokens`, `cost_usd` (lower is better) come from the run's ledger in `run.json`;
  with replay they are what the recorded calls used (authored recordings estimate tokens at
  four characters each), so a change that makes the crew ask more, or ask for repairs more
  often, shows up here.
- `recordings` (replay only): the share of the case's recordings the run asked for. A
  recording nobody asked for means the crew no longer does what was recorded.
"""

from __future__ import annotations

from filmcrew.evals.scoring import CaseRun, Score, ratio


def grade(run: CaseRun) -> list[Score]:
    """Score the run's model usage and the fit of its recordings."""
    scores: list[Score] = []
    if run.replayed:
        used = run.recordings_total - len(run.recordings_unused)
        unused = [f"never requested: {name}" for name in run.recordings_unused]
        scores.append(ratio("recordings", used, run.recordings_total, unused))
    if run.status != "done" or run.info is None:
        return scores
    info = run.info
    per_agent = [f"{agent}: {int(t.get('calls', 0))} calls, {int(t.get('tokens', 0))} tokens"
                 for agent, t in sorted(info.per_agent.items())]
    scores += [
        Score(metric="calls", value=info.calls, better="lower", shown=str(info.calls), evidence=per_agent),
        Score(metric="tokens", value=info.tokens, better="lower", shown=str(info.tokens)),
        Score(metric="cost_usd", value=round(info.cost_usd, 6), better="lower", shown=f"{info.cost_usd:.4f}"),
    ]
    return scores
