"""A micro-drama season: one screenplay per episode, one shared character library, all planned.

Episode 1 is planned first; its library is imported into every later episode's run folder
before that episode is planned (`import_library`), so the whole season draws the same faces,
handles and colours. `season.json` beside the episode files lists each episode's run.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from filmcrew.agents.characters import import_library
from filmcrew.crew import Crew, Outcome
from filmcrew.files import write_json
from filmcrew.state import RunSettings

SEASON_FILE = "season.json"
VERTICAL_STYLE = "vertical micro-drama"


class EpisodeRun(BaseModel):
    """One planned episode."""

    episode: int
    script: str
    run_id: str
    run_dir: str
    status: str


class Season(BaseModel):
    """What `season.json` holds."""

    episodes: list[EpisodeRun]


def season_settings(settings: RunSettings) -> RunSettings:
    """Vertical 9:16 and the micro-drama coverage style unless the user chose a style."""
    return settings.model_copy(update={"aspect": "9:16", "style": settings.style or VERTICAL_STYLE,
                                       "scene_styles": {}})


def plan_season(crew: Crew, scripts: list[Path], settings: RunSettings) -> tuple[Season, list[Outcome]]:
    """Plan every episode in order, each after importing episode 1's character library."""
    outcomes: list[Outcome] = []
    rows: list[EpisodeRun] = []
    for number, script in enumerate(scripts, start=1):
        run_dir = script.resolve().parent / f"{script.stem}.filmcrew"
        if outcomes:
            run_dir.mkdir(parents=True, exist_ok=True)
            import_library(Path(outcomes[0].run.run_dir), run_dir)
        outcome = crew.start(script, run_dir, settings)
        outcomes.append(outcome)
        rows.append(EpisodeRun(episode=number, script=script.name, run_id=outcome.run.run_id,
                               run_dir=str(run_dir), status=outcome.status))
    season = Season(episodes=rows)
    if scripts:
        write_json(scripts[0].resolve().parent / SEASON_FILE, season)
    return season, outcomes
