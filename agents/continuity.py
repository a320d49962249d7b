"""The continuity checker (script supervisor): the public face of `continuity_*` modules.

    check_script(sp, breakdown, library)      story logic from the screenplay (rules, offline)
    check_shots(shotlist, breakdown)          camera logic from the shot list (rules, offline)
    review_scene(provider, sp, breakdown, n)  a model's review of scene n (NotAvailable offline)
    model_events(provider, sp, breakdown)     a model's state log, fed to check_script(extra_events=)
    merge_findings(*groups)                   dedupe, sort, number C001...
    fixable_by_shots(findings)                what the shot planner can fix in its loop
    write_continuity(findings, folder)        continuity.json
    continuity_report(findings)               a rich renderable for the run summary

How the pieces fit: `continuity_text` reads action into clauses with subjects;
`continuity_events` turns clauses into state events with the verb lexicon of
`lexicon_continuity`; `continuity_tracker` walks the script into a `Timeline`;
`continuity_script` and `continuity_state` are the story rules over it; `continuity_shots`
the camera rules; `continuity_review` the model review; `continuity_merge` the output.
"""

from __future__ import annotations

import structlog
from filmcrew.agents.continuity_merge import (
    continuity_report,
    fixable_by_shots,
    merge_findings,
    summary_line,
    write_continuity,
)
from filmcrew.agents.continuity_review import (
    ask_model,
    extract_state,
    gather_review,
    model_events,
    review_jobs,
    review_scene,
    review_script,
    review_version,
)
from filmcrew.agents.continuity_script import (
    location_rules,
    name_rules,
    name_variants,
    presence_rules,
    time_rules,
    unintroduced_rules,
)
from filmcrew.agents.continuity_shots import check_shots
from filmcrew.agents.continuity_state import (
    injury_rules,
    look_rules,
    makeup_rules,
    prop_rules,
    wardrobe_rules,
)
from filmcrew.agents.continuity_tracker import StateEvent, Timeline, track

from filmcrew.domain import Breakdown, CharacterLibrary, Finding, Screenplay

log = structlog.get_logger(__name__)

__all__ = [
    "StateEvent",
    "ask_model",
    "check_script",
    "check_shots",
    "continuity_report",
    "extract_state",
    "fixable_by_shots",
    "gather_review",
    "merge_findings",
    "model_events",
    "review_jobs",
    "review_scene",
    "review_script",
    "review_version",
    "summary_line",
    "track",
    "write_continuity",
]


def check_script(sp: Screenplay, breakdown: Breakdown, library: CharacterLibrary | None = None,
                 *, extra_events: list[StateEvent] | None = None) -> list[Finding]:
    """Check a screenplay's story logic; `extra_events` adds state a model extracted."""
    timeline = track(sp, breakdown, library, extra_events)
    findings = merge_findings(*_without_echoes(script_groups(sp, breakdown, timeline, library)))
    log.info("continuity_script_checked", scenes=len(timeline.scenes), events=len(timeline.events),
             findings=len(findings))
    return findings


def script_groups(sp: Screenplay, breakdown: Breakdown, timeline: Timeline,
                  library: CharacterLibrary | None) -> list[list[Finding]]:
    """Run every story rule over a tracked timeline, one finding list per rule."""
    return [
        time_rules(timeline),
        presence_rules(timeline),
        prop_rules(timeline),
        wardrobe_rules(timeline),
        injury_rules(timeline),
        makeup_rules(timeline),
        look_rules(timeline, library),
        name_rules(sp, breakdown, timeline),
        location_rules(timeline),
        unintroduced_rules(timeline, {rare for rare, _ in name_variants(sp, breakdown, timeline)}),
    ]


def _without_echoes(groups: list[list[Finding]]) -> list[list[Finding]]:
    """Drop a library-look finding on a line that already has a wardrobe finding: the script
    contradicts itself there, and the library (read from the script) only echoes it."""
    wardrobe = {(f.scene, f.line) for group in groups for f in group if f.kind == "wardrobe"}
    return [[f for f in group if not (f.kind == "look" and (f.scene, f.line) in wardrobe)] for group in groups]
