"""The embedded backend's ``tests/web/test_conneg.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.web.test_conneg import *  # noqa: F403

pytestmark = pytest.mark.slow
