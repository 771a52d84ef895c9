"""What the engine asks about tenants and objects before opening a statistic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from statsrv.domain.actions import ObjectType


class ObjectDirectory(Protocol):
    """Tenants and objects as the campaign domain knows them."""

    def tenant_exists(self, tenant: str) -> bool:
        """Whether the tenant is configured or has been seen."""
        ...

    def tenant_password(self, tenant: str) -> str | None:
        """The tenant's password, or None when it has none."""
        ...

    def object_allowed(self, tenant: str, object_type: ObjectType, object_id: str) -> bool:
        """Whether a statistic may be opened on it: the object is known or the tenant not strict."""
        ...


@dataclass(slots=True)
class _Tenant:
    password: str | None
    strict: bool
    objects: set[tuple[ObjectType, str]] = field(default_factory=set)


class InMemoryDirectory:
    """A directory held in memory, filled by `add_tenant` and `add_object`."""

    def __init__(self) -> None:
        self._tenants: dict[str, _Tenant] = {}

    def add_tenant(self, tenant: str, password: str | None = None, *, strict: bool = True) -> None:
        """Declare a tenant (strict: only its added objects may be opened)."""
        self._tenants[tenant] = _Tenant(password, strict)

    def add_object(self, tenant: str, object_type: ObjectType, object_id: str) -> None:
        """Declare an object of a declared tenant."""
        self._tenants[tenant].objects.add((object_type, object_id))

    def tenant_exists(self, tenant: str) -> bool:
        """Whether the tenant was declared."""
        return tenant in self._tenants

    def tenant_password(self, tenant: str) -> str | None:
        """The declared password, if any."""
        entry = self._tenants.get(tenant)
        return entry.password if entry else None

    def object_allowed(self, tenant: str, object_type: ObjectType, object_id: str) -> bool:
        """Declared objects, and any object of a tenant that is not strict."""
        entry = self._tenants.get(tenant)
        if entry is None:
            return False
        return not entry.strict or (object_type, object_id) in entry.objects
