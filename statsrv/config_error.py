"""The one error type for configuration mistakes: it names the file, section, key and why."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration file is wrong; str() reads `file [section] key: reason`."""

    def __init__(self, file: str, section: str, key: str, reason: str) -> None:
        self.file = file
        self.section = section
        self.key = key
        self.reason = reason
        where = f"[{section}] " if section else ""
        super().__init__(f"{file} {where}{key}: {reason}")
