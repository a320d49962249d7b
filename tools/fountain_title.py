"""The Fountain title page: `Key: value` lines at the very top of the script.

A value continues on lines indented by three or more spaces (a tab counts: tabs are four
spaces by now), even when such a line holds a colon (`<tab>EPISODE 1: PILOT`). The block ends
at the first blank line; a line that is neither key nor continuation also ends it (with a
warning), as writers often forget that blank line. A first line such as `FADE IN:` or
`CUT TO:` (upper case, no value, not a known key, nothing indented below) starts the script.
Values keep their Fountain markup (`_**BRICK & STEEL**_`): a title page is metadata.
"""

from __future__ import annotations

from filmcrew.domain import ParseWarning, TitleEntry
from filmcrew.tools.fountain_lines import Lines
from filmcrew.tools.fountain_rules import HEADING, TITLE_KEY, TITLE_KEYS
from filmcrew.tools.model_build import build


def opens_title_page(first: str, second: str = "") -> bool:
    """Say whether a script whose first two lines are these starts with a title page."""
    match = TITLE_KEY.match(first)
    if match is None or HEADING.match(first):
        return False
    key, value = match.group(1).strip(), match.group(2).strip()
    continued = second.startswith("   ") and second.strip() != ""
    return bool(value) or key != key.upper() or key.casefold() in TITLE_KEYS or continued


def read_title_page(lines: Lines) -> tuple[list[TitleEntry], int]:
    """Return the title-page entries and the index of the first logical line after them."""
    texts = lines.texts
    if not texts or not opens_title_page(texts[0], texts[1] if len(texts) > 1 else ""):
        return [], 0
    entries: list[tuple[str, list[str], int, int]] = []
    index = 0
    while index < len(texts):
        raw = texts[index]
        if not raw.strip():
            break
        if raw.startswith("   ") and entries:
            key, values, first, _ = entries[-1]
            values.append(raw.strip())
            entries[-1] = (key, values, first, index)
        elif (match := TITLE_KEY.match(raw)) is not None:
            value = match.group(2).strip()
            entries.append((match.group(1).strip(), [value] if value else [], index, index))
        else:
            message = "title page ends without a blank line; add one before the script"
            lines.warnings.append(
                build(ParseWarning, {"line": lines.starts[index], "message": message})
            )
            break
        index += 1
    title = [
        build(
            TitleEntry,
            {
                "key": key,
                "value": "\n".join(values),
                "start_line": lines.starts[first],
                "end_line": lines.ends[last],
            },
        )
        for key, values, first, last in entries
    ]
    return title, index
