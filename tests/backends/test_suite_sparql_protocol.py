"""The embedded backend's ``tests/web/test_sparql_protocol.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.web.test_sparql_protocol import *  # noqa: F403

pytestmark = pytest.mark.slow
