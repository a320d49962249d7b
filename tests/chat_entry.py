"""Run the `filmcrew` entry point with `chat` and `new` attached (for pexpect and CLI tests).

`filmcrew.cli.main` registers every command itself; until it lists `chat` and `new` this adds
them, and once it does this changes nothing.
"""

from __future__ import annotations

import os

os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")

from filmcrew.cli import main  # noqa: E402
from filmcrew.cli.chat_cmd import chat  # noqa: E402
from filmcrew.cli.new_cmd import new  # noqa: E402


def attach() -> None:
    """Register `chat` and `new` on the root app when it does not have them yet."""
    names = {c.name for c in main.app.registered_commands}
    if "chat" not in names:
        main.app.command("chat")(chat)
    if "new" not in names:
        main.app.command("new")(new)


attach()

if __name__ == "__main__":
    main.run()
