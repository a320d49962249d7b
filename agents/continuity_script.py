"""Script rules of the script supervisor (film-grammar.md §4, story logic): time, presence, names.

- Time of day flows: CONTINUOUS, SAME and MOMENTS LATER continue the scene before, so their
  time must be one the previous scene can run into (NIGHT -> CONTINUOUS -> DAY is wrong); a
  continuing scene cannot open with "three days later"; sunlight in a NIGHT scene (or moonlight
  at noon) contradicts the heading.
- Presence: a character who has left (and not come back) or died does not act or speak; a
  character cannot be in two places at once (intercuts and phone calls excepted).
- Names: one character keeps one cue name; one location keeps one heading name; a speaking
  character is introduced in action before the first line (a note).

Each rule returns `Finding`s with `id=""`; `continuity_merge` numbers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from filmcrew.agents.continuity_text import WORD, fold
from filmcrew.agents.continuity_tracker import SceneView, StateEvent, Timeline
from filmcrew.agents.lexicon import HONORIFICS
from filmcrew.agents.lexicon_continuity import (
    NIGHT_PERIODS,
    PERIOD_COUNT,
    PERIODS,
    SUN_PERIODS,
    TIME_JUMP,
)

from filmcrew.domain import Breakdown, Finding, Screenplay

HONORIFIC_WORDS = frozenset(w.strip(".") for w in HONORIFICS)
GROUP_CUES = frozenset("all both everyone everybody crowd voices together group chorus others someone".split())
# Voices that need no introduction in the action: they are heard, not met.
NO_INTRO = frozenset("narrator announcer voice radio tv television pa intercom computer recording voicemail "
                     "loudspeaker tannoy speaker".split())
_ABBREVIATIONS = {"st": "street", "rd": "road", "ave": "avenue", "apt": "apartment", "dept": "department",
                  "hq": "headquarters", "mt": "mount", "ft": "fort", "bldg": "building", "hosp": "hospital",
                  "blvd": "boulevard", "ln": "lane", "sq": "square", "nr": "near"}


def finding(kind: str, severity: str, scene: int | None, line: int | None, message: str, fix: str,
            shot: str | None = None) -> Finding:
    """Build a finding without an id (ids are given when findings are merged)."""
    return Finding(id="", kind=kind, severity=severity, scene=scene, shot=shot, line=line,  # type: ignore[arg-type]
                   message=message, fix=fix)


def _distance(a: frozenset[int], b: frozenset[int]) -> int:
    """Return the smallest distance between two sets of day periods on the day cycle."""
    best = PERIOD_COUNT
    for x in a:
        for y in b:
            gap = abs(x - y)
            best = min(best, gap, PERIOD_COUNT - gap)
    return best


# --- time of day -----------------------------------------------------------------------


def time_rules(timeline: Timeline) -> list[Finding]:
    """Check CONTINUOUS/SAME/MOMENTS LATER chains, time jumps and light against the heading."""
    found: list[Finding] = []
    previous: SceneView | None = None
    for view in timeline.scenes:
        if view.flashback:
            continue
        found.extend(_continuing(view, previous))
        previous = view
    found.extend(_light(timeline))
    return found


def _continuing(view: SceneView, previous: SceneView | None) -> list[Finding]:
    """A continuing scene needs a scene to continue, a compatible time, and no time jump."""
    if not view.continues:
        return []
    marker = view.marker_words or view.marker.upper()
    if previous is None:
        return [finding("time_of_day", "error", view.number, view.heading_line,
                        f"Scene {view.label} is marked {marker} but no scene comes before it to continue.",
                        "Give the heading a time of day (DAY, NIGHT ...) instead of "
                        f"{marker}.")]
    found: list[Finding] = []
    own = PERIODS.get(view.time)
    before = previous.periods
    if own is not None and before is not None and _distance(own, before) >= 2:
        found.append(finding(
            "time_of_day", "error", view.number, view.heading_line,
            f"Scene {view.label} is {marker} after scene {previous.label} ({previous.when or 'its time'}) "
            f"but its heading says {view.time}.",
            f"Make the heading {previous.when or 'match scene ' + previous.label}, or drop {marker} "
            "and show the time passing."))
    jump = _opening_jump(view)
    if jump is not None:
        line, words = jump
        found.append(finding(
            "time_of_day", "error", view.number, line,
            f"Scene {view.label} is {marker} after scene {previous.label}, yet its action says "
            f"\"{words}\".",
            f"Replace {marker} in the heading with the new time (e.g. DAY or NIGHT), or cut \"{words}\"."))
    return found


def _opening_jump(view: SceneView) -> tuple[int, str] | None:
    """Find "three days later"-style words in a scene's action before its first speech."""
    for element in view.elements[1:]:
        if element.kind == "character":
            return None
        if element.kind in ("action", "centered", "transition"):
            match = TIME_JUMP.search(element.text)
            if match:
                line = element.start_line + element.text.count("\n", 0, match.start())
                return line, match.group(0)
    return None


def _light(timeline: Timeline) -> list[Finding]:
    """Sunlight in a night scene, or moonlight in a day scene, contradicts the heading."""
    found: list[Finding] = []
    flagged: set[int] = set()
    for event in timeline.events:
        if event.attribute != "light" or event.scene in flagged:
            continue
        view = timeline.scene(event.scene)
        if view is None or view.flashback or view.periods is None:
            continue
        light = SUN_PERIODS if event.value == "sun" else NIGHT_PERIODS
        if view.periods & light:
            continue
        flagged.add(event.scene)
        what = "sunlight" if event.value == "sun" else "night light (moon, stars)"
        when = view.when or view.time or "the time it continues"
        found.append(finding(
            "time_of_day", "error", event.scene, event.line,
            f"Scene {view.label} is set at {when}, but the action describes {what}: \"{_short(event.text)}\".",
            f"Change the light in the action to suit {when}, or change the heading's time of day."))
    return found


def place(location: str) -> str:
    """Render a heading location for a sentence: `ST. JUDE'S HOSPITAL` -> `St. Jude's Hospital`."""
    return re.sub(r"[A-Za-z]+(?:['’][A-Za-z]+)?", lambda m: m.group(0).capitalize(), location.lower())


def _count(n: int, word: str, plural: str = "") -> str:
    """Render `1 scene`, `3 scenes`."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _short(text: str, limit: int = 70) -> str:
    """Collapse whitespace and cut a quote to a readable length."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- presence --------------------------------------------------------------------------


def presence_rules(timeline: Timeline) -> list[Finding]:
    """Characters acting after they left or died, or in two places at once."""
    found: list[Finding] = []
    dead: dict[str, StateEvent] = {}
    by_scene: dict[int, list[StateEvent]] = {}
    for event in timeline.events:
        if event.attribute == "presence":
            by_scene.setdefault(event.scene, []).append(event)
    previous: SceneView | None = None
    for view in timeline.scenes:
        events = by_scene.get(view.number, [])
        found.extend(_after_exit(view, events, timeline))
        if not view.flashback:
            found.extend(_after_death(view, events, dead, timeline))
            if previous is not None:
                found.extend(_two_places(view, previous, events, by_scene.get(previous.number, []), timeline))
            previous = view
    return found


def _acts(event: StateEvent) -> bool:
    """Say whether an event shows a character on screen doing something."""
    return event.value == "speak" or (event.value == "act" and event.named)


def _after_exit(view: SceneView, events: list[StateEvent], timeline: Timeline) -> list[Finding]:
    """Within a scene: someone who left speaks or acts before an entrance brings them back."""
    found: list[Finding] = []
    gone: dict[str, StateEvent] = {}
    for event in events:
        if event.value == "exit":
            gone[event.entity] = event
        elif event.value == "enter":
            gone.pop(event.entity, None)
        elif _acts(event) and event.entity in gone and not (
                event.sentence and event.sentence == gone[event.entity].sentence):  # "sweeps out, leaving him"
            left = gone.pop(event.entity)
            name = timeline.names.display(event.entity)
            how = "speaks" if event.value == "speak" else "acts"
            found.append(finding(
                "presence", "error", view.number, event.line,
                f"{name} left the scene at line {left.line} but {how} at line {event.line} without coming back.",
                f"Add an entrance for {name} before line {event.line} (\"{name} comes back in\"), make the "
                "line off screen (O.S.), or give it to someone still in the scene."))
    return found


def _after_death(view: SceneView, events: list[StateEvent], dead: dict[str, StateEvent],
                 timeline: Timeline) -> list[Finding]:
    """Someone who died appears again outside a flashback, dream or voice-over."""
    found: list[Finding] = []
    for event in events:
        if event.value == "death":
            dead.setdefault(event.entity, event)
        elif _acts(event) and event.entity in dead and dead[event.entity].line < event.line:
            death = dead[event.entity]
            name = timeline.names.display(event.entity)
            found.append(finding(
                "presence", "error", view.number, event.line,
                f"{name} died in scene {_label(timeline, death.scene)} (line {death.line}) but is back in "
                f"scene {view.label}.",
                f"Mark scene {view.label} as a FLASHBACK or DREAM, make {name} heard only (V.O.), "
                f"or cut {name} from it."))
            dead.pop(event.entity)
    return found


def _label(timeline: Timeline, number: int) -> str:
    """Return the printed label of a scene number."""
    view = timeline.scene(number)
    return view.label if view else str(number)


def _two_places(view: SceneView, previous: SceneView, events: list[StateEvent],
                before: list[StateEvent], timeline: Timeline) -> list[Finding]:
    """A character in two places: simultaneous scenes, or left behind in a continuous move."""
    if view.intercut or previous.intercut or view.location == previous.location:
        return []
    if view.simultaneous:
        return _simultaneous(view, previous, events, before, timeline)
    if not view.continues:
        return []
    movers = _movers(before)
    if not movers:
        return []
    first_exit = min(movers.values())
    # Only someone seen in the first place after the others left is shown staying behind.
    stayed = {k for k in _stayers(before) - set(movers)
              if any(_acts(e) and e.entity == k and e.line > first_exit for e in before)}
    if not stayed:
        return []
    found: list[Finding] = []
    entered: set[str] = set()
    for event in events:
        if event.value == "enter":
            entered.add(event.entity)
        elif _acts(event) and event.entity in stayed and event.entity not in entered:
            name = timeline.names.display(event.entity)
            found.append(finding(
                "presence", "warning", view.number, event.line,
                f"{name} is still in {place(previous.location)} at the end of scene {previous.label} (only "
                f"{', '.join(sorted(timeline.names.display(m) for m in movers))} left), yet is in "
                f"{place(view.location)} in the continuous scene {view.label}.",
                f"Show {name} leaving scene {previous.label} or arriving in scene {view.label}."))
            stayed.discard(event.entity)
    return found


def _movers(events: list[StateEvent]) -> dict[str, int]:
    """Characters who left a scene and did not come back, with the line they left on."""
    gone: dict[str, int] = {}
    for event in events:
        if event.value == "exit":
            gone[event.entity] = event.line
        elif event.value == "enter":
            gone.pop(event.entity, None)
    return gone


def _stayers(events: list[StateEvent]) -> set[str]:
    """Characters on screen at the end of a scene: seen or heard in person, not gone."""
    present: set[str] = set()
    for event in events:
        if _acts(event) or event.value == "enter":
            present.add(event.entity)
        elif event.value in ("exit", "death"):
            present.discard(event.entity)
    return present


def _simultaneous(view: SceneView, previous: SceneView, events: list[StateEvent],
                  before: list[StateEvent], timeline: Timeline) -> list[Finding]:
    """In a scene happening at the same time elsewhere, nobody from the other scene appears."""
    there = {e.entity for e in before if _acts(e) or e.value == "enter"}
    found: list[Finding] = []
    for event in events:
        if (_acts(event) or event.value == "enter") and event.entity in there:
            name = timeline.names.display(event.entity)
            found.append(finding(
                "presence", "error", view.number, event.line,
                f"Scene {view.label} happens at the same time as scene {previous.label}, where {name} is "
                f"in {place(previous.location)}; {name} cannot also be in {place(view.location)}.",
                f"Take {name} out of one of the two scenes, or make this scene happen later."))
            there.discard(event.entity)
    return found


# --- names -----------------------------------------------------------------------------


def _edit_distance(a: str, b: str) -> int:
    """Return the Levenshtein distance of two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _sound(name: str) -> str:
    """Fold spellings that sound alike: `OLLIE`/`OLLY`, `PHILLIP`/`PHILIP`, `ANNE`/`ANN`."""
    folded = re.sub(r"(ie|ey|y|i)\b", "i", name)
    folded = re.sub(r"([a-z])\1", r"\1", folded)
    return re.sub(r"(?<=[a-z]{3})e\b", "", folded)


def _near(a: str, b: str) -> bool:
    """Say whether two names are one slip of the keyboard apart, or sound alike (not just a number)."""
    if re.sub(r"\d", "", a) == re.sub(r"\d", "", b) or min(len(a), len(b)) < 3:
        return False
    if _sound(a) == _sound(b):
        return True
    limit = 1 if min(len(a), len(b)) < 7 else 2
    return _edit_distance(a, b) <= limit


def _spellings(timeline: Timeline) -> dict[str, list[StateEvent]]:
    """Group speeches by the cue name exactly as written (folded)."""
    spelled: dict[str, list[StateEvent]] = {}
    for event in timeline.events:
        if event.attribute == "presence" and event.value.startswith("speak"):
            spelled.setdefault(fold(event.text).strip(), []).append(event)
    return spelled


def name_variants(sp: Screenplay, breakdown: Breakdown, timeline: Timeline) -> list[tuple[str, str]]:
    """Return (variant, usual) cue-name pairs that look like one character written two ways."""
    return _variant_pairs(_spellings(timeline), _action_words(sp), breakdown, caps_runs(sp), timeline.names.person)


def name_rules(sp: Screenplay, breakdown: Breakdown, timeline: Timeline) -> list[Finding]:
    """One character, one cue name: typos and alternate names of a speaking character."""
    spelled = _spellings(timeline)
    found: list[Finding] = []
    for rare, common in _variant_pairs(spelled, _action_words(sp), breakdown, caps_runs(sp), timeline.names.person):
        scenes_seen: set[int] = set()
        for event in spelled[rare]:
            if event.scene in scenes_seen:
                continue
            scenes_seen.add(event.scene)
            found.append(finding(
                "name", "warning", event.scene, event.line,
                f"The cue {rare.upper()} looks like another name or spelling for {common.upper()} "
                f"({_count(len(spelled[common]), 'speech', 'speeches')} elsewhere).",
                f"Rename the cue to {common.upper()} (or, if these are two people, introduce "
                f"{rare.upper()} in the action)."))
    return found


def _action_words(sp: Screenplay) -> set[str]:
    """Every folded word and two-word phrase written in action (where characters are introduced)."""
    words: set[str] = set()
    for element in sp.elements:
        if element.kind == "action":
            tokens = [fold(w).removesuffix("'s") for w in WORD.findall(element.text)]
            words.update(tokens)
            words.update(" ".join(pair) for pair in zip(tokens, tokens[1:]))
    return words


def _variant_pairs(spelled: dict[str, list[StateEvent]], in_action: set[str], breakdown: Breakdown,
                   caps_runs: list[set[str]] | None = None,
                   people: Callable[[str], str] | None = None) -> list[tuple[str, str]]:
    """Pairs (rare spelling, common spelling) of cue names that are one person.

    A typo (one or two letters off) counts when the rare spelling never appears in the action.
    A linked name (breakdown alias, part of the full name with the same title, a nickname that
    is the start of the name) counts unless the action introduces it in caps as its own person.
    """
    pairs: list[tuple[str, str]] = []
    names = sorted(spelled, key=lambda n: (-len(spelled[n]), spelled[n][0].line))
    for i, common in enumerate(names):
        for rare in names[i + 1 :]:
            if len(spelled[rare]) > len(spelled[common]) or rare in GROUP_CUES:
                continue
            typo = _near(rare, common) and rare not in in_action
            same = people is not None and people(rare) == people(common)
            linked = (same or _aliases(rare, common, breakdown) or _nickname(rare, common)) and not _introduced_alone(
                rare, common, caps_runs or [])
            if (typo or linked) and (common in in_action or _first_word(common) in in_action):
                pairs.append((rare, common))
    return pairs


def _nickname(a: str, b: str) -> bool:
    """`SAL` and `SALVATORE`, `DAN` and `DANIEL`: one single-word name starts the other."""
    if " " in a or " " in b:
        return False
    short, long = sorted((a.strip("."), b.strip(".")), key=len)
    return len(short) >= 3 and len(long) - len(short) >= 2 and long.startswith(short)


def _introduced_alone(rare: str, common: str, caps_runs: list[set[str]]) -> bool:
    """Say whether the action names `rare` in caps on its own (then it is a separate person)."""
    words, others = _name_words(rare), _name_words(common)
    return any(words <= run and not (others & run) for run in caps_runs)


def caps_runs(sp: Screenplay) -> list[set[str]]:
    """Return the folded words of each run of capitals in the action (where people are introduced)."""
    runs: list[set[str]] = []
    for element in sp.elements:
        if element.kind == "action":
            for match in re.finditer(r"\b[A-Z][A-Z'’.\-]*(?:\s+[A-Z][A-Z'’.\-]*)*\b", element.text):
                runs.append(_name_words(match.group(0)))
    return runs


def _first_word(name: str) -> str:
    """Return the first word of a name."""
    parts = name.split()
    return parts[0] if parts else name


def _name_words(name: str) -> set[str]:
    """Return a name's words, folded, without full stops (`Dr. Solberg` -> {dr, solberg})."""
    return {w.strip(".") for w in fold(name).split() if w.strip(".")}


def _aliases(rare: str, common: str, breakdown: Breakdown) -> bool:
    """Say whether the breakdown links two cue names as one person.

    Linked: both are names of one breakdown character, or an alias candidate pair, or the rare
    cue's words are part of the common character's full name with any title it carries also in
    that name (`DR. SOLBERG` for `DR. ANNIKA SOLBERG`, but not `MR. KIM` for `JIN KIM`).
    """
    owners = [c for c in breakdown.characters if fold(c.name) == common]
    for character in breakdown.characters:
        names = {fold(n) for n in [character.name, *character.aliases]}
        if rare in names and common in names:
            return True
    if any({fold(n) for n in c.names} == {rare, common} for c in breakdown.alias_candidates):
        return True
    words = _name_words(rare)
    if not words - set(HONORIFIC_WORDS):
        return False
    holders = [c for c in breakdown.characters if fold(c.name) != rare and any(
        words < _name_words(n) for n in [c.name, *c.aliases])]
    return len(holders) == 1 and holders[0] in owners


def unintroduced_rules(timeline: Timeline, variants: set[str] | None = None) -> list[Finding]:
    """A character who speaks before the action has ever shown them (a note).

    A cue that is a misspelling of an introduced character (`variants`) is a name finding, not this.
    """
    seen: set[str] = set(variants or ())
    found: list[Finding] = []
    mentions = sorted(((c.line, m.key) for v in timeline.scenes for c in v.clauses for m in c.mentions),
                      key=lambda item: item[0])
    position = 0
    for event in timeline.events:
        if event.attribute != "presence" or not event.value.startswith("speak"):
            continue
        while position < len(mentions) and mentions[position][0] <= event.line:
            seen.add(mentions[position][1])
            position += 1
        key = event.entity
        if key in seen or key in GROUP_CUES or set(key.split()) & NO_INTRO:
            continue
        seen.add(key)
        if event.value == "speak_remote":
            continue
        name = timeline.names.display(key)
        found.append(finding(
            "unintroduced", "note", event.scene, event.line,
            f"{name} speaks at line {event.line} before the action has introduced them.",
            f"Introduce {name} in the action before the first line, in caps with a short description "
            f"(\"{name.upper()} (40s, ...) ...\")."))
    return found


# --- locations -------------------------------------------------------------------------


def _location_key(location: str) -> str:
    """Fold a location for comparison: no punctuation, apostrophes or articles, abbreviations expanded."""
    words = re.findall(r"[a-z0-9]+", fold(location).replace("'", ""))
    words = [_ABBREVIATIONS.get(w, w) for w in words if w not in ("the", "a")]
    return " ".join(words)


def location_rules(timeline: Timeline) -> list[Finding]:
    """One place, one name: headings that spell a place two ways (`DINER` / `DINNER`).

    Places compare by their main part (`THE GOLDEN FRYER - KITCHEN` -> `THE GOLDEN FRYER`), so a
    misspelt building is found even when the rooms differ.
    """
    found: list[Finding] = []
    flagged: set[int] = set()
    for whole in (False, True):  # the building first, then the full place with its room
        for item in _location_variants(timeline, whole):
            if item.scene not in flagged:
                flagged.add(item.scene or 0)
                found.append(item)
    return found


def _location_variants(timeline: Timeline, whole: bool) -> list[Finding]:
    """Findings for heading places (main part, or whole location) spelled two ways."""
    uses: dict[str, list[SceneView]] = {}
    for view in timeline.scenes:
        if view.location:
            uses.setdefault(view.location if whole else view.location.split(" - ")[0].strip(), []).append(view)
    found: list[Finding] = []
    # Most used first; in a tie the fuller spelling (spaces, apostrophes, full stops kept) is the
    # careful one, as a slip of the keyboard usually drops a character.
    names = sorted(uses, key=lambda n: (-len(uses[n]), -sum(not c.isalnum() for c in n), uses[n][0].number))
    for i, common in enumerate(names):
        for rare in names[i + 1 :]:
            if len(uses[rare]) > len(uses[common]) or not _same_place(rare, common):
                continue
            for view in uses[rare]:
                found.append(finding(
                    "location_name", "warning", view.number, view.heading_line,
                    f"Heading names the location {rare}, elsewhere {common} ({_count(len(uses[common]), 'scene')}).",
                    f"Use one name for the place: change this heading to {common}."))
    return found


def _same_place(a: str, b: str) -> bool:
    """Say whether two heading locations are one place spelled two ways."""
    ka, kb = _location_key(a), _location_key(b)
    if ka == kb or sorted(ka.split()) == sorted(kb.split()):
        return True
    wa, wb = ka.split(), kb.split()
    if len(wa) != len(wb):
        return _squashed(ka, kb)
    diffs = [(x, y) for x, y in zip(wa, wb) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    if x.isdigit() or y.isdigit() or min(len(x), len(y)) < 4:
        return False
    return _edit_distance(x, y) <= (1 if min(len(x), len(y)) < 7 else 2)


def _squashed(ka: str, kb: str) -> bool:
    """`BACKYARD` and `BACK YARD`: the same words with spaces moved."""
    return ka.replace(" ", "") == kb.replace(" ", "")
