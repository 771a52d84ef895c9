"""Statistic cells (one shared computation per identical request) and subscriptions to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from statsrv.domain.actions import ObjectType
from statsrv.engine.aggregates import ActionState
from statsrv.engine.categories import Category
from statsrv.engine.notification import NotificationMode, NotificationPolicy
from statsrv.engine.values import COUNTING_CATEGORIES, EVALUATORS, Value

if TYPE_CHECKING:
    from statsrv.engine.engine import StatisticsEngine


@dataclass(frozen=True, slots=True)
class Definition:
    """A resolved statistic definition: category and the mask actions that can count.

    Two requests with equal definitions (named or inline) share one cell.
    """

    category: Category
    main: frozenset[str]
    rel: frozenset[str] = frozenset()


class CellKey(NamedTuple):
    """What makes a cell: tenant, object, definition and time profile."""

    tenant: str
    object_type: ObjectType
    object_id: str
    definition: Definition
    profile: str


class Cell:
    """One statistic computed once for every subscription that shares it.

    A counting cell (TotalNumber, RelativeNumberPercentage) caches the numbers of its masks
    for the span whose key is `counted_span`; instant occurrences add to them in place and
    anything else (a durable occurrence, a new span) makes the next evaluation recount.
    """

    __slots__ = (
        "counted_span",
        "evaluate",
        "immediate",
        "key",
        "main_actions",
        "main_number",
        "main_states",
        "profile_index",
        "rel_actions",
        "rel_number",
        "rel_states",
        "subscriptions",
    )

    def __init__(
        self,
        key: CellKey,
        profile_index: int,
        main_actions: frozenset[str],
        rel_actions: frozenset[str],
    ) -> None:
        self.key = key
        self.profile_index = profile_index
        self.evaluate = EVALUATORS[key.definition.category]
        self.main_actions = main_actions
        self.rel_actions = rel_actions
        self.main_states: tuple[ActionState, ...] = ()
        self.rel_states: tuple[ActionState, ...] = ()
        self.subscriptions: list[Subscription] = []
        self.immediate: tuple[Subscription, ...] = ()
        self.counted_span: float | None = None
        self.main_number = 0
        self.rel_number = 0

    @property
    def watched(self) -> frozenset[str]:
        """Every action whose occurrences can change this cell."""
        return self.main_actions | self.rel_actions

    @property
    def counts(self) -> bool:
        """Whether the cell caches the numbers of its masks (see the class)."""
        return self.key.definition.category in COUNTING_CATEGORIES

    def add_immediate(self, subscription: Subscription) -> None:
        """Offer `subscription` every change of the value (once)."""
        if subscription not in self.immediate:
            self.immediate = (*self.immediate, subscription)

    def drop_immediate(self, subscription: Subscription) -> None:
        """Stop offering changes to `subscription`."""
        if subscription in self.immediate:
            self.immediate = tuple(s for s in self.immediate if s is not subscription)

    def link(self, state: ActionState) -> None:
        """Read `state` from now on (it is one of this cell's object's actions)."""
        if state.action in self.main_actions:
            self.main_states = (*self.main_states, state)
        if state.action in self.rel_actions:
            self.rel_states = (*self.rel_states, state)
        self.counted_span = None


_NOTHING = object()


class Subscription:
    """One open statistic: a cell, a notification policy and what was last sent.

    `owner` is whatever the caller handed to `subscribe`; updates carry the subscription back.
    """

    __slots__ = (
        "_engine",
        "cell",
        "closed",
        "initial_value",
        "last_sent",
        "next_tick",
        "owner",
        "policy",
        "suspended",
    )

    def __init__(
        self, engine: StatisticsEngine, cell: Cell, policy: NotificationPolicy, owner: object
    ) -> None:
        self._engine = engine
        self.cell = cell
        self.policy = policy
        self.owner = owner
        self.last_sent: object = _NOTHING
        self.suspended = False
        self.closed = False
        self.next_tick: float | None = None
        self.initial_value: Value | None = None

    @property
    def sends_initial_value(self) -> bool:
        """Immediate and Periodical statistics send their value right after opening."""
        return self.policy.mode in (NotificationMode.IMMEDIATE, NotificationMode.PERIODICAL)

    def value(self, now: float) -> Value:
        """The current value (the same as `StatisticsEngine.peek`)."""
        return self._engine.peek(self, now)

    def forget_sent(self) -> None:
        """Nothing counts as sent any more (the next candidate value is sent)."""
        self.last_sent = _NOTHING

    def __repr__(self) -> str:
        key = self.cell.key
        return (
            f"<Subscription {key.tenant}/{key.object_type}/{key.object_id} "
            f"{key.definition.category} {key.profile} {self.policy.mode}>"
        )
