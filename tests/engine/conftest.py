"""Fixtures of the engine tests."""

from __future__ import annotations

import pytest
from engine_support import make_engine

from statsrv.engine import StatisticsEngine


@pytest.fixture
def engine() -> StatisticsEngine:
    """An engine on the shipped configuration, in Europe/Berlin."""
    return make_engine()
