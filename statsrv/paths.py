"""Where the bundled configuration lives: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_config_dir() -> Path:
    """The directory holding statsrv.toml, statistics.toml, objects.toml and scenarios/."""
    packaged = _PACKAGE_DIR / "_config"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "config"


def bundled_config_file() -> Path:
    """The default server configuration file."""
    return bundled_config_dir() / "statsrv.toml"
