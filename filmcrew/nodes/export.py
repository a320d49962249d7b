"""Export node: the formats other tools open, written from the run folder."""

from __future__ import annotations


from langgraph.runtime import Runtime

from filmcrew.context import CrewContext
from filmcrew.state import CrewState
from filmcrew.tools.exports import export_run

DEFAULT_FORMATS = ["fountain", "fdx", "csv", "json", "html", "pdf", "otio", "mp4"]


def export(state: CrewState, runtime: Runtime[CrewContext]) -> CrewState:
    """Write every requested format into the run folder; skipped ones say why."""
    run_dir = runtime.context.run_dir
    formats = state["settings"].formats or DEFAULT_FORMATS
    written = export_run(run_dir, formats, run_dir)
    runtime.context.tick("export", 1)
    summary = {fmt: (value if isinstance(value, str) else " ".join(str(p.name) for p in value))
               for fmt, value in sorted(written.items())}
    skipped = [f"export {fmt} skipped: {why}" for fmt, why in summary.items() if fmt in written and isinstance(written[fmt], str)]
    return {"exports": summary, "notes": skipped}
