"""Running the real `filmcrew` entry point inside a test."""

from __future__ import annotations

import pytest


def eval_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `filmcrew ARGS` (with the `eval` command) through the real entry point; return
    (exit code, stdout, stderr)."""
    from filmcrew.cli.eval_cmd import eval_cmd
    from filmcrew.cli.main import app, run

    if not any(c.name == "eval" for c in app.registered_commands):
        app.command("eval")(eval_cmd)
    with pytest.raises(SystemExit) as stop:
        run(args)
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err
