"""The statsrv pytest plugin's fixtures, for these tests (users load it as a pytest plugin)."""

from collections.abc import Iterator

import pytest
import structlog

from statsrv.testing import (  # noqa: F401 - fixtures and the marker hook, found by name
    fake_dialer,
    pytest_configure,
    statsrv_client,
    statsrv_server,
    statsrv_settings,
)


@pytest.fixture(autouse=True)
def captured_logs() -> Iterator[list[dict]]:
    """Server and client logs are captured, not printed: the watch tests read stdout."""
    with structlog.testing.capture_logs() as logs:
        yield logs
