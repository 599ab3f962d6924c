"""The embedded backend's ``tests/test_describe.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.test_describe import *  # noqa: F403

pytestmark = pytest.mark.slow
