"""The exception tree; each class carries the exit code the CLI uses.

    FilmcrewError          1
    ├── InputError         2  bad script, flag, config or prompt
    ├── RunLocked          2  another process holds the run
    ├── CheckFailed        1  eval regression; blocking continuity error with --strict
    └── ProviderFailed     3  gave up after retries; run stays resumable
        └── ReplayMiss     3  no recording for a request
"""

from __future__ import annotations


class FilmcrewError(Exception):
    """Base of every error filmcrew reports to a user."""

    exit_code: int = 1


class InputError(FilmcrewError):
    """Bad input: a script, flag, configuration file or prompt.

    The message names the file (and line where there is one) and, where it can, the fix.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class RunLocked(InputError):
    """Another live process is working on the same run."""


class CheckFailed(FilmcrewError):
    """A check the user asked for failed (eval regression, --strict continuity)."""

    exit_code = 1


class ProviderFailed(FilmcrewError):
    """A model provider failed after its retries; the run stays resumable."""

    exit_code = 3


class ReplayMiss(ProviderFailed):
    """The replay provider has no recording for a request."""


class PromptError(InputError):
    """A prompt template is missing, or a variable is missing or unused."""
