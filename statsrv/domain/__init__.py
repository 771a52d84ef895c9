"""The outbound campaign domain: objects, dialer events, status machines and actions (pure)."""

from statsrv.domain.actions import Kind, ObjectType, Occurrence
from statsrv.domain.catalogue import (
    CampaignConfig,
    Catalogue,
    TenantConfig,
    load_catalogue,
    parse_catalogue,
)
from statsrv.domain.domain import CampaignDomain, DomainStatistics, ObjectState
from statsrv.domain.errors import EventRefused, InvalidEvent
from statsrv.domain.events import DialerEvent, parse_event

__all__ = [
    "CampaignConfig",
    "CampaignDomain",
    "Catalogue",
    "DialerEvent",
    "DomainStatistics",
    "EventRefused",
    "InvalidEvent",
    "Kind",
    "ObjectState",
    "ObjectType",
    "Occurrence",
    "TenantConfig",
    "load_catalogue",
    "parse_catalogue",
    "parse_event",
]
