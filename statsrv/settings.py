"""Server settings: `statsrv.toml` loaded into frozen dataclasses, every mistake named by key."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from statsrv.config_error import ConfigError
from statsrv.paths import bundled_config_file


@dataclass(frozen=True, slots=True)
class ServerSection:
    """[server]: identity, addresses, framing and timeouts."""

    name: str = "statsrv"
    mode: str = "Primary"
    host: str = "127.0.0.1"
    client_port: int = 7070
    ingest_port: int = 7071
    time_zone: str = ""
    max_frame_bytes: int = 1_048_576
    registration_timeout_seconds: float = 10.0
    shutdown_drain_seconds: float = 5.0


@dataclass(frozen=True, slots=True)
class LimitsSection:
    """[limits]: what one client may hold and how far behind it may fall."""

    max_statistics_per_client: int = 300_000
    max_pending_output_bytes: int = 16_777_216
    slow_consumer_grace_seconds: float = 10.0


@dataclass(frozen=True, slots=True)
class ValiditySection:
    """[validity]: when statistics of a tenant without a dialer feed turn invalid."""

    grace_seconds: float = 5.0


@dataclass(frozen=True, slots=True)
class IngestSection:
    """[ingest]: acknowledgements and clock checks on dialer events."""

    ack_interval_seconds: float = 0.25
    max_event_lead_seconds: float = 60.0


@dataclass(frozen=True, slots=True)
class AuthSection:
    """[auth]: accepted tokens, as SHA-256 hex digests; an empty list accepts anyone."""

    client_token_sha256: tuple[str, ...] = ()
    dialer_token_sha256: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FilesSection:
    """[files]: the other configuration files, relative to statsrv.toml."""

    statistics: str = "statistics.toml"
    objects: str = "objects.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything `statsrv serve` needs before it loads statistics and objects."""

    path: Path
    server: ServerSection = field(default_factory=ServerSection)
    limits: LimitsSection = field(default_factory=LimitsSection)
    validity: ValiditySection = field(default_factory=ValiditySection)
    ingest: IngestSection = field(default_factory=IngestSection)
    auth: AuthSection = field(default_factory=AuthSection)
    files: FilesSection = field(default_factory=FilesSection)

    @property
    def statistics_path(self) -> Path:
        """The statistics file, resolved against this file's directory."""
        return self.path.parent / self.files.statistics

    @property
    def objects_path(self) -> Path:
        """The objects file, resolved against this file's directory."""
        return self.path.parent / self.files.objects

    def zone(self) -> ZoneInfo:
        """The time zone of Growing resets."""
        return resolve_zone(self.server.time_zone, self.path.name)

    def with_overrides(self, **server_fields: Any) -> Settings:
        """A copy with [server] keys replaced (command-line options); None values are ignored."""
        given = {k: v for k, v in server_fields.items() if v is not None}
        return dataclasses.replace(self, server=dataclasses.replace(self.server, **given))


_SECTIONS: dict[str, type] = {
    "server": ServerSection,
    "limits": LimitsSection,
    "validity": ValiditySection,
    "ingest": IngestSection,
    "auth": AuthSection,
    "files": FilesSection,
}


def load_settings(path: Path | None = None) -> Settings:
    """Load and validate a statsrv.toml (the bundled one by default)."""
    path = (path or bundled_config_file()).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(path.name, "", "file", f"not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path.name, "", "syntax", str(exc)) from exc
    sections: dict[str, Any] = {}
    for name, table in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(
                path.name, name, "(section)", f"unknown section; known: {_known(_SECTIONS)}"
            )
        if not isinstance(table, dict):
            raise ConfigError(path.name, name, "(section)", "expected a table")
        sections[name] = _build_section(path.name, name, _SECTIONS[name], table)
    settings = Settings(path=path, **sections)
    _check_values(settings)
    return settings


def _build_section(file: str, section: str, cls: type, table: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(file, section, key, f"unknown key; known: {_known(fields)}")
        values[key] = _coerce(file, section, key, value, fields[key].type)
    return cls(**values)


def _coerce(file: str, section: str, key: str, value: Any, type_name: Any) -> Any:
    expected = str(type_name)
    if expected == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if expected == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if expected == "str" and isinstance(value, str):
        return value
    if expected.startswith("tuple") and isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return tuple(value)
        raise ConfigError(file, section, key, "expected a list of strings")
    wanted = "a list of strings" if expected.startswith("tuple") else f"{expected}"
    raise ConfigError(file, section, key, f"expected {wanted}, got {type(value).__name__}")


def _check_values(s: Settings) -> None:
    file = s.path.name
    checks: list[tuple[str, str, bool, str]] = [
        ("server", "mode", s.server.mode in ("Primary", "Backup"), "must be Primary or Backup"),
        ("server", "client_port", 0 <= s.server.client_port <= 65535, "must be 0..65535"),
        ("server", "ingest_port", 0 <= s.server.ingest_port <= 65535, "must be 0..65535"),
        (
            "server",
            "max_frame_bytes",
            64 <= s.server.max_frame_bytes <= 2**32 - 1,
            "must be 64..2^32-1",
        ),
        (
            "server",
            "registration_timeout_seconds",
            s.server.registration_timeout_seconds > 0,
            "must be > 0",
        ),
        ("server", "shutdown_drain_seconds", s.server.shutdown_drain_seconds >= 0, "must be >= 0"),
        (
            "limits",
            "max_statistics_per_client",
            s.limits.max_statistics_per_client >= 1,
            "must be >= 1",
        ),
        (
            "limits",
            "max_pending_output_bytes",
            s.limits.max_pending_output_bytes >= 4096,
            "must be >= 4096",
        ),
        (
            "limits",
            "slow_consumer_grace_seconds",
            s.limits.slow_consumer_grace_seconds > 0,
            "must be > 0",
        ),
        ("validity", "grace_seconds", s.validity.grace_seconds >= 0, "must be >= 0"),
        (
            "ingest",
            "ack_interval_seconds",
            0 < s.ingest.ack_interval_seconds <= 1,
            "must be in (0, 1]",
        ),
        ("ingest", "max_event_lead_seconds", s.ingest.max_event_lead_seconds >= 0, "must be >= 0"),
    ]
    for section, key, ok, reason in checks:
        if not ok:
            raise ConfigError(file, section, key, reason)
    for key in ("client_token_sha256", "dialer_token_sha256"):
        for digest in getattr(s.auth, key):
            if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                raise ConfigError(
                    file, "auth", key, "each entry must be a lowercase SHA-256 hex digest"
                )
    resolve_zone(s.server.time_zone, file)


def resolve_zone(name: str, file: str = "statsrv.toml") -> ZoneInfo:
    """The named IANA zone; empty means the machine's zone (TZ, then /etc/localtime, then UTC)."""
    candidates = [name] if name else [os.environ.get("TZ", "").lstrip(":"), _etc_localtime(), "UTC"]
    for candidate in filter(None, candidates):
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            if name:
                raise ConfigError(
                    file, "server", "time_zone", f"unknown time zone {name!r}"
                ) from exc
    return ZoneInfo("UTC")


def _etc_localtime() -> str:
    link = Path("/etc/localtime")
    try:
        target = str(link.resolve())
    except OSError:
        return ""
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in [auth] for `token`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_accepted(token: str | None, accepted_sha256: tuple[str, ...]) -> bool:
    """True when no tokens are configured, or `token` hashes to one of them."""
    if not accepted_sha256:
        return True
    if token is None:
        return False
    digest = hash_token(token)
    return any(hmac.compare_digest(digest, known) for known in accepted_sha256)


def _known(names: Any) -> str:
    return ", ".join(sorted(names))
