"""The browser tests' platform and browser: the session's platform (its indicators are
recomputed on every visit) and one headless Chromium."""

from __future__ import annotations

import pytest

from tests.support.api import Api
from tests.support.console import Console, artifacts_dir, start_chromium


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def console_platform(platform):
    """The session's platform: the browser tests make their own accounts and data, and count
    indicators by how much they move."""
    return platform


@pytest.fixture(scope="session")
def console_api(console_platform):
    return Api(console_platform.url)


@pytest.fixture(scope="session")
def chromium():
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def console(chromium, console_platform):
    """The console in a fresh tab state: signed out, in Chinese."""
    chromium.get(f"{console_platform.url}/#/login")
    chromium.execute_script("sessionStorage.clear(); localStorage.clear();")
    chromium.refresh()  # the page read its language before the storage was cleared
    yield Console(chromium, console_platform.url, artifacts_dir())
    chromium.execute_script("sessionStorage.clear(); localStorage.clear();")
