"""The embedded backend's ``tests/test_view_values.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.test_view_values import *  # noqa: F403

pytestmark = pytest.mark.slow
