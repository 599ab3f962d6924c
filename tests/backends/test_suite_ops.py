"""The embedded backend's ``tests/web/test_ops.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.web.test_ops import *  # noqa: F403

pytestmark = pytest.mark.slow
