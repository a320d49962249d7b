"""Cut one screenplay into a season of episodes at scene boundaries, balanced by screen time.

No model is needed: scenes keep their exact text (so their fingerprints, and everything the
crew planned for them, carry over), and the cut points minimise the longest episode, measured
in printed lines the way the page counter measures them. Each episode gets a title page that
names it, so every file plans on its own.
"""

from __future__ import annotations

from filmcrew.agents.writer_fountain import join_blocks, split_blocks
from filmcrew.errors import InputError
from filmcrew.tools.fountain import parse
from filmcrew.tools.pages import scene_line_counts


def balanced_cuts(sizes: list[int], parts: int) -> list[int]:
    """Return the start index of each part so the largest part is as small as it can be.

    Classic linear partition by binary search on the answer: a greedy pass tells whether a
    limit fits in `parts` parts; the smallest limit that fits is cut greedily from the right,
    which keeps every part non-empty.
    """
    if not 1 <= parts <= len(sizes):
        raise InputError(f"cannot cut {len(sizes)} scenes into {parts} episodes")
    low, high = max(sizes), sum(sizes)
    while low < high:
        mid = (low + high) // 2
        if _parts_needed(sizes, mid) <= parts:
            high = mid
        else:
            low = mid + 1
    return _cut(sizes, parts, low)


def _parts_needed(sizes: list[int], limit: int) -> int:
    """Count the parts a greedy left-to-right pass needs under a size limit."""
    count, running = 1, 0
    for size in sizes:
        if running + size > limit:
            count, running = count + 1, 0
        running += size
    return count


def _cut(sizes: list[int], parts: int, limit: int) -> list[int]:
    """Cut from the right under the limit, leaving at least one scene for every part to the left."""
    starts: list[int] = []
    end, running = len(sizes), 0
    for index in range(len(sizes) - 1, -1, -1):
        left_parts = parts - len(starts) - 1
        if left_parts and (running + sizes[index] > limit or index < left_parts):
            starts.append(index + 1)
            running = 0
        running += sizes[index]
        end = index
    starts.append(end)
    return sorted(set(starts))


def split_into_episodes(text: str, episodes: int, title: str = "") -> list[str]:
    """Cut a screenplay into `episodes` Fountain texts of whole scenes, balanced by screen time."""
    blocks = split_blocks(text)
    if episodes < 2:
        raise InputError("split into at least 2 episodes")
    if len(blocks.scenes) < episodes:
        raise InputError(f"the screenplay has {len(blocks.scenes)} scenes; it cannot make {episodes} episodes")
    sp = parse(text, "season")
    sizes = [max(1, n) for n, s in zip(scene_line_counts(sp), sp.scenes) if s.heading is not None]
    starts = balanced_cuts(sizes, episodes)
    name = title or sp.title() or "Untitled"
    bounds = [*starts, len(blocks.scenes)]
    return [join_blocks(_episode_page(name, n, episodes), blocks.scenes[a:b])
            for n, (a, b) in enumerate(zip(bounds, bounds[1:]), start=1)]


def _episode_page(title: str, number: int, total: int) -> str:
    """A title page naming the season and the episode."""
    return (f"Title: {title}\nEpisode: {number} of {total}\nFormat: Vertical micro-drama, 9:16\n")
