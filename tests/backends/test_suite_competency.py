"""The embedded backend's ``tests/test_competency.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.test_competency import *  # noqa: F403

pytestmark = pytest.mark.slow
