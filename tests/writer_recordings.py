"""Authored model answers for the writer and the chat, and the script that turns them into recordings.

No live model wrote these: each case below is the answers a model would give, in order. The
requests they answer are produced by running filmcrew's real code against a scripted provider
that gives these answers, so the recordings hold exactly what filmcrew asks (same prompts,
schemas and fingerprints) with `"source": "authored"`. When a prompt changes, replay fails
with a diff naming the request; regenerate with::

    .venv/bin/python -m tests.writer_recordings

The short case includes a malformed first Fountain reply (Markdown, no scene headings) that the
parser's messages repair; the chat case a scene edit without a heading that the same loop fixes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from filmcrew.providers import ScriptedProvider
from filmcrew.providers.recording import author_recording

ROOT = Path(__file__).parent / "fixtures" / "recordings" / "writer"
SHORT_LOGLINE = "A lighthouse keeper's daughter finds her missing brother's shoe on the pier"
SEASON_LOGLINE = "A night-shift nurse learns the patient in bed 9 is the brother everyone says is dead"

# --- the short film ------------------------------------------------------------------------

SHORT_OUTLINE = {
    "title": "Low Tide",
    "logline": SHORT_LOGLINE,
    "tone": "quiet, salt-cold, a thriller whispered",
    "cast": [
        {"name": "MAYA", "age": "30s", "look": "wiry, cropped black hair, chapped hands",
         "wardrobe": "yellow oilskin coat, rubber boots", "want": "to find her brother"},
        {"name": "TOM", "age": "60s", "look": "stooped, white stubble", "wardrobe": "grey fisherman's jumper",
         "want": "to keep what he saw to himself"},
    ],
    "parts": [{"number": 1, "title": "The Shoe", "summary": "Maya finds a child's shoe on the pier; Tom, "
               "who runs the bait shop, denies he has seen it, but a matching shoe sits under his stool.",
               "ending": "Maya sees the second shoe and says nothing."}],
}
SHORT_BEATS = {"beats": [
    {"heading": "EXT. PIER - NIGHT", "summary": "Maya finds a small shoe wedged in the planks.",
     "characters": ["MAYA"], "seconds": 25},
    {"heading": "INT. BAIT SHOP - NIGHT", "summary": "Tom denies knowing the shoe.", "characters": ["MAYA", "TOM"],
     "seconds": 35},
]}
SHORT_MALFORMED = """**Scene 1 — the pier, night**

Maya walks the pier in the rain and finds a small shoe.

**Scene 2 — the bait shop**

Tom says he has never seen it.
"""
SHORT_FOUNTAIN = """EXT. PIER - NIGHT

Rain hammers the planks. MAYA (30s, yellow oilskin coat, rubber boots) walks the pier with a torch, calling into the dark.

MAYA
Eli! Eli!

The beam catches something wedged between two planks: a small red SHOE.

She pulls it free. Turns it over. A name on the tongue in marker: ELI.

INT. BAIT SHOP - NIGHT

A bare bulb. Nets, hooks, the hum of a freezer. TOM (60s, grey fisherman's jumper) counts hooks into a tin.

Maya drops the shoe on the counter.

MAYA
Whose is this?

TOM
(not looking)
Kids lose things on the pier. Every week.

MAYA
It's Eli's. Look at it.

TOM
Never seen it.
"""
SHORT_CRITIQUE = {"issues": [{"rule": "One clear dramatic question, raised early and answered", "scene": 2,
                              "problem": "the scene ends on Tom's denial; the question of what he knows goes nowhere",
                              "fix": "let Maya, and only the audience, see that Tom is lying"}]}
SHORT_EDITS = {"summary": "Tom's lie is exposed: the matching shoe is under his stool", "edits": [{
    "op": "replace", "scene": 2, "fountain": """INT. BAIT SHOP - NIGHT

A bare bulb. Nets, hooks, the hum of a freezer. TOM (60s, grey fisherman's jumper) counts hooks into a tin.

Maya drops the shoe on the counter.

MAYA
Whose is this?

TOM
(not looking)
Kids lose things on the pier. Every week.

MAYA
It's Eli's. Look at it.

TOM
Never seen it.

Maya's torch drifts down. Under Tom's stool, half hidden by a net: the other red SHOE.

She looks back up at him. Says nothing.
"""}]}

# --- the micro-drama season ----------------------------------------------------------------

SEASON_OUTLINE = {
    "title": "Bed Nine",
    "logline": SEASON_LOGLINE,
    "tone": "tense, intimate, late-night hospital hush",
    "cast": [
        {"name": "JUNE", "age": "30s", "look": "tired eyes, hair scraped back", "wardrobe": "navy scrubs, lanyard",
         "want": "the truth about her brother"},
        {"name": "LEO", "age": "30s", "look": "bandaged head, bruised jaw", "wardrobe": "hospital gown",
         "want": "to stay hidden"},
        {"name": "DR. HALE", "age": "50s", "look": "silver hair, rimless glasses", "wardrobe": "white coat",
         "want": "to keep the ward quiet"},
    ],
    "parts": [
        {"number": 1, "title": "The Name on the Chart", "summary": "June finds her dead brother's name on a chart.",
         "ending": "The patient opens his eyes and says her name."},
        {"number": 2, "title": "Do Not Resuscitate", "summary": "Dr. Hale orders June off the case.",
         "ending": "June finds a DNR order signed in her own name."},
    ],
}
SEASON_BEATS_1 = {"beats": [
    {"heading": "INT. HOSPITAL - WARD 4 - NIGHT", "summary": "June reads the chart of bed 9: LEO MARSH.",
     "characters": ["JUNE"], "seconds": 20},
    {"heading": "INT. HOSPITAL - NURSES' STATION - NIGHT", "summary": "Dr. Hale says bed 9 is a John Doe.",
     "characters": ["JUNE", "DR. HALE"], "seconds": 30},
    {"heading": "INT. HOSPITAL - WARD 4 - NIGHT", "summary": "June leans over the patient; he opens his eyes.",
     "characters": ["JUNE", "LEO"], "seconds": 30},
]}
SEASON_FOUNTAIN_1 = """INT. HOSPITAL - WARD 4 - NIGHT

A monitor flatlines. Then beeps again.

JUNE (30s, navy scrubs, lanyard, hair scraped back) freezes at the foot of bed 9, a CHART in her hands.

The name on it: LEO MARSH.

JUNE
(whisper)
No. You're dead. I buried you.

She looks up. The patient's head is wrapped in bandages, his jaw a bruise.

INT. HOSPITAL - NURSES' STATION - NIGHT

June slaps the chart on the desk. DR. HALE (50s, silver hair, rimless glasses, white coat) doesn't look up from his screen.

JUNE
Bed nine. Who admitted him?

DR. HALE
Bed nine is a John Doe. Found on the ring road.

JUNE
The chart says Leo Marsh.

DR. HALE
Then the chart is wrong. Fix it.

He takes the chart. Tears off the label. Drops it in the shredder.

June watches the paper disappear.

INT. HOSPITAL - WARD 4 - NIGHT

June pulls the curtain around bed 9. Leans close. The breath of the ventilator.

JUNE
Leo. If it's you, move your hand.

Nothing. The monitor ticks.

She turns to go. A hand grabs her wrist. Hard.

The patient's eyes are open. LEO (30s, bandaged head, hospital gown).

LEO
(hoarse)
June. Don't tell them.

Footsteps outside the curtain. Stop.
"""
SEASON_BEATS_2 = {"beats": [
    {"heading": "INT. HOSPITAL - WARD 4 - NIGHT", "summary": "Dr. Hale pulls back the curtain.",
     "characters": ["JUNE", "LEO", "DR. HALE"], "seconds": 30},
    {"heading": "INT. HOSPITAL - NURSES' STATION - NIGHT", "summary": "June is taken off the ward.",
     "characters": ["JUNE", "DR. HALE"], "seconds": 25},
    {"heading": "INT. HOSPITAL - RECORDS ROOM - NIGHT", "summary": "June finds a DNR in her own name.",
     "characters": ["JUNE"], "seconds": 25},
]}
SEASON_FOUNTAIN_2 = """INT. HOSPITAL - WARD 4 - NIGHT

The curtain rips back. DR. HALE stands there, a syringe in his hand.

June steps between him and the bed. Leo's eyes are shut again.

DR. HALE
You're off shift, nurse.

JUNE
He spoke. He said my name.

DR. HALE
He's sedated. He hasn't spoken in three days.

He looks past her at the monitor. Taps the syringe.

LEO stirs under the sheet. His fingers find June's sleeve and let go.

JUNE
What's in that?

DR. HALE
Something to help him sleep.

INT. HOSPITAL - NURSES' STATION - NIGHT

June's LANYARD lies on the desk. Dr. Hale slides a form across to her.

DR. HALE
Sign here. You were never on ward four tonight.

JUNE
And if I don't?

DR. HALE
Then you were. And you'll explain why a John Doe coded on your watch.

June signs. Her pen shakes.

INT. HOSPITAL - RECORDS ROOM - NIGHT

Dark. June's phone torch sweeps the shelves. She pulls a FILE: MARSH, L.

Inside, a form. DO NOT RESUSCITATE.

The signature at the bottom is her own.

JUNE
(barely audible)
I never signed this.

Behind her, the door lock clicks.
"""
SEASON_CRITIQUE = {"issues": []}

# --- the chat session ----------------------------------------------------------------------

CHAT_QUIETER = "the ending should be quieter"
CHAT_TURN_1 = {"reply": "I'll have the writer make the last scene quieter; you'll see the change first.",
               "actions": [{"kind": "revise_script",
                            "instruction": "Make the ending (scene 12) quieter: no speech, just Nora and the sea."}]}
CHAT_EDITS_BAD = {"summary": "the last scene plays in silence", "edits": [{
    "op": "replace", "scene": 12, "fountain": "Nora stands at the rail and says nothing.\n"}]}
CHAT_COAT = "Nora wears her red coat all day"
CHAT_TURN_2 = {"reply": "Nora will wear the red coat in every scene of story day 1.",
               "actions": [{"kind": "set_wardrobe", "character": "NORA", "story_day": 1, "wardrobe": ["red coat"]}]}


def chat_edits_good(last_heading: str) -> dict[str, Any]:
    """The repaired edit: the same scene, now with its heading."""
    return {"summary": "the last scene plays in silence", "edits": [{
        "op": "replace", "scene": 12,
        "fountain": f"{last_heading}\n\nNora stands at the rail. The lamp turns above her, once, twice.\n\n"
                    "She closes her hand around the KEY and says nothing.\n\nThe sea goes on.\n"}]}


# --- authoring -----------------------------------------------------------------------------


def _write(directory: Path, provider: ScriptedProvider, answers: list[Any]) -> int:
    """Write one authored recording per (request, answer) the scripted provider saw."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json"):
        old.unlink()
    for request, answer in zip(provider.calls, answers):
        response = {"parsed": answer} if isinstance(answer, dict) else {"text": answer}
        author_recording(directory, request, response)
    provider.assert_consumed()
    return len(provider.calls)


def author_short(root: Path = ROOT) -> int:
    """The short film: outline, beats, a malformed reply and its repair, critique, revision."""
    from filmcrew.agents.writer import draft
    from filmcrew.agents.writer_models import WriterSpec

    answers = [SHORT_OUTLINE, SHORT_BEATS, SHORT_MALFORMED, SHORT_FOUNTAIN, SHORT_CRITIQUE, SHORT_EDITS]
    provider = ScriptedProvider(list(answers))
    draft(provider, WriterSpec(logline=SHORT_LOGLINE, format="short", minutes=1))
    return _write(root / "short", provider, answers)


def author_season(root: Path = ROOT) -> int:
    """A two-episode micro-drama season that passes its critique."""
    from filmcrew.agents.writer import draft
    from filmcrew.agents.writer_models import WriterSpec

    answers = [SEASON_OUTLINE, SEASON_BEATS_1, SEASON_FOUNTAIN_1, SEASON_BEATS_2, SEASON_FOUNTAIN_2,
               SEASON_CRITIQUE, SEASON_CRITIQUE]
    provider = ScriptedProvider(list(answers))
    draft(provider, WriterSpec(logline=SEASON_LOGLINE, format="microdrama", episodes=2))
    return _write(root / "season", provider, answers)


def author_chat(example: Path, root: Path = ROOT) -> int:
    """The chat: the same session the pexpect test drives, its model calls answered as authored.

    /plan, /approve, then "the ending should be quieter" (a revision whose first edit has no
    heading and is repaired), yes, then "Nora wears her red coat all day", yes.
    """
    from filmcrew.agents.writer import revise
    from filmcrew.agents.writer_fountain import split_blocks
    from filmcrew.chat.actions import interpret
    from filmcrew.chat.journal import WardrobeEdit
    from filmcrew.chat.session import Session
    from filmcrew.config import load_settings
    from filmcrew.crew import Crew

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        script = project / example.name
        shutil.copy(example, script)
        session, _ = Session.for_script(Crew(project, load_settings(project)), script)
        session.plan("/plan")
        session.approve("", "/approve")
        heading = split_blocks(session.text()).scenes[11].split("\n")[0]
        answers: list[Any] = [CHAT_TURN_1, CHAT_EDITS_BAD, chat_edits_good(heading), CHAT_TURN_2]
        provider = ScriptedProvider(list(answers))
        interpret(provider, session, CHAT_QUIETER)
        revision = revise(provider, session.text(), CHAT_TURN_1["actions"][0]["instruction"])
        session.add_text(revision.text, f"revised: {revision.summary}", revision.summary)
        session.plan("/plan")
        session.remember(CHAT_QUIETER, CHAT_TURN_1["reply"])
        interpret(provider, session, CHAT_COAT)
        session.set_wardrobe(WardrobeEdit(character="NORA", story_day=1, wardrobe=["red coat"]), "coat")
        return _write(root / "chat", provider, answers)


def main() -> None:
    """Regenerate every authored writer and chat recording."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    counts = {"short": author_short(), "season": author_season(),
              "chat": author_chat(examples / "the-lighthouse-key.fountain")}
    sys.stdout.write(f"authored recordings in {ROOT}: {counts}\n")


if __name__ == "__main__":
    main()
