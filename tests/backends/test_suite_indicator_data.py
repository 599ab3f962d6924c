"""The embedded backend's ``tests/test_indicator_data.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.test_indicator_data import *  # noqa: F403

pytestmark = pytest.mark.slow
