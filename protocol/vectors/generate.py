"""Write the golden vectors of the wire contract, version 1, and the worked session of SPEC.md.

This script states the contract independently of the server's code: it uses only msgpack and
the standard library. Run it from anywhere; its output is deterministic:

    .venv/bin/python protocol/vectors/generate.py

It rewrites `vectors.json` (frames that must be accepted), `invalid.json` (frames that must be
refused) and the block of `../SPEC.md` between the `session:begin` and `session:end` markers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accepted import (
    campaign_events,
    client_requests,
    ingest_messages,
    lenient_frames,
    server_events,
)
from refused import (
    invalid_client_messages,
    invalid_client_states,
    invalid_events,
    invalid_framing,
    invalid_ingest_messages,
)
from session import SESSION_BEGIN, SESSION_END, session_markdown

HERE = Path(__file__).resolve().parent
SPEC_PATH = HERE.parent / "SPEC.md"


def write_json(path: Path, records: list[dict[str, Any]]) -> None:
    """Write `records` as indented JSON with a final newline."""
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def update_spec(block: str) -> None:
    """Replace the session block of SPEC.md, if the file and its markers exist."""
    if not SPEC_PATH.exists():
        return
    text = SPEC_PATH.read_text(encoding="utf-8")
    start, end = text.find(SESSION_BEGIN), text.find(SESSION_END)
    if start < 0 or end < start:
        return
    SPEC_PATH.write_text(text[:start] + block + text[end + len(SESSION_END) :], encoding="utf-8")


def check_unique(records: list[dict[str, Any]]) -> None:
    """Vector names are unique, so a failing test names exactly one vector."""
    names = [r["name"] for r in records]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate vector names: {duplicates}")


def main() -> None:
    """Write vectors.json, invalid.json and the session block of SPEC.md."""
    accepted = (
        client_requests()
        + server_events()
        + campaign_events()
        + ingest_messages()
        + lenient_frames()
    )
    refusals = (
        invalid_framing()
        + invalid_client_messages()
        + invalid_client_states()
        + invalid_ingest_messages()
        + invalid_events()
    )
    for records in (accepted, refusals):
        check_unique(records)
    write_json(HERE / "vectors.json", accepted)
    write_json(HERE / "invalid.json", refusals)
    update_spec(session_markdown())


if __name__ == "__main__":
    main()
