"""Accessibility in a real browser: axe-core in headless Chromium against a running server.

WCAG 2.1 level A and AA rules plus axe's best practices (landmarks, one h1, heading order) must
report zero violations on every page type; keyboard use (skip link, visible focus) is checked
by hand. One full-page screenshot per page type goes to test-artifacts/ (git-ignored) for a
person to look at. axe-core is vendored (tests/a11y/vendor/axe.min.js, from npm) so the tests
run offline. Needs Debian's ``chromium`` and ``chromium-driver``; skipped when they are missing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# (page type, URL). Pages another engineer owns are skipped while their route answers 404.
PAGES = [
    ("home", "/"),
    ("goal", "/veikart/mal/1"),
    ("subgoal", "/veikart/delmal/1b"),
    ("activity", "/id/aktivitet/velferdsteknologi-dho"),
    ("owners", "/veikart/eiere"),
    ("organisation", "/veikart/eier/helsedirektoratet"),
    ("usergroups", "/veikart/brukergrupper"),
    ("usergroup", "/veikart/brukergruppe/kommuner-og-fylkeskommuner"),
    ("phases", "/veikart/faser"),
    ("phase", "/veikart/fase/konsept"),
    ("timeline", "/veikart/tidslinje"),
    ("timeline-filtered", "/veikart/tidslinje?mal=1&eier=helsedirektoratet"),
    ("timeline-deliveries", "/veikart/tidslinje?mal=2&fase=innforing&status=tentativ"),
    ("subgoal-deliveries", "/veikart/delmal/2b"),
    ("delivery", "/id/leveranse/56876000020107084"),
    ("activity-group", "/id/gruppe/innsynstjenester-gjennom-helsenorge"),
    ("search-delivery", "/search?q=56876000020107079"),
    ("indicators", "/veikart/indikatorer"),
    ("indicator", "/veikart/indikator/digital-kontakt-helsetjenesten"),
    ("search", "/search?q=helsekort"),
    ("dataset", "/dataset"),
    ("query", "/query"),
    ("error", "/veikart/mal/9"),
]
ENGLISH = ["home", "goal", "timeline", "indicator"]


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:
    """The session's Flask app served by a real HTTP server on a free loopback port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium through chromedriver, with a fresh profile."""
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="veikart-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900", "--lang=nb"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def open_page(browser, url: str, name: str) -> None:
    """Load ``url`` and save a full-page screenshot as test-artifacts/``name``.png."""
    browser.set_window_size(1280, 900)
    browser.get(url)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 120, 8000))
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    browser.set_window_size(1280, 900)


def axe_violations(browser) -> list[dict]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", AXE_TAGS)
    return result


def cases() -> list:
    found = [pytest.param(name, url, "nb", id=f"{name}-nb") for name, url in PAGES]
    found += [pytest.param(name, url, "en", id=f"{name}-en") for name, url in PAGES if name in ENGLISH]
    return found


@pytest.mark.parametrize(("name", "path", "lang"), cases())
def test_page_has_no_axe_violations(browser, base_url, name, path, lang):
    """WCAG 2.1 A/AA (axe-core rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa) and best practices."""
    url = f"{base_url}{path}{'&' if '?' in path else '?'}lang={lang}"
    expected = 404 if name == "error" else 200
    assert status_of(url) == expected, f"{path} does not answer {expected}"
    open_page(browser, url, f"{name}-{lang}")
    violations = axe_violations(browser)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    assert browser.execute_script("return document.documentElement.lang") == lang


def test_skip_link_is_first_and_moves_focus_to_main(browser, base_url):
    """WCAG 2.1 SC 2.4.1 (bypass blocks) and 2.1.1 (keyboard)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{base_url}/veikart/mal/1?lang=nb")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip" and focused.is_displayed()
    assert focused.rect["x"] >= 0        # shown on screen when focused, not left off-screen
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"


def test_focused_links_are_visibly_marked(browser, base_url):
    """WCAG 2.1 SC 2.4.7 (focus visible): a focused link changes its background and underline."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{base_url}/?lang=nb")
    style = "const s = getComputedStyle(document.activeElement); return [s.backgroundColor, s.boxShadow];"
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.TAB).perform()
    focused = browser.execute_script(style)
    browser.execute_script("document.activeElement.blur()")
    assert focused[0] == "rgb(255, 221, 0)" and focused[1] != "none"


def test_timeline_prints_without_navigation_and_filters(browser, base_url):
    """The timeline is readable on paper: print CSS hides the navigation and the filter form."""
    browser.get(f"{base_url}/veikart/tidslinje?lang=nb")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['.toolbar', '.filters'].map(s => getComputedStyle(document.querySelector(s)).display)")
        table_visible = browser.execute_script(
            "return getComputedStyle(document.querySelector('table.timeline')).display")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert hidden == ["none", "none"] and table_visible == "table"


def test_search_facets_sit_beside_the_top_of_a_long_result_list(browser, base_url):
    """Regression: with ``flex-wrap: wrap-reverse`` the cross axis starts at the bottom, so
    ``align-items: flex-start`` put the facets at the foot of the results once the 2026 list made
    them long. On a wide window the facets' top is level with the results' top."""
    browser.set_window_size(1400, 1200)
    try:
        browser.get(f"{base_url}/search?q=fullmakt&lang=nb")
        tops = browser.execute_script("return ['.search-results', '.facets'].map("
                                      "s => document.querySelector(s).getBoundingClientRect().top)")
    finally:
        browser.set_window_size(1280, 900)
    assert abs(tops[0] - tops[1]) < 5, tops
