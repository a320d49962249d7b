"""Logging setup: one structlog pipeline for our events and the SDKs' stdlib loggers.

The CLI calls `configure()` once; importing a module never configures logging. People get a
console renderer on stderr; `--log-json` (or a log file) gets JSON lines. Before anything is
rendered, `redact` masks secrets: values under key-like names, anything shaped like an API key
or bearer token, and the literal key values registered by `load_settings`. Tracebacks are
rendered without frame locals, which would otherwise carry keys past the redaction.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any

import structlog

MASK = "[REDACTED]"
SECRET_KEYS = frozenset(
    {"api_key", "apikey", "authorization", "x-goog-api-key", "token", "access_token", "password", "secret"}
)
SECRET_PATTERN = re.compile(
    r"(sk-[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{20,}|Bearer\s+[A-Za-z0-9._~+/=\-]{8,})"
)
SDK_LOGGERS = ("openai", "httpx", "httpx2", "httpcore", "google_genai", "google", "langgraph")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secret_re: re.Pattern[str] | None = None
_handlers: list[logging.Handler] = []


def register_secrets(values: Iterable[str]) -> None:
    """Remember literal secret values (e.g. API keys) so they are masked wherever they show up."""
    global _secret_re
    with _secrets_lock:
        _secrets.update(v for v in values if v and len(v) >= 4)
        words = sorted(_secrets, key=len, reverse=True)
        _secret_re = re.compile("|".join(re.escape(w) for w in words)) if words else None


def scrub(text: str) -> str:
    """Mask secrets inside a string."""
    if _secret_re is not None:
        text = _secret_re.sub(MASK, text)
    return SECRET_PATTERN.sub(MASK, text)


def scrub_value(value: Any, by_key: bool = True) -> Any:
    """Mask secrets inside strings, lists and dicts.

    With `by_key`, a value under a secret-sounding key (`api_key`, `token`...) is masked whole;
    recordings turn that off, since a JSON schema may well have a field named `token`.
    """
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {
            k: MASK if by_key and _is_secret_key(k) else scrub_value(v, by_key)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(scrub_value(v, by_key) for v in value)
    return value


def _is_secret_key(key: Any) -> bool:
    """Say whether a field name holds a secret."""
    return isinstance(key, str) and key.lower() in SECRET_KEYS


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor masking keys, tokens and registered secret values."""
    for key, value in list(event_dict.items()):
        if _is_secret_key(key):
            event_dict[key] = MASK
        elif isinstance(value, BaseException):
            event_dict[key] = scrub(f"{type(value).__name__}: {value}")
        elif key != "exc_info":
            event_dict[key] = scrub_value(value)
    return event_dict


def _scrub_rendered(_logger: Any, _method: str, rendered: Any) -> Any:
    """Mask secrets in the final line too (tracebacks are rendered late)."""
    return scrub(rendered) if isinstance(rendered, str) else rendered


def _level(level: str | None) -> int:
    """Resolve the log level from the argument or `FILMCREW_LOG_LEVEL` (default INFO)."""
    name = (level or os.environ.get("FILMCREW_LOG_LEVEL") or "INFO").upper()
    value = logging.getLevelName(name)
    return value if isinstance(value, int) else logging.INFO


def _shared() -> list[Any]:
    """Processors run for structlog and stdlib records alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
    ]


def _formatter(json: bool) -> logging.Formatter:
    """Build the ProcessorFormatter for console or JSON output."""
    exceptions = structlog.processors.ExceptionRenderer(
        structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
    )
    renderer: Any
    if json:
        tail = [exceptions, structlog.processors.JSONRenderer(sort_keys=True)]
    else:
        renderer = structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
        tail = [renderer]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail, _scrub_rendered],
    )


def configure(json: bool = False, level: str | None = None, file: Path | None = None) -> None:
    """Route structlog and stdlib logging to stderr (console or JSON) and optionally a JSON file.

    Safe to call again (tests, `--log-json` after a default setup): handlers are replaced.
    """
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_formatter(json))
    _handlers.append(console)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(file, encoding="utf-8")
        to_file.setFormatter(_formatter(True))
        _handlers.append(to_file)
    for handler in _handlers:
        root.addHandler(handler)
    root.setLevel(_level(level))
    for name in SDK_LOGGERS:  # their DEBUG output carries request bodies
        logging.getLogger(name).setLevel(max(logging.INFO, _level(level)))
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # True would pin loggers to one setup (tests reconfigure)
    )


def reset() -> None:
    """Undo `configure()` (tests): remove our handlers and restore structlog's defaults."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    structlog.reset_defaults()
