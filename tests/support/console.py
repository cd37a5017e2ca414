"""Drive the web console in Debian's headless Chromium through Selenium.

The driver is `/usr/bin/chromedriver` and the browser `/usr/bin/chromium`, both named
explicitly, so Selenium Manager never downloads anything. Outside CI a missing browser skips
the browser tests; with `CI=true` it fails them (`.ci/run` installs both).

    console = Console(driver, platform.url, artifacts)
    console.open("/register")
    console.fill("register-youth", {"username": "li_ming", ...})
    console.submit("register-youth")
    console.wait_page("/dashboard")
    console.screenshot("youth-dashboard")
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .infra import missing

ROOT = Path(__file__).resolve().parents[2]
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CATALOGUES = ROOT / "gateway" / "console" / "i18n"


def artifacts_dir() -> Path:
    """Where screenshots go: $ARTIFACTS_DIR/console, else tests/browser/artifacts (ignored)."""
    base = os.environ.get("ARTIFACTS_DIR")
    path = Path(base) / "console" if base else ROOT / "tests" / "browser" / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_chromium(language: str = "zh-CN"):
    """A headless Chromium session, or a skip (a failure under CI) when it is not installed."""
    if not CHROMEDRIVER.is_file() or not CHROMIUM.is_file():
        missing(
            f"headless Chromium is not installed ({CHROMIUM}, {CHROMEDRIVER}); "
            "apt-get install -y chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
        f"--lang={language}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    return driver


def key_pattern() -> re.Pattern:
    """Text that looks like one of the catalogues' keys (`nav.posts`): a key shown untranslated."""
    keys = json.loads((CATALOGUES / "zh-CN.json").read_text())
    spaces = sorted({key.split(".")[0] for key in keys})
    return re.compile(rf"\b(?:{'|'.join(spaces)})\.[a-z0-9_]+\b")


class Console:
    """The console in one browser tab, as a person uses it."""

    def __init__(self, driver, base_url: str, artifacts: Path, timeout: float = 20):
        self.driver = driver
        self.base = base_url
        self.artifacts = artifacts
        self.timeout = timeout

    # -- waiting -----------------------------------------------------------------------------

    def wait(self, predicate, message: str, timeout: float | None = None):
        def guarded(driver):
            try:
                return predicate(driver)
            except (NoSuchElementException, StaleElementReferenceException):
                return False

        try:
            return WebDriverWait(self.driver, timeout or self.timeout).until(guarded)
        except TimeoutException:
            self.screenshot("failure-" + re.sub(r"\W+", "-", message)[:60])
            raise AssertionError(f"{message}: not seen within {timeout or self.timeout}s") from None

    def wait_page(self, path: str):
        """Until the page at `#path` has rendered (the shell marks `main` ready)."""
        return self.wait(
            lambda d: d.execute_script(
                "const m = document.getElementById('main');"
                "return m && m.dataset.page === arguments[0] && m.dataset.ready === 'true';",
                path,
            ),
            f"the page {path}",
        )

    def find(self, css: str):
        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, css), css)

    def wait_text(self, css: str, text: str):
        return self.wait(
            lambda d: text in d.find_element(By.CSS_SELECTOR, css).text,
            f"{text!r} in {css}",
        )

    # -- acting ------------------------------------------------------------------------------

    def open(self, path: str):
        """Open `#path`; a page's parameters after "?" (`/club?id=…`) do not name the page."""
        self.driver.get(f"{self.base}/#{path}")
        self.wait_page(path.split("?", 1)[0])

    def go(self, path: str):
        """Follow the menu link to `path`, like a person would."""
        self.find(f'#nav a[href="#{path}"]').click()
        self.wait_page(path)

    def fill(self, form: str, values: dict):
        root = self.find(f'form[data-form="{form}"]')
        for name, value in values.items():
            control = root.find_element(By.CSS_SELECTOR, f'[name="{name}"]')
            kind = control.get_attribute("data-type")
            if kind == "select":
                Select(control).select_by_value(str(value))
            elif kind == "checkbox":
                if control.is_selected() != bool(value):
                    control.click()
            elif kind in ("date", "datetime-local"):  # typing follows the browser's format
                self.driver.execute_script("arguments[0].value = arguments[1]", control, value)
            else:
                control.clear()
                control.send_keys(str(value))

    def fill_control(self, css: str, value: str):
        """Choose `value` in the select at `css` (outside a form)."""
        self.wait(
            lambda d: Select(d.find_element(By.CSS_SELECTOR, css)).select_by_value(value) or True,
            f"{value} chosen in {css}",
        )

    def submit(self, form: str):
        self.find(f'form[data-form="{form}"] button[type="submit"]').click()

    def click(self, css: str):
        """Click `css` once it is there; a list re-rendered meanwhile is searched again."""

        def clicked(driver):
            driver.find_element(By.CSS_SELECTOR, css).click()
            return True

        self.wait(clicked, f"a click on {css}")

    def sign_in(self, username: str, password: str, home: str):
        self.open("/login")
        self.fill("sign-in", {"username": username, "password": password})
        self.submit("sign-in")
        self.wait_page(home)

    def sign_out(self):
        self.click('[data-action="sign-out"]')
        self.wait_page("/login")

    def switch_language(self, expected: str):
        self.click('[data-action="switch-language"]')
        self.wait(
            lambda d: d.execute_script("return document.documentElement.lang") == expected,
            f"the page in {expected}",
        )
        self.wait(
            lambda d: (
                d.execute_script("return document.getElementById('main').dataset.ready") == "true"
            ),
            "the page rendered again",
        )

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def allow_downloads(self) -> Path:
        """Let the browser save files, into an empty folder of the artefacts."""
        folder = self.artifacts / "downloads"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        self.driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
        )
        return folder

    def download(self, css: str, pattern: str) -> Path:
        """Click `css` and return the file the browser saves (matching `pattern`)."""
        folder = self.allow_downloads()
        self.click(css)
        return self.wait(
            lambda _: next((p for p in folder.glob(pattern) if p.stat().st_size), None),
            f"a download matching {pattern}",
        )

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path
