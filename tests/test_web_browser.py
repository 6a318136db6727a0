"""The web pages in a real browser: the system's chromium, driven by Playwright, against the real server
(uvicorn on a free port) over the ingested sample and a hostile release.

What a person does: type a query, click a facet, remove its chip, click a timeline bar, change the sort,
open a release, follow a copy; and a release titled `<script>alert(1)</script>` shows as text without a
dialog. Each test keeps a screenshot in the session's artifacts folder (WIREDESK_ARTIFACTS, else a
temporary folder; its path is printed). One browser serves the whole module.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

from wiredesk import Desk  # noqa: E402
from wiredesk.web import make_app  # noqa: E402

ROADMAP = '"defence industrial roadmap"'
# the browser waits this long for a page or an element: generous, for a machine under load
WAIT_MS = 60_000


def _chromium() -> str:
    for name in (os.environ.get("WIREDESK_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    pytest.skip("no chromium on this machine (apt-get install -y chromium): the browser tests need one")


@pytest.fixture(scope="module")
def base_url(web_sample: Path) -> Iterator[str]:
    """The real server, in a thread, on a free loopback port."""
    import uvicorn

    with Desk.open(web_sample) as desk:
        server = uvicorn.Server(uvicorn.Config(make_app(desk), host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 120
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=60)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ["WIREDESK_ARTIFACTS"]) if os.environ.get("WIREDESK_ARTIFACTS") \
        else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"browser screenshots in {folder}")
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: chromium's sandbox refuses to start as root, which CI runs as
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest, artifacts: Path) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    opened.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


def _total(page: object) -> int:
    return int(re.match(r"(\d+) release", page.locator("p.total").inner_text()).group(1))


def _search(page: object, base_url: str, query: str) -> None:
    page.goto(base_url + "/")
    page.fill(".searchbox input[name=q]", query)
    page.press(".searchbox input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"\?q="))


def test_type_a_query_click_a_facet_and_remove_its_chip(page: object, base_url: str, artifacts: Path) -> None:
    _search(page, base_url, "india")
    page.screenshot(path=str(artifacts / "search.png"))
    everything = _total(page)
    assert everything > 5 and page.locator("li.hit").count() == 10
    assert page.locator("li.hit mark").count() > 0
    agency = page.locator('section[data-facet="agency"] li').first
    name = agency.locator("a").inner_text()
    counted = int(agency.locator(".count").inner_text())
    agency.locator("a").click()
    page.wait_for_url(re.compile(r"filter=agency"))
    assert _total(page) == counted < everything
    assert set(page.locator("li.hit .agency").all_inner_texts()) == {name}
    chip = page.locator("li.chip", has_text=f"agency: {name}")
    assert chip.count() == 1
    chip.locator("a.remove").click()
    page.wait_for_url(lambda url: "filter=" not in url)
    assert _total(page) == everything and page.locator("li.chip").count() == 0
    assert page.locator(".searchbox input[name=q]").input_value() == "india"


def test_click_a_timeline_bar_to_narrow_the_dates(page: object, base_url: str) -> None:
    _search(page, base_url, "india")
    bars = page.locator("svg a.bar")
    assert bars.count() > 1
    tallest = max(range(bars.count()), key=lambda i: int(bars.nth(i).locator("title").text_content().rsplit(": ", 1)[1]))
    label, count = bars.nth(tallest).locator("title").text_content().rsplit(": ", 1)
    bars.nth(tallest).locator("rect").click()
    page.wait_for_url(re.compile(r"since=.*until="))
    assert _total(page) == int(count)
    chips = page.locator("li.chip").all_inner_texts()
    assert any(chip.startswith("since: ") for chip in chips) and any(chip.startswith("until: ") for chip in chips)
    since = re.search(r"since=([\d-]+)", page.url).group(1)
    assert label.endswith(since) or label == since[:7] or label == since[:4]


def test_change_the_sort_without_a_button(page: object, base_url: str) -> None:
    _search(page, base_url, "hydrogen")
    assert not page.locator("form.sort button").is_visible()  # the script took the button away
    page.select_option("form.sort select", "newest")
    page.wait_for_url(re.compile(r"sort=newest"))
    dates = page.locator("li.hit time").all_inner_texts()
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_open_a_release_and_follow_a_copy(page: object, base_url: str, artifacts: Path) -> None:
    _search(page, base_url, ROADMAP)
    first = page.locator("li.hit h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/release/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("table.fields").inner_text().count("\n") > 5
    assert page.locator("#similar li a").count() > 0
    page.screenshot(path=str(artifacts / "release.png"))
    copy = page.locator("#copies a.copy").first
    copy_title = copy.inner_text()
    copy.click()
    page.wait_for_url(re.compile(r"/release/"))
    assert page.locator("h1").inner_text() == copy_title
    assert title in page.locator("#copies").inner_text()
    person = page.locator('a.entity[data-field="people"]').first
    name = person.inner_text()
    person.click()
    page.wait_for_url(re.compile(r"filter=people"))
    assert page.locator("li.chip").first.inner_text().startswith(f"people: {name}") and _total(page) >= 1


def test_a_hostile_release_shows_as_text_and_runs_nothing(page: object, base_url: str) -> None:
    page.goto(base_url + "/?q=hydrogen&filter=source=hostile")
    hit = page.locator("li.hit h3 a")
    assert hit.inner_text() == "<script>alert(1)</script>"
    hit.click()
    page.wait_for_url(re.compile(r"/release/hostile-1"))
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>"
    assert "<img src=x onerror=alert(2)> hydrogen <script>alert(4)</script>" in page.locator(".body").inner_text()
    assert page.locator("table.fields").get_by_text("javascript:alert(3)").count() == 1
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator("img, script:not([src])").count() == 0
    page.wait_for_load_state("load")
    assert page.dialogs == []
