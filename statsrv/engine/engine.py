"""The statistics engine: action occurrences in, statistic values and due notifications out.

Pure and synchronous: `now` (Unix seconds) is always an argument and engine time never goes
back. An occurrence is applied at the later of its own time and the engine's time; every call
that takes `now` first moves engine time to it, firing the timers passed on the way (Periodical
ticks, Growing resets, Sliding steps) in time order. Their updates are handed out by the next
`apply` or `on_timer`.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable
from functools import partial
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from statsrv.domain.actions import (
    ACTIONS_BY_OBJECT_TYPE,
    ALL_ACTIONS,
    DURABLE_ACTIONS,
    Kind,
    ObjectType,
    Occurrence,
)
from statsrv.engine.aggregates import (
    ActionState,
    DurableState,
    InstantState,
    LatestCountState,
    flush_pending,
)
from statsrv.engine.categories import CATEGORY_NAMES, RECORDS_SCHEDULED, Category
from statsrv.engine.cells import Cell, CellKey, Subscription
from statsrv.engine.config import StatisticsConfig
from statsrv.engine.describe import describe_config
from statsrv.engine.directory import ObjectDirectory
from statsrv.engine.notification import (
    SENDS_INITIAL_VALUE,
    NotificationMode,
    NotificationPolicy,
    NotificationSpec,
    worth_sending,
)
from statsrv.engine.profiles import ProfileType, Span, TimeProfile, build_profile
from statsrv.engine.resolver import InlineDefinition, ResolvedStatistic, Resolver
from statsrv.engine.values import STATE_ACTIONS, Value

StateKey = tuple[str, ObjectType, str, str]
"""(tenant, object type, object id, action)."""

_STATE_ACTIONS_BY_OBJECT_TYPE = {
    object_type: STATE_ACTIONS & actions for object_type, actions in ACTIONS_BY_OBJECT_TYPE.items()
}


class Update(NamedTuple):
    """A value to send to a subscription's owner."""

    subscription: Subscription
    value: Value


_update_of = partial(tuple.__new__, Update)
"""`Update._make` of a (subscription, value) pair, without a Python-level call."""
_INSTANT = Kind.INSTANT


class StatisticsEngine:
    """Aggregates per object and action, shared statistic cells and their subscriptions."""

    def __init__(
        self, config: StatisticsConfig, zone: ZoneInfo, directory: ObjectDirectory
    ) -> None:
        self._config = config
        self._profiles: list[TimeProfile] = [
            build_profile(spec, zone) for spec in config.time_profiles.values()
        ]
        self._profile_index = {p.name: i for i, p in enumerate(self._profiles)}
        self._growing_indexes = [
            i for i, p in enumerate(self._profiles) if p.type is not ProfileType.SLIDING
        ]
        self._resolver = Resolver(config, {p.name: p.type for p in self._profiles}, directory)
        self._time = -math.inf
        self._spans: list[Span] = []
        self._boundary = -math.inf
        self._deadline = -math.inf
        self._ticks: list[tuple[float, int, Subscription]] = []
        self._tick_order = itertools.count()
        self._states: dict[StateKey, ActionState] = {}
        self._index: dict[StateKey, tuple[Cell, ...]] = {}
        self._cells: dict[CellKey, Cell] = {}
        self._profile_cells: list[dict[Cell, None]] = [{} for _ in self._profiles]
        self._pending: dict[Subscription, Value] = {}
        self._unflushed: list[InstantState] = []
        self._carried: dict[InstantState, None] = {}
        self._objects: set[tuple[str, ObjectType, str]] = set()
        self._subscriptions = 0

    # --- opening ------------------------------------------------------------------------------

    def resolve(
        self,
        object_type: str,
        object_id: str,
        tenant: str,
        tenant_password: str | None,
        statistic: str | InlineDefinition,
        profile: str | None,
        notification: NotificationSpec | None,
        *,
        for_get: bool = False,
    ) -> ResolvedStatistic:
        """Check an open (or, with `for_get`, a get) request; raises StatisticRefused.

        `statistic` is a configured statistic type's name or an inline definition; `profile`
        None means `Default`; `notification` None means Immediate; it is not checked for a get.
        Faults are reported in the contract's order, each naming the field as on the wire.
        """
        return self._resolver.resolve(
            object_type,
            object_id,
            tenant,
            tenant_password,
            statistic,
            profile,
            notification,
            for_get=for_get,
        )

    def subscribe(self, resolved: ResolvedStatistic, owner: object, now: float) -> Subscription:
        """Open a statistic for `owner`, sharing the cell of an identical open one.

        For Immediate and Periodical, `subscription.value(now)` (also kept as `initial_value`)
        is the initial value to send and counts as sent.
        """
        self._advance(now)
        cell = self._cells.get(resolved.key) or self._open_cell(resolved.key)
        policy = resolved.notification or NotificationPolicy(NotificationMode.IMMEDIATE)
        subscription = Subscription(self, cell, policy, owner)
        cell.subscriptions.append(subscription)
        self._subscriptions += 1
        if policy.mode in SENDS_INITIAL_VALUE:
            subscription.initial_value = self._evaluate(cell)
            subscription.last_sent = subscription.initial_value
        if policy.mode is NotificationMode.IMMEDIATE:
            cell.add_immediate(subscription)
        elif policy.mode is NotificationMode.PERIODICAL:
            self._schedule_tick(subscription, self._time + policy.frequency)
        return subscription

    def value_of(self, resolved: ResolvedStatistic, now: float) -> Value:
        """A one-shot value (Get): from an open identical cell, or computed without keeping one."""
        self._advance(now)
        cell = self._cells.get(resolved.key)
        if cell is None:
            cell = self._new_cell(resolved.key)
            for action in sorted(cell.watched):
                state = self._states.get(_state_key(resolved.key, action))
                if state is not None:
                    cell.link(state)
        return self._evaluate(cell)

    def peek(self, subscription: Subscription, now: float) -> Value:
        """The current value of an open statistic (changes nothing about what was sent)."""
        self._advance(now)
        return self._evaluate(subscription.cell)

    def unsubscribe(self, subscription: Subscription) -> None:
        """Close a statistic; a cell's last subscription frees the cell and its index entries."""
        if subscription.closed:
            return
        subscription.closed = True
        self._subscriptions -= 1
        self._pending.pop(subscription, None)
        cell = subscription.cell
        cell.subscriptions.remove(subscription)
        cell.drop_immediate(subscription)
        if not cell.subscriptions:
            self._close_cell(cell)

    def suspend(self, subscription: Subscription) -> None:
        """Send nothing for this statistic until it is resumed."""
        subscription.suspended = True
        self._pending.pop(subscription, None)
        subscription.cell.drop_immediate(subscription)

    def resume(self, subscription: Subscription, now: float) -> Value | None:
        """Send again; returns the current value to send (Immediate, Periodical) or None."""
        self._advance(now)
        subscription.suspended = False
        subscription.forget_sent()
        mode = subscription.policy.mode
        if mode is NotificationMode.IMMEDIATE:
            subscription.cell.add_immediate(subscription)
        if mode not in SENDS_INITIAL_VALUE:
            return None
        value = self._evaluate(subscription.cell)
        subscription.last_sent = value
        self._pending.pop(subscription, None)
        return value

    # --- occurrences and timers ---------------------------------------------------------------

    def apply(self, occurrences: Iterable[Occurrence], now: float) -> list[Update]:
        """Apply occurrences in order; the updates due, at most one per subscription (the latest).

        Immediate subscriptions of the cells the occurrences changed get the value at the end of
        the batch; timers passed on the way contribute theirs. Suspended ones get nothing.
        """
        dirty: dict[Cell, None] = {}
        states = self._states
        unflushed = self._unflushed
        for tenant, object_type, object_id, action, kind, at, weight in occurrences:
            if at > self._time:
                if at >= self._deadline:
                    self._advance(at)
                else:
                    self._time = at
            key = (tenant, object_type, object_id, action)
            state = states.get(key)
            if state is None:
                state = self._new_state(key)
            if not state.counted:
                self._record(state, kind, weight, dirty)
                continue
            if kind != _INSTANT:
                raise ValueError(f"instant action {action} cannot {Kind(kind).name}")
            if weight:
                # The fast path: a pending count, and the cached counts of the counting cells.
                if not state.pending:
                    unflushed.append(state)
                state.pending += weight
                for cell in state.main_counters:
                    cell.main_number += weight
                for cell in state.rel_counters:
                    cell.rel_number += weight
            for cell in state.cells:
                dirty[cell] = None
        self._advance(now)
        self._recompute(dirty)
        return self._drain()

    def _record(
        self,
        state: DurableState | LatestCountState,
        kind: Kind,
        weight: int,
        dirty: dict[Cell, None],
    ) -> None:
        """Apply a durable start or end, or a RecordsScheduled Count; its cells count afresh."""
        state.record(kind, self._time, weight, self._spans)
        for cell in state.cells:
            cell.counted_span = None
            dirty[cell] = None

    def next_deadline(self) -> float | None:
        """When `on_timer` next has something to do (engine time), or None."""
        if self._pending:
            return self._time
        self._drop_stale_ticks()
        deadline = min(self._boundary, self._ticks[0][0] if self._ticks else math.inf)
        return None if deadline in (math.inf, -math.inf) else deadline

    def on_timer(self, now: float) -> list[Update]:
        """Fire every timer due by `now`: Periodical ticks, Growing resets (Reset-mode final
        values, Immediate recomputes) and Sliding steps (Immediate recomputes)."""
        self._advance(now)
        return self._drain()

    # --- introspection ------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """The configuration as EventStatisticProfile shows it."""
        return describe_config(self._config, self._profiles, CATEGORY_NAMES)

    def statistics(self) -> dict[str, int]:
        """Counts of what the engine holds."""
        return {
            "cells": len(self._cells),
            "subscriptions": self._subscriptions,
            "objects": len(self._objects),
            "action_states": len(self._states),
            "aggregates": sum(len(getattr(s, "aggregates", ())) for s in self._states.values()),
            "index_entries": len(self._index),
            "pending_ticks": len(self._ticks),
        }

    # --- time ----------------------------------------------------------------------------------

    def _advance(self, to: float) -> None:
        """Move engine time forward to `to`, firing the timers passed, in time order."""
        if to <= self._time:
            return
        if not self._spans:
            self._start(to)
            return
        while self._deadline <= to:
            tick = self._ticks[0][0] if self._ticks else math.inf
            if self._boundary <= tick:
                self._time = self._boundary
                self._fire_boundaries(self._boundary, to)
            else:
                self._time = tick
                self._fire_tick(to)
            self._refresh_deadline()
        self._time = to

    def _start(self, at: float) -> None:
        self._time = at
        self._spans = [profile.span(at) for profile in self._profiles]
        self._boundary = min(span.end for span in self._spans)
        self._refresh_deadline()

    def _flush(self, boundary: float) -> None:
        """Move pending instant counts into the per-profile counts of the spans now in force,
        before those ending at `boundary` change (`flush_pending`)."""
        unflushed, carried = self._unflushed, self._carried
        if not unflushed and not carried:
            return
        spans = self._spans
        growing = any(spans[index].end == boundary for index in self._growing_indexes)
        if growing:
            carried.update(dict.fromkeys(unflushed))
            states = list(carried)
            carried.clear()
        elif unflushed:
            states = list(dict.fromkeys(unflushed))
        else:
            return
        carried.update(dict.fromkeys(flush_pending(states, spans, growing=growing)))
        unflushed.clear()

    def _refresh_deadline(self) -> None:
        self._deadline = min(self._boundary, self._ticks[0][0] if self._ticks else math.inf)

    def _fire_boundaries(self, boundary: float, to: float) -> None:
        self._flush(boundary)
        for index, old in enumerate(self._spans):
            if old.end != boundary:
                continue
            profile = self._profiles[index]
            new = profile.span(boundary)
            cells = self._profile_cells[index]
            if profile.type is ProfileType.GROWING:
                self._send_final_values(cells, old, boundary)
            self._spans[index] = new
            if new.end <= to:
                continue  # a later boundary of this profile fires within the same call
            for cell in cells:
                if cell.immediate:
                    self._offer(cell.immediate, cell.evaluate(cell, new, boundary))
        self._boundary = min(span.end for span in self._spans)

    def _send_final_values(self, cells: Iterable[Cell], ended: Span, boundary: float) -> None:
        for cell in cells:
            value: Value | None = None
            for subscription in cell.subscriptions:
                if (
                    subscription.policy.mode is NotificationMode.RESET
                    and not subscription.suspended
                ):
                    if value is None:
                        value = cell.evaluate(cell, ended, boundary)
                    self._pending[subscription] = value
                    subscription.last_sent = value

    def _fire_tick(self, to: float) -> None:
        at, _, subscription = heapq.heappop(self._ticks)
        if subscription.closed or subscription.next_tick != at:
            return
        frequency = subscription.policy.frequency
        if at + frequency <= to:
            # Superseded within this call: jump to the last tick due by `to`.
            self._schedule_tick(subscription, at + frequency * math.floor((to - at) / frequency))
            return
        if not subscription.suspended:
            self._offer((subscription,), self._evaluate(subscription.cell))
        self._schedule_tick(subscription, at + frequency)

    def _schedule_tick(self, subscription: Subscription, at: float) -> None:
        subscription.next_tick = at
        heapq.heappush(self._ticks, (at, next(self._tick_order), subscription))
        self._deadline = min(self._deadline, at)

    def _drop_stale_ticks(self) -> None:
        ticks = self._ticks
        while ticks and (ticks[0][2].closed or ticks[0][2].next_tick != ticks[0][0]):
            heapq.heappop(ticks)
        self._refresh_deadline()

    # --- values --------------------------------------------------------------------------------

    def _evaluate(self, cell: Cell) -> Value:
        return cell.evaluate(cell, self._spans[cell.profile_index], self._time)

    def _recompute(self, cells: Iterable[Cell]) -> None:
        """Offer the current value of each cell to its Immediate subscriptions (`_offer`)."""
        spans = self._spans
        at = self._time
        offer = self._offer
        for cell in cells:
            subscriptions = cell.immediate
            if subscriptions:
                offer(subscriptions, cell.evaluate(cell, spans[cell.profile_index], at))

    def _offer(self, subscriptions: Iterable[Subscription], value: Value) -> None:
        pending = self._pending
        for subscription in subscriptions:
            last = subscription.last_sent
            if value == last:
                continue
            insensitivity = subscription.policy.insensitivity
            if insensitivity and not worth_sending(last, value, insensitivity):
                continue
            subscription.last_sent = value
            pending[subscription] = value

    def _drain(self) -> list[Update]:
        if not self._pending:
            return []
        updates = list(map(_update_of, self._pending.items()))
        self._pending = {}
        return updates

    # --- cells and states ----------------------------------------------------------------------

    def _new_cell(self, key: CellKey) -> Cell:
        definition = key.definition
        main = definition.main
        if definition.category is Category.CURRENT_STATE:
            main = _STATE_ACTIONS_BY_OBJECT_TYPE[key.object_type]
        return Cell(key, self._profile_index[key.profile], main, definition.rel)

    def _open_cell(self, key: CellKey) -> Cell:
        cell = self._new_cell(key)
        for action in sorted(cell.watched):
            state_key = _state_key(key, action)
            cells = self._index[state_key] = (*self._index.get(state_key, ()), cell)
            state = self._states.get(state_key)
            if state is not None:
                cell.link(state)
                state.watch(cells)
        self._cells[key] = cell
        self._profile_cells[cell.profile_index][cell] = None
        return cell

    def _close_cell(self, cell: Cell) -> None:
        key = cell.key
        del self._cells[key]
        del self._profile_cells[cell.profile_index][cell]
        for action in cell.watched:
            state_key = _state_key(key, action)
            cells = tuple(c for c in self._index[state_key] if c is not cell)
            if cells:
                self._index[state_key] = cells
            else:
                del self._index[state_key]
            state = self._states.get(state_key)
            if state is not None:
                state.watch(cells)

    def _new_state(self, key: StateKey) -> ActionState:
        action = key[3]
        if action not in ALL_ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        state: ActionState
        if action in DURABLE_ACTIONS:
            state = DurableState(action, self._profiles)
        elif action == RECORDS_SCHEDULED:
            state = LatestCountState(action)
        else:
            state = InstantState(action, self._profiles)
        self._states[key] = state
        self._objects.add(key[:3])
        cells = self._index.get(key, ())
        for cell in cells:
            cell.link(state)
        state.watch(cells)
        return state


def _state_key(key: CellKey, action: str) -> StateKey:
    return (key.tenant, key.object_type, key.object_id, action)
