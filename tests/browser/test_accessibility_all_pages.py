"""WCAG 2.1 AA on every page each role can reach (issue 17; ustawa o dostępności cyfrowej,
art. 5 — EN 301 549 / WCAG 2.1 AA): axe-core finds no violation of a WCAG 2.0/2.1 A or AA rule,
and every page reflows at 320 px without sideways scrolling (WCAG 1.4.10).

Each role logs in and follows every link it is shown from the start page, one page per kind of
address (``/osoby/12/`` and ``/osoby/13/`` are one kind), as a clerk clicking through would.
Form error states are checked by submitting the main forms empty.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.a11y import axe_violations, reflow_overflow, widest_elements

ROLES = ["socjalny", "swiadczenia", "kierownik", "dyrektor", "ksiegowosc", "analityk", "iod",
         "admin"]  # fmt: skip
MAX_KINDS_PER_ROLE = 90
MAX_PER_PREFIX = 6  # report drill-downs: a few cells stand for all
SKIP = re.compile(
    r"^/(konto/logout|api/|static/|media/|admin/)|\.(pdf|csv|xml|txt|zip|json)$|/pdf/?$|"
    r"/(pobierz|eksport|plik|xml|csv|podglad-pdf)/?$"
)
# Forms submitted empty to see their error state (URL kinds reachable by the role).
ERROR_FORMS = {
    "socjalny": ["/klienci/nowa/", "/kalkulator/"],
    "swiadczenia": ["/klienci/nowa/"],
}


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _prefix(path: str) -> str:
    return "/".join(_kind(path).split("/")[:5])


def _links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path
        if SKIP.search(path):
            continue
        out.append(path + (f"?{parts.query}" if parts.query else ""))
    return out


def _check(page: Any, label: str, problems: list[str]) -> None:
    found = [f"{label}: {line}" for line in axe_violations(page)]
    over = reflow_overflow(page)
    if over:
        found.append(f"{label}: 320 px — przewijanie w bok o {over}px: "
                     + "; ".join(widest_elements(page)))  # fmt: skip
    for line in found:
        print("A11Y", line, flush=True)
    problems.extend(found)


def _crawl(page: Any, origin: str, problems: list[str], username: str) -> list[str]:
    seen: set[str] = set()
    per_prefix: dict[str, int] = {}
    queue = ["/"]
    visited: list[str] = []
    while queue and len(visited) < MAX_KINDS_PER_ROLE:
        url = queue.pop(0)
        kind = _kind(urlsplit(url).path)
        if kind in seen or per_prefix.get(_prefix(kind), 0) >= MAX_PER_PREFIX:
            continue
        seen.add(kind)
        per_prefix[_prefix(kind)] = per_prefix.get(_prefix(kind), 0) + 1
        try:
            response = page.goto(origin + url)
        except Exception:  # a download or an aborted navigation: not a page
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if urlsplit(page.url).path.startswith("/konto/login"):
            continue
        visited.append(url)
        _check(page, f"{username} {url}", problems)
        queue.extend(u for u in _links(page, origin) if _kind(urlsplit(u).path) not in seen)
    return visited


@pytest.fixture
def demo(transactional_db: Any) -> None:
    from ostoja.core import dates
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())


@pytest.mark.allow_console_errors  # pages refusing on purpose (403) log their status
def test_every_page_of_every_role_passes_axe_and_reflows(
    demo: None, page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    page.set_default_timeout(60_000)  # ~300 pages on a shared 2-core machine
    page.set_default_navigation_timeout(60_000)
    problems: list[str] = []
    origin = live_server.url
    public: list[str] = []
    for url in ["/sprawdz/", "/deklaracja-dostepnosci/", "/konto/login/"]:
        page.goto(origin + url)
        public.append(url)
        _check(page, f"(gość) {url}", problems)
    page.goto(origin + "/sprawdz/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    _check(page, "(gość) /sprawdz/ z błędami", problems)
    shot("a11y-sprawdz-bledy")
    report = []
    for username in ROLES:
        login(username)
        visited = _crawl(page, origin, problems, username)
        report.append(f"{username}: {len(visited)}")
        print(username, visited)
        for url in ERROR_FORMS.get(username, []):
            page.goto(origin + url)
            button = page.locator("main form[method=post] button[type=submit]").last
            assert button.count() == 1, f"{username} {url}: brak formularza"
            button.click()
            page.wait_for_load_state()
            _check(page, f"{username} {url} z błędami", problems)
        page.context.clear_cookies()
    print("Strony sprawdzone:", ", ".join(report))
    assert not problems, f"{len(problems)} problemów dostępności:\n" + "\n".join(problems)
