"""Shared test settings: hypothesis profiles sized for 2-core machines."""

import os

import pytest
import structlog
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _restore_logging_configuration():
    """A test that runs a command configures structlog; later tests get the defaults back."""
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)
