"""Which campaigns the simulated dialer drives, on which groups, dialing which calling lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

# --- layout ----------------------------------------------------------------------------------


class CampaignLayout(NamedTuple):
    """One campaign, the groups it is loaded on and the calling lists it dials."""

    name: str
    groups: tuple[str, ...]
    lists: tuple[str, ...]


DEMO_LAYOUT: tuple[CampaignLayout, ...] = (
    CampaignLayout("Spring2027", ("Sales", "Retention"), ("LeadsEast", "LeadsWest")),
    CampaignLayout("Autumn2027", ("Sales",), ("LeadsWest",)),
)
"""The campaigns, groups and calling lists of the demo catalogue (tenant Environment)."""


def numbered_layout(
    campaigns: int, groups_per_campaign: int, lists_per_campaign: int
) -> tuple[CampaignLayout, ...]:
    """`Campaign01..` each on `Group1..` dialing `List01..` (lists are shared between campaigns)."""
    for name, value in (
        ("campaigns", campaigns),
        ("groups_per_campaign", groups_per_campaign),
        ("lists_per_campaign", lists_per_campaign),
    ):
        if value < 1:
            raise ValueError(f"{name}: must be at least 1, got {value}")
    groups = tuple(f"Group{n}" for n in range(1, groups_per_campaign + 1))
    lists = tuple(f"List{n:02d}" for n in range(1, lists_per_campaign + 1))
    return tuple(CampaignLayout(f"Campaign{c:02d}", groups, lists) for c in range(1, campaigns + 1))


def check_layout(layout: Sequence[CampaignLayout]) -> None:
    """Refuse an empty layout, a campaign without groups or lists, bad or repeated names."""
    if not layout:
        raise ValueError("layout: needs at least one campaign")
    seen: set[str] = set()
    for entry in layout:
        names = (entry.name, *entry.groups, *entry.lists)
        if not entry.groups or not entry.lists:
            raise ValueError(f"layout: campaign {entry.name!r} needs groups and calling lists")
        bad = [n for n in names if not n or "@" in n]
        if bad:
            raise ValueError(f"layout: name {bad[0]!r} must be non-empty and contain no '@'")
        if entry.name in seen:
            raise ValueError(f"layout: campaign {entry.name!r} appears twice")
        seen.add(entry.name)
