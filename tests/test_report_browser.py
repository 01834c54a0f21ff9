"""The report in a real browser (headless Debian chromium driven by playwright).

Opens reports/report.html over file:// and checks what a reader would hit: console errors,
requests leaving the file (there must be none: the page is offline and self-contained), images
that fail to load, a page wider than a phone, and article text that runs as script instead of
showing as text. Screenshots are saved next to the report (reports/report-screenshot*.png).

Built on the fixture warehouse of test_report.py and, when tests/conftest.py provides the
`pipeline_run` fixture (the full `dvc repro` in a temporary copy), on the real pipeline output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.report import run
from tests.helpers import SCRIPT, write_fake_warehouse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
LOCAL_SCHEMES = ("file:", "data:", "about:")
MAX_SCREENSHOT_HEIGHT = 12_000  # px


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images: list[tuple[bool, int]] = field(default_factory=list)  # (complete, naturalWidth)
    scroll_width: int = 0
    viewport_width: int = 0
    n_scripts: int = -1
    text: str = ""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (`make test` installs Debian's chromium with apt-get)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"under CI the browser test must run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def visit(browser, report: Path, width: int, height: int, screenshot: Path | None) -> PageVisit:
    seen = PageVisit(viewport_width=width)
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.on("console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: seen.page_errors.append(str(err)))
        page.on("request", lambda request: seen.requests.append(request.url))

        def on_dialog(dialog) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(report.resolve().as_uri(), wait_until="load")
        seen.images = [tuple(x) for x in page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth])"
        )]
        seen.scroll_width = page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        seen.n_scripts = page.evaluate("() => document.querySelectorAll('script').length")
        seen.text = page.inner_text("body")
        if screenshot is not None:  # the top of the page (a whole long page is too slow to capture)
            height = min(page.evaluate("() => document.documentElement.scrollHeight"), MAX_SCREENSHOT_HEIGHT)
            page.screenshot(
                path=str(screenshot), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
                timeout=120_000,
            )
    finally:
        context.close()
    return seen


def check_page(browser, root: Path) -> dict[str, PageVisit]:
    """Visit root/reports/report.html at each viewport, asserting it is clean; return the visits."""
    report = root / "reports" / "report.html"
    visits = {}
    for name, (width, height) in VIEWPORTS.items():
        suffix = "" if name == "desktop" else f"-{name}"
        seen = visit(browser, report, width, height, root / "reports" / f"report-screenshot{suffix}.png")
        assert seen.console_errors == [] and seen.page_errors == [], (name, seen.console_errors, seen.page_errors)
        assert seen.dialogs == [], f"a script ran in the page: {seen.dialogs}"
        assert seen.n_scripts == 0
        outside = [url for url in seen.requests if not url.startswith(LOCAL_SCHEMES)]
        assert outside == [], f"the page requested {outside}"
        assert len(seen.images) == 5 and all(complete and w > 0 for complete, w in seen.images), seen.images
        assert seen.scroll_width <= width, f"{name}: page is {seen.scroll_width}px wide in a {width}px viewport"
        visits[name] = seen
    return visits


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory) -> Path:
    root = write_fake_warehouse(tmp_path_factory.mktemp("report-browser"))
    run(root)
    return root


def test_fixture_report_renders_cleanly_offline(browser, fixture_report):
    visits = check_page(browser, fixture_report)
    assert (fixture_report / "reports" / "report-screenshot.png").stat().st_size > 0
    assert (fixture_report / "reports" / "report-screenshot-phone.png").stat().st_size > 0
    for heading in ("Where the sources disagree", "To check", "Figures by outlet"):
        assert heading in visits["phone"].text
    assert "according to Cremlino" in visits["desktop"].text  # the to-check pair names who gives each value


def test_article_markup_shows_as_text_and_never_runs(browser, fixture_report):
    seen = visit(browser, fixture_report / "reports" / "report.html", 1280, 900, None)
    assert SCRIPT in seen.text  # shown literally, as the article wrote it
    assert seen.dialogs == [] and seen.n_scripts == 0


def test_pipeline_report_renders_cleanly_offline(browser, request):
    try:
        pipeline_run = request.getfixturevalue("pipeline_run")
    except pytest.FixtureLookupError:
        pytest.skip("tests/conftest.py provides no `pipeline_run` fixture (the full pipeline in a temporary copy)")
    root = pipeline_run if isinstance(pipeline_run, Path) else Path(pipeline_run.root)
    visits = check_page(browser, root)
    assert "At a glance" in visits["desktop"].text
