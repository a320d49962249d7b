"""Which provider and model each agent uses, from `filmcrew.toml`, the environment and flags.

Precedence, strongest first: command-line flags (`--provider`, `--model`), environment
variables (`FILMCREW_PROVIDER`, `FILMCREW_MODEL`, vendor keys and base URLs), the project's
`filmcrew.toml`, then the defaults below. With no key and no base URL anywhere, every agent
runs `offline`: no model, the crew's deterministic craft rules.

Model IDs live only here (the defaults table) and in configuration; vendors retire models
often, so no module decides anything by a model's name.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError

from filmcrew.errors import InputError
from filmcrew.providers.base import Capabilities

CONFIG_FILE = "filmcrew.toml"
AGENTS = ("writer", "breakdown", "characters", "shot_planner", "continuity", "storyboard", "video")
VENDORS = ("openai", "gemini")
SLOTS = ("text", "text_light", "image", "video")

# Which text slot each agent uses: continuity review and breakdown get the cheaper model.
AGENT_TEXT_SLOT = {
    "writer": "text",
    "breakdown": "text_light",
    "characters": "text",
    "shot_planner": "text",
    "continuity": "text_light",
    "storyboard": "text_light",
    "video": "text_light",
}

# Default models per vendor and slot. Edit here (or in filmcrew.toml) when a vendor retires one.
DEFAULT_MODELS: dict[str, dict[str, str]] = {
    "openai": {
        "text": "gpt-5.4",
        "text_light": "gpt-5.4-mini",
        "image": "gpt-image-2",
        "video": "",  # the Sora video API is shut down: OpenAI video is unavailable
    },
    "gemini": {
        "text": "gemini-3.5-flash",
        "text_light": "gemini-3.1-flash-lite",
        "image": "gemini-2.5-flash-image",
        "video": "veo-3.1-generate-preview",
    },
}

# What a model in each slot can do unless the capability table names it. Both vendors' text
# models read images (`vision`: the storyboard judge compares frames with references); a
# compatible server's models are unknowable, so `capability_for` drops vision there.
SLOT_CAPABILITIES: dict[str, dict[str, dict[str, Any]]] = {
    "openai": {
        "text": {"text": True, "structured": True, "vision": True},
        "text_light": {"text": True, "structured": True, "vision": True},
        "image": {"image": True, "max_reference_images": 16},
        "video": {},
    },
    "gemini": {
        "text": {"text": True, "structured": True, "vision": True},
        "text_light": {"text": True, "structured": True, "vision": True},
        "image": {"image": True, "max_reference_images": 3},
        "video": {"video": True, "max_video_seconds": 8},
    },
}

# Known models whose abilities differ from their slot's default ("provider/model" keys); the
# project's [capabilities] table overrides these.
DEFAULT_CAPABILITIES: dict[str, dict[str, Any]] = {
    "gemini/gemini-2.5-flash-image": {"image": True, "max_reference_images": 3},
    "gemini/veo-3.1-generate-preview": {"video": True, "max_video_seconds": 8},
    "openai/gpt-image-2": {"image": True, "max_reference_images": 16},
}

SECRET_ENV = ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY")


class _Strict(BaseModel):
    """A configuration table that rejects unknown keys (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid")


class Price(_Strict):
    """Prices in USD used for cost estimates; zero means unknown."""

    input_per_mtok: float = 0.0
    output_per_mtok: float = 0.0
    per_image: float = 0.0
    per_video_second: float = 0.0

    def known(self) -> bool:
        """Say whether any price is set."""
        return any((self.input_per_mtok, self.output_per_mtok, self.per_image, self.per_video_second))


class RetrySettings(_Strict):
    """How often and how patiently transient failures are retried."""

    attempts: int = Field(default=4, ge=1, le=20)
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(default=30.0, ge=0)
    max_retry_after_s: float = Field(default=120.0, ge=0)


class AgentSettings(_Strict):
    """Per-agent choices; anything left unset falls back to the default provider's models."""

    provider: str | None = None
    model: str | None = None
    image_model: str | None = None
    video_model: str | None = None


class VendorSettings(_Strict):
    """What every vendor table holds: a key (from the environment), a base URL and models."""

    api_key: SecretStr | None = None
    base_url: str | None = None
    text_model: str | None = None
    light_model: str | None = None
    image_model: str | None = None
    video_model: str | None = None

    def slot_model(self, vendor: str, slot: str) -> str:
        """Return the configured model for a slot, else the vendor default."""
        own = {
            "text": self.text_model,
            "text_light": self.light_model or self.text_model,
            "image": self.image_model,
            "video": self.video_model,
        }[slot]
        if own is not None:
            return own
        if self.base_url and vendor == "openai":
            return ""  # a local server's model names are unknowable; say so instead of guessing
        return DEFAULT_MODELS[vendor][slot]


class OpenAISettings(VendorSettings):
    """OpenAI, or any OpenAI-compatible server at `base_url` (Ollama, llama.cpp, LM Studio, vLLM)."""

    api: Literal["auto", "responses", "chat"] = "auto"
    strict: bool = True

    def uses_chat(self) -> bool:
        """Use chat completions for compatible servers, the Responses API for OpenAI itself."""
        if self.api != "auto":
            return self.api == "chat"
        return self.compatible_server()

    def compatible_server(self) -> bool:
        """Say whether `base_url` points at some other server that speaks OpenAI's API."""
        return bool(self.base_url) and "api.openai.com" not in (self.base_url or "")


class GeminiSettings(VendorSettings):
    """Gemini through an API key, or Vertex (project and location, or `vertex = true`)."""

    vertex: bool = False
    project: str | None = None
    location: str | None = None

    def uses_vertex(self) -> bool:
        """Say whether the Vertex client is used (needed for Veo video)."""
        return self.vertex or bool(self.project and self.location)


class WriterSettings(_Strict):
    """The `[writer]` table: how hard the writer works on a draft."""

    critique_rounds: int = Field(default=1, ge=0, le=5)
    fix_retries: int = Field(default=2, ge=0, le=5)


class CrewSettings(_Strict):
    """The `[crew]` table: how the crew's graph behaves."""

    continuity_rounds: int = Field(default=1, ge=0, le=5)


class FileSettings(_Strict):
    """The shape of `filmcrew.toml`."""

    provider: str | None = None
    model: str | None = None
    timeout_s: float = Field(default=120.0, gt=0)
    video_timeout_s: float = Field(default=900.0, gt=0)
    poll_interval_s: float = Field(default=10.0, gt=0)
    cache: bool = True
    record_dir: str | None = None
    replay_dir: str | None = None
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    gemini: GeminiSettings = Field(default_factory=GeminiSettings)
    agents: dict[str, AgentSettings] = Field(default_factory=dict)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    writer: WriterSettings = Field(default_factory=WriterSettings)
    crew: CrewSettings = Field(default_factory=CrewSettings)
    prices: dict[str, Price] = Field(default_factory=dict)
    capabilities: dict[str, Capabilities] = Field(default_factory=dict)


class Settings(FileSettings):
    """Everything the provider layer needs, resolved; build it with `load_settings`."""

    project_dir: Path
    data_dir: Path
    config_file: Path | None = None
    provider_reason: str = ""
    model_flag: bool = False
    record: bool = False
    _runtime: Any = PrivateAttr(default=None)

    @property
    def recordings_dir(self) -> Path:
        """Where `--record` writes and `replay` reads unless told otherwise."""
        return Path(self.record_dir) if self.record_dir else self.data_dir / "recordings"

    def vendor(self, name: str) -> VendorSettings:
        """Return the settings table of `openai` or `gemini`."""
        return self.openai if name == "openai" else self.gemini

    def provider_for(self, agent: str) -> str:
        """Return the provider name an agent uses."""
        own = self.agents.get(agent, AgentSettings()).provider
        if own and self.provider_reason not in ("flag --provider", "replay directory given"):
            return own
        return self.provider or "offline"

    def model_for(self, agent: str, kind: str) -> str:
        """Return the model an agent uses for `text`, `image` or `video` ('' when none)."""
        provider = self.provider_for(agent)
        if provider not in VENDORS:
            return ""
        own = self.agents.get(agent, AgentSettings())
        if kind == "text":
            pinned = self.model if self.model_flag else (own.model or self.model)
        else:
            pinned = own.image_model if kind == "image" else own.video_model
        if pinned:
            return pinned
        slot = AGENT_TEXT_SLOT.get(agent, "text") if kind == "text" else kind
        return self.vendor(provider).slot_model(provider, slot)

    def capability_for(self, provider: str, model: str, kind: str) -> Capabilities:
        """Look up what a model can do: the project's table, the known models, else its slot's
        default. A compatible server's model is not assumed to read images (a text-only local
        model would reject them); the table can say it does."""
        if not model:
            return Capabilities()
        key = f"{provider}/{model}"
        if key in self.capabilities:
            return self.capabilities[key]
        if key in DEFAULT_CAPABILITIES:
            return Capabilities(**DEFAULT_CAPABILITIES[key])
        slot = "text" if kind == "text" else kind
        caps = Capabilities(**SLOT_CAPABILITIES.get(provider, {}).get(slot, {}))
        if provider == "openai" and self.openai.compatible_server():
            caps = caps.model_copy(update={"vision": False})
        return caps

    def price_for(self, provider: str, model: str) -> Price:
        """Return the configured price of a model (all zero when unknown)."""
        return self.prices.get(f"{provider}/{model}") or self.prices.get(model) or Price()

    def configured(self, vendor: str) -> tuple[bool, str]:
        """Say whether a vendor can be called, and why (not)."""
        if vendor == "openai":
            return _openai_status(self.openai)
        if vendor == "gemini":
            return _gemini_status(self.gemini)
        return True, ""

    def secrets(self) -> list[str]:
        """List the secret values that must never appear in logs, recordings or outputs."""
        keys = [self.openai.api_key, self.gemini.api_key]
        return [k.get_secret_value() for k in keys if k is not None and k.get_secret_value()]

    def provider_per_agent(self) -> dict[str, str]:
        """Map each agent to `provider` or `provider/model` (for run.json and summaries)."""
        out: dict[str, str] = {}
        for agent in AGENTS:
            provider = self.provider_for(agent)
            kind = {"storyboard": "image", "video": "video"}.get(agent, "text")
            model = self.model_for(agent, kind)
            out[agent] = f"{provider}/{model}" if model else provider
        return out

    def summary(self) -> str:
        """One line for the run header, e.g. `provider offline (no key set: craft rules only)`."""
        used = sorted({self.provider_for(a) for a in AGENTS})
        if used == ["offline"]:
            return f"provider offline ({self.provider_reason}: craft rules only)"
        return f"provider {', '.join(used)} ({self.provider_reason})"


def _openai_status(cfg: OpenAISettings) -> tuple[bool, str]:
    """Explain whether OpenAI (or a compatible server) is usable."""
    if cfg.base_url:
        return True, f"base URL {cfg.base_url}" + ("" if cfg.api_key else " (no key needed)")
    if cfg.api_key:
        return True, "OPENAI_API_KEY set"
    return False, "OPENAI_API_KEY not set (or set OPENAI_BASE_URL for a local server)"


def _gemini_status(cfg: GeminiSettings) -> tuple[bool, str]:
    """Explain whether Gemini is usable, and through which client."""
    if cfg.project and cfg.location:
        return True, f"Vertex project {cfg.project} in {cfg.location} (application default credentials)"
    if cfg.api_key:
        return True, "API key set" + (" (Vertex express)" if cfg.vertex else "")
    if cfg.vertex:
        return False, "vertex = true but no project/location (GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION)"
    return False, "GEMINI_API_KEY / GOOGLE_API_KEY not set (or Vertex project/location)"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ` (did you mean 'x'?)` for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _read_file(path: Path) -> dict[str, Any]:
    """Parse `filmcrew.toml`, naming file and line when it is not valid TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise InputError(f"not valid TOML: {str(exc).split(' (at')[0]}", path=str(path), line=line) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc


def _line_of(path: Path, key: str) -> int | None:
    """Find the first line that mentions a key, to point an error at it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, text in enumerate(lines, start=1):
        if re.match(rf"\s*\[?[\w.\"]*\b{re.escape(key)}\b", text):
            return number
    return None


def _check_secrets_absent(raw: dict[str, Any], path: Path) -> None:
    """Refuse keys written into the project file: they end up in git and in recordings."""
    for vendor in VENDORS:
        if "api_key" in raw.get(vendor, {}):
            env = "OPENAI_API_KEY" if vendor == "openai" else "GEMINI_API_KEY"
            raise InputError(
                f"[{vendor}] api_key does not belong in the project file; set {env} instead",
                path=str(path),
                line=_line_of(path, "api_key"),
            )


def _validate_file(raw: dict[str, Any], path: Path | None) -> FileSettings:
    """Turn the parsed TOML into settings, with one-line errors that name the key."""
    where = str(path) if path else CONFIG_FILE
    _check_secrets_absent(raw, path or Path(CONFIG_FILE))
    try:
        parsed = FileSettings.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        last = str(err["loc"][-1]) if err["loc"] else ""
        hint = ""
        if err["type"] == "extra_forbidden":
            hint = did_you_mean(last, list(_known_keys(err["loc"][:-1])))
            message = f"unknown setting {loc!r}{hint}"
        else:
            message = f"{loc}: {err['msg']}"
        line = _line_of(path, last) if path else None
        raise InputError(message, path=where, line=line) from exc
    for agent in parsed.agents:
        if agent not in AGENTS:
            raise InputError(
                f"unknown agent {agent!r} in [agents]{did_you_mean(agent, AGENTS)}; "
                f"agents are {', '.join(AGENTS)}",
                path=where,
                line=_line_of(path, agent) if path else None,
            )
    return parsed


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """List the keys allowed at a location of the file, for "did you mean"."""
    model: type[BaseModel] = FileSettings
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None:
            if model is FileSettings:
                break
            continue
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        elif str(part) == "agents":
            model = AgentSettings
        elif str(part) == "prices":
            model = Price
        elif str(part) == "capabilities":
            model = Capabilities
    return list(model.model_fields)


def _env(name: str) -> str | None:
    """Read an environment variable, treating empty as unset."""
    value = os.environ.get(name, "").strip()
    return value or None


def _apply_env(cfg: FileSettings) -> None:
    """Overlay vendor keys, base URLs and Vertex settings from the environment."""
    if key := _env("OPENAI_API_KEY"):
        cfg.openai.api_key = SecretStr(key)
    if url := _env("OPENAI_BASE_URL"):
        cfg.openai.base_url = url
    if key := _env("GOOGLE_API_KEY") or _env("GEMINI_API_KEY"):
        cfg.gemini.api_key = SecretStr(key)
    if url := _env("GOOGLE_GEMINI_BASE_URL"):
        cfg.gemini.base_url = url
    if project := _env("GOOGLE_CLOUD_PROJECT"):
        cfg.gemini.project = project
    if location := _env("GOOGLE_CLOUD_LOCATION"):
        cfg.gemini.location = location
    if (_env("GOOGLE_GENAI_USE_VERTEXAI") or "").lower() in ("1", "true", "yes"):
        cfg.gemini.vertex = True


def _default_provider(cfg: FileSettings, flag: str | None, replay_dir: Path | None) -> tuple[str, str]:
    """Choose the default provider and say why, following the documented precedence."""
    if flag:
        return flag, "flag --provider"
    if replay_dir is not None:
        return "replay", "replay directory given"
    if env := _env("FILMCREW_PROVIDER"):
        return env, "FILMCREW_PROVIDER"
    if cfg.provider:
        return cfg.provider, CONFIG_FILE
    if _openai_status(cfg.openai)[0]:
        return "openai", "OPENAI_BASE_URL set" if cfg.openai.base_url else "OPENAI_API_KEY set"
    if _gemini_status(cfg.gemini)[0]:
        return "gemini", "Gemini key set" if cfg.gemini.api_key else "Vertex project set"
    return "offline", "no key set"


def _check_provider_names(settings: Settings) -> None:
    """Reject unknown provider names with a "did you mean"."""
    from filmcrew.providers.registry import names

    known = names()
    wanted = [("provider", settings.provider)] + [
        (f"agents.{agent}.provider", a.provider) for agent, a in settings.agents.items()
    ]
    for where, name in wanted:
        if name and name not in known:
            source = settings.provider_reason if where == "provider" else CONFIG_FILE
            raise InputError(
                f"unknown provider {name!r} ({source}){did_you_mean(name, known)}; "
                f"known providers: {', '.join(known)}"
            )


def data_dir_for(project_dir: Path) -> Path:
    """Return the data folder: `$FILMCREW_HOME`, else `.filmcrew/` in the project."""
    home = _env("FILMCREW_HOME")
    return Path(home).expanduser() if home else project_dir / ".filmcrew"


def load_settings(
    project_dir: Path | None,
    provider: str | None = None,
    model: str | None = None,
    record: bool = False,
    replay_dir: Path | None = None,
) -> Settings:
    """Resolve settings from `filmcrew.toml` in `project_dir` (default: the current folder),
    the environment and the command-line flags.

    Raises `InputError` (exit 2) for a malformed file, an unknown key, agent or provider.
    """
    from filmcrew import logs

    project = Path(project_dir) if project_dir is not None else Path.cwd()
    path = project / CONFIG_FILE
    raw = _read_file(path) if path.is_file() else {}
    cfg = _validate_file(raw, path if path.is_file() else None)
    _apply_env(cfg)
    name, reason = _default_provider(cfg, provider, replay_dir)
    text_model = model or _env("FILMCREW_MODEL") or cfg.model
    data = cfg.model_dump(exclude={"provider", "model"})
    data.update(openai=cfg.openai, gemini=cfg.gemini)
    if replay_dir is not None:
        data["replay_dir"] = str(replay_dir)
    settings = Settings(
        **data,
        provider=name,
        model=text_model,
        model_flag=bool(model or _env("FILMCREW_MODEL")),
        project_dir=project,
        data_dir=data_dir_for(project),
        config_file=path if path.is_file() else None,
        provider_reason=reason,
        record=record,
    )
    _check_provider_names(settings)
    logs.register_secrets(settings.secrets())
    return settings
