"""The embedded backend's ``tests/web/test_query_page.py``, re-run on each remote store (``conftest.engine``)."""

import pytest

from tests.web.test_query_page import *  # noqa: F403

pytestmark = pytest.mark.slow
