"""The configured object catalogue (`objects.toml`): tenants, their campaigns, groups and lists.

    [tenants.Environment]
    strict_objects = true
    [tenants.Environment.campaigns.Spring2027]
    groups = ["Sales", "Retention"]
    calling_lists = ["LeadsEast", "LeadsWest"]

Every mistake raises `ConfigError` naming the file, section, key and reason.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statsrv.config_error import ConfigError
from statsrv.domain.actions import DEFAULT_TENANT
from statsrv.domain.names import name_problem, type_name


@dataclass(frozen=True, slots=True)
class CampaignConfig:
    """A configured campaign, the groups it is loaded on and the calling lists it uses."""

    name: str
    groups: tuple[str, ...] = ()
    calling_lists: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TenantConfig:
    """A configured tenant: whether unknown objects are refused, its password, its campaigns."""

    name: str
    strict_objects: bool = True
    password: str | None = None
    campaigns: tuple[CampaignConfig, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every configured tenant by name; the default tenant `Environment` is always present."""

    tenants: Mapping[str, TenantConfig] = field(
        default_factory=lambda: {DEFAULT_TENANT: TenantConfig(DEFAULT_TENANT)}
    )


def load_catalogue(path: Path) -> Catalogue:
    """Read and check an `objects.toml` file."""
    file = str(path)
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise ConfigError(file, "", "", f"cannot read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, "", "", f"not valid TOML: {error}") from error
    return parse_catalogue(data, file)


def parse_catalogue(data: Mapping[str, Any], file: str = "objects.toml") -> Catalogue:
    """Check the parsed TOML of an objects file and build the catalogue."""
    _reject_unknown_keys(file, "", data, ("tenants",))
    tenants_table = _table(file, "", "tenants", data.get("tenants", {}))
    tenants = {
        name: _tenant(file, name, body)
        for name, body in _named_tables(file, "tenants", tenants_table, "tenant")
    }
    tenants.setdefault(DEFAULT_TENANT, TenantConfig(DEFAULT_TENANT))
    return Catalogue(tenants)


def _tenant(file: str, name: str, body: Mapping[str, Any]) -> TenantConfig:
    section = _section("tenants", name)
    _reject_unknown_keys(file, section, body, ("strict_objects", "password", "campaigns"))
    strict = body.get("strict_objects", True)
    if not isinstance(strict, bool):
        raise ConfigError(
            file, section, "strict_objects", f"expected true or false, got {type_name(strict)}"
        )
    password = body.get("password")
    if password is not None and (not isinstance(password, str) or not password):
        raise ConfigError(file, section, "password", "expected a non-empty string")
    campaigns_table = _table(file, section, "campaigns", body.get("campaigns", {}))
    campaigns = tuple(
        _campaign(file, name, campaign, campaign_body)
        for campaign, campaign_body in _named_tables(
            file, f"{section}.campaigns", campaigns_table, "campaign"
        )
    )
    return TenantConfig(name, strict, password, campaigns)


def _campaign(file: str, tenant: str, name: str, body: Mapping[str, Any]) -> CampaignConfig:
    section = _section("tenants", tenant, "campaigns", name)
    _reject_unknown_keys(file, section, body, ("groups", "calling_lists"))
    groups = _names(file, section, "groups", body.get("groups", []))
    calling_lists = _names(file, section, "calling_lists", body.get("calling_lists", []))
    return CampaignConfig(name, groups, calling_lists)


# --- checks ----------------------------------------------------------------------------------


def _reject_unknown_keys(
    file: str, section: str, body: Mapping[str, Any], allowed: tuple[str, ...]
) -> None:
    for key in body:
        if key not in allowed:
            raise ConfigError(file, section, key, f"unknown key; allowed: {', '.join(allowed)}")


def _table(file: str, section: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(file, section, key, f"expected a table, got {type_name(value)}")
    return value


def _named_tables(
    file: str, section: str, table: Mapping[str, Any], what: str
) -> list[tuple[str, Mapping[str, Any]]]:
    """The `(name, table)` entries of a table of named sub-tables, each name checked."""
    entries = []
    for name, body in table.items():
        problem = name_problem(name)
        if problem is not None:
            raise ConfigError(file, section, name, f"{what} name {problem}")
        entries.append((name, _table(file, section, name, body)))
    return entries


def _names(file: str, section: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(file, section, key, "expected a list of strings")
    seen: set[str] = set()
    for item in value:
        problem = name_problem(item)
        if problem is not None:
            raise ConfigError(file, section, key, f"name {problem}")
        if item in seen:
            raise ConfigError(file, section, key, f"duplicate name {item!r}")
        seen.add(item)
    return tuple(value)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _section(*parts: str) -> str:
    """A TOML table header's dotted key, quoting the parts that are not bare keys."""
    return ".".join(part if _BARE_KEY.fullmatch(part) else f'"{part}"' for part in parts)
