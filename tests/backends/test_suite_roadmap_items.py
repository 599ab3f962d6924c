"""The embedded backend's ``tests/test_roadmap_items.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.test_roadmap_items import *  # noqa: F403

pytestmark = pytest.mark.slow
