"""Write a feature-length screenplay for the scale case, deterministically, instead of committing one.

A feature runs 90-120 pages; committing one would add ~150 KB of text nobody reads. This module
composes one from a small story bible (cast, places, a day-by-day outline) and banks of action
and dialogue lines, driven by a seeded `random.Random`, so the same seed and page target always
give the same bytes (and the recordings of the case keep matching). The story is plain on
purpose: what the case measures is how the crew copes with 100+ scenes, dozens of speeches per
scene sequence, recurring props, day/night flow and a cast of eight across many story days.

    python -m filmcrew.evals.feature_script --pages 110 > feature.fountain
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass

LINES_PER_PAGE = 47  # source lines per printed page, measured: dialogue prints narrower and taller

TITLE = """Title: The Salt Archive
Credit: Written by
Author: filmcrew evals (generated)
Draft date: generated
"""


@dataclass(frozen=True)
class Person:
    """A member of the cast: how the script introduces them and how they talk."""

    name: str
    cue: str
    short: str
    intro: str
    voice: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """A location and the action lines that set it."""

    heading: str
    sets: tuple[str, ...]


CAST = (
    Person("MARGO REYES", "MARGO", "Margo", "40s, archivist, ink-stained fingers, a navy PEACOAT", (
        "Every record lies a little. The trick is knowing which way.",
        "I catalogue things. I don't chase them.",
        "Put it back exactly where you found it.",
        "That box was sealed in nineteen sixty-one. Somebody opened it last week.")),
    Person("TOMAS REYES", "TOMAS", "Tomas", "17, her son, skateboard under one arm, a red BEANIE", (
        "You said we'd be gone by spring.",
        "I can read a map, Mum. I'm not ten.",
        "Nobody in this town answers a straight question.",
        "The tide tables are wrong. I checked them twice.")),
    Person("AUGUST FENN", "AUGUST", "August", "70s, retired harbour pilot, walks with a blackthorn CANE", (
        "The sea keeps its own ledger.",
        "I piloted that ship in. I never saw her leave.",
        "Ask the salt. It remembers longer than I do.",
        "There were two manifests. There are always two.")),
    Person("INSPECTOR DALE OKORO", "OKORO", "Okoro", "50s, tired, immaculate grey suit", (
        "I need facts, Ms Reyes, not folklore.",
        "Who else has a key to the reading room?",
        "This stays between us until I say otherwise.",
        "People don't vanish. They leave, or they're taken.")),
    Person("PRIYA NAIR", "PRIYA", "Priya", "30s, journalist, a camera bag across her chest", (
        "Off the record? Nothing's off the record.",
        "The council minutes skip three weeks in sixty-one.",
        "I've got a source at the port authority.",
        "You're the story now, whether you like it or not.")),
    Person("BEN HALLORAN", "BEN", "Ben", "60s, council clerk, cardigan, nervous hands", (
        "Those files were destroyed. Officially.",
        "I only did what the chairman asked.",
        "You don't understand what it would do to this town.",
        "Please. Keep my name out of it.")),
    Person("SISTER JOAN", "SISTER JOAN", "Sister Joan", "80s, runs the seamen's mission, sharp eyes", (
        "We buried eleven men that winter, and only nine had names.",
        "Tea first. Confessions after.",
        "The mission kept its own register.",
        "God forgives. The harbour board never did.")),
    Person("LEO MARSH", "LEO", "Leo", "40s, salvage diver, weathered, a wetsuit peeled to the waist", (
        "There's a hull down there that isn't on any chart.",
        "Visibility's two metres on a good day.",
        "I dive for money, not for ghosts.",
        "Whatever's in that hold, someone welded it shut.")),
)

PLACES = (
    Place("INT. COUNTY ARCHIVE - READING ROOM", (
        "Green lamps over long oak tables. Dust turns in the light.",
        "Boxes stacked to the ceiling, each with a faded paper label.")),
    Place("INT. COUNTY ARCHIVE - BASEMENT STACKS", (
        "Rolling shelves on iron rails. A dehumidifier drones.",
        "A single bulb swings where someone brushed it.")),
    Place("EXT. HARBOUR WALL", (
        "Wind off the sea. Gulls hang in it, going nowhere.",
        "Waves slap the old stones below the bollards.")),
    Place("INT. REYES FLAT - KITCHEN", (
        "A narrow kitchen above a bakery. Moving boxes, half packed.",
        "The window fogs from a pan left on the hob.")),
    Place("INT. FENN COTTAGE - PARLOUR", (
        "Ship models in bottles along every shelf. A clock ticks too loud.",
        "A coal fire, low. Charts pinned over the wallpaper.")),
    Place("INT. POLICE STATION - INTERVIEW ROOM", (
        "Bare table, two chairs, a recorder that clicks when it starts.",
        "Fluorescent light hums. A paper cup of cold tea.")),
    Place("EXT. SALVAGE BOAT - DECK", (
        "A rusting workboat rocks at anchor. Air hoses coil on the deck.",
        "Diesel smoke and spray. The winch groans.")),
    Place("INT. SEAMEN'S MISSION - HALL", (
        "Trestle tables, a tea urn, framed photographs of crews long gone.",
        "Rain on tall windows. A radiator knocks.")),
    Place("INT. TOWN HALL - RECORDS OFFICE", (
        "Filing cabinets in ranks. A portrait of a mayor watches the door.",
        "A photocopier wheezes in the corner.")),
    Place("EXT. SHINGLE BEACH", (
        "Grey shingle to the waterline. A wreck's ribs show at low tide.",
        "Fog sits on the water like a held breath.")),
)

PROPS = ("MANIFEST", "BRASS KEY", "LEDGER", "PHOTOGRAPH", "TIDE TABLE", "TORCH", "SEALED BOX", "DIVING KNIFE")

ACTIONS = (
    "{a} sets the {prop} on the table between them.",
    "{a} turns the {prop} over in both hands, reading the back.",
    "{a} watches {b} for a long moment before answering.",
    "{b} crosses to the window and looks out at nothing.",
    "{a} pockets the {prop}.",
    "A long silence. {b} is the first to look away.",
    "{a} sits. {b} stays standing.",
    "{b} pours two cups and pushes one across.",
)

REPLIES = (
    "Then tell me what you saw.",
    "You already know the answer.",
    "Not here. Not now.",
    "I've read it three times. It doesn't change.",
    "That's not what the record says.",
    "Who told you that?",
    "We're running out of time.",
    "I'll need it in writing.",
    "Say that again, slowly.",
    "You should have come to me first.",
)

PARENTHETICALS = ("quietly", "beat", "not looking up", "sharper than she means")
TIMES = ("DAY", "NIGHT", "MORNING", "EVENING")


def _intro(person: Person, met: set[str]) -> str:
    """Name a character in action: in caps with a description the first time, plainly after."""
    if person.name in met:
        return person.short
    met.add(person.name)
    return f"{person.name} ({person.intro})"


def _speech(rng: random.Random, person: Person, own_line: bool) -> list[str]:
    """One speech: cue, an occasional parenthetical, and one or two lines of dialogue."""
    lines = [person.cue]
    if rng.random() < 0.15:
        lines.append(f"({rng.choice(PARENTHETICALS)})")
    text = rng.choice(person.voice) if own_line else rng.choice(REPLIES)
    if rng.random() < 0.3:
        text = f"{text} {rng.choice(REPLIES)}"
    lines.append(text)
    return lines


def _scene(rng: random.Random, number: int, day_time: str, met: set[str]) -> list[str]:
    """Compose one scene: heading, setting, an entrance, an exchange, a closing beat."""
    place = PLACES[rng.randrange(len(PLACES))]
    people = rng.sample(CAST, rng.choice((2, 2, 2, 3)))
    a, b = people[0], people[1]
    prop = rng.choice(PROPS)
    out = [f"{place.heading} - {day_time}", "", rng.choice(place.sets), ""]
    out += [f"{_intro(a, met)} is already here.", ""]
    out += [f"{_intro(p, met)} comes in." for p in people[1:]] + [""]
    for turn in range(rng.randint(4, 11)):
        speaker = people[turn % len(people)]
        out += [*_speech(rng, speaker, rng.random() < 0.5), ""]
        if rng.random() < 0.25:
            action = rng.choice(ACTIONS).format(a=speaker.short, b=(b if speaker is a else a).short, prop=prop.lower())
            out += [action, ""]
    if rng.random() < 0.3:
        out += [f"{a.short} picks up the {prop} and leaves.", ""]
    if number % 9 == 0:
        out += ["CUT TO:", ""]
    return out


def _times(count: int) -> list[str]:
    """Times of day for `count` scenes: each story day runs morning or day into night."""
    times: list[str] = []
    day = 0
    while len(times) < count:
        pattern = (("MORNING", "DAY", "DAY", "DAY", "EVENING", "NIGHT", "NIGHT") if day % 2
                   else ("DAY", "DAY", "DAY", "DAY", "NIGHT", "NIGHT"))
        times.extend(pattern)
        day += 1
    return times[:count]


def feature_script(pages: int = 110, seed: int = 7) -> str:
    """Return a Fountain screenplay of about `pages` pages, the same for the same arguments."""
    rng = random.Random(seed)
    target = pages * LINES_PER_PAGE
    body: list[str] = ["FADE IN:", ""]
    met: set[str] = set()
    times = _times(400)
    number = 0
    while len(body) < target and number < len(times):
        number += 1
        body += _scene(rng, number, times[number - 1], met)
    body += ["FADE OUT.", ""]
    return TITLE + "\n" + "\n".join(body)


def main(argv: list[str] | None = None) -> int:
    """Print the script (for people who want to read or plan it outside the evals)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=110)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sys.stdout.write(feature_script(args.pages, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
