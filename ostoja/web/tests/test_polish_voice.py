"""One Polish voice on every staff page (issue 17): no English words from a list, no raw
choice codes (``zasilek_okresowy``, ``gmina_wlasne_obowiazkowe``), no ISO time stamps with
microseconds. Each role follows every link it is shown from the start page (one page per kind
of address), as in the axe crawl of the browser tests, but through Django's test client."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

ROLES = ["socjalny", "swiadczenia", "kierownik", "dyrektor", "ksiegowosc", "analityk", "iod",
         "admin"]  # fmt: skip
ENGLISH = ["created at", "changed by", "actor", "timestamp", "None", "True", "False", "null",
           "Submit", "Save", "Delete", "Cancel", "Search", "Logout", "Password",
           "Previous", "Next", "Loading", "Error", "Forgot", "Remember me", "Sign in",
           "Sign out", "Username"]  # fmt: skip
ISO_MICRO = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\.\d+")
SKIP = re.compile(
    r"^/(konto/logout|api/|static/|media/|admin/)|\.(pdf|csv|xml|txt|zip|json)$|/pdf/?$|"
    r"/(pobierz|eksport|plik|xml|csv|podglad-pdf)/?$"
)
MAX_KINDS_PER_ROLE = 90
MAX_PER_PREFIX = 6


def raw_codes() -> set[str]:
    """Every stored choice code of our models that differs from what staff should read."""
    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("ostoja."):
            continue
        for field in model._meta.get_fields():
            for key, label in getattr(field, "flatchoices", None) or []:
                key = str(key)
                if "_" in key and key != str(label) and len(key) > 4:
                    codes.add(key)
    return codes


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", htmllib.unescape(page))


def problems_on(text: str, codes: set[str]) -> list[str]:
    found = []
    for word in ENGLISH:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            found.append(f"angielskie słowo „{word}”")
    for code in codes:
        if re.search(rf"(?<![\w/.-]){re.escape(code)}(?![\w/.-])", text):
            found.append(f"surowy kod „{code}”")
    if m := ISO_MICRO.search(text):
        found.append(f"znacznik czasu ISO „{m.group(0)}”")
    return found


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client: Client, codes: set[str], who: str) -> tuple[list[str], list[str]]:
    seen: set[str] = set()
    per_prefix: dict[str, int] = {}
    queue = ["/"]
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_KINDS_PER_ROLE:
        url = queue.pop(0)
        kind = _kind(url.split("?")[0])
        prefix = "/".join(kind.split("/")[:5])
        if kind in seen or per_prefix.get(prefix, 0) >= MAX_PER_PREFIX:
            continue
        seen.add(kind)
        per_prefix[prefix] = per_prefix.get(prefix, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        visited.append(url)
        problems += [f"{who} {url}: {p}" for p in problems_on(visible_text(page), codes)]
        for href in re.findall(r'<a\b[^>]*\shref="(/[^"#]*)', page):
            href = htmllib.unescape(href)
            if not SKIP.search(href.split("?")[0]) and _kind(href.split("?")[0]) not in seen:
                queue.append(href)
    return visited, problems


def test_the_check_itself_finds_what_it_should() -> None:
    text = visible_text(
        "<td>created at</td><td>zasilek_okresowy</td><td>2026-12-05 06:16:56.123456+00:00</td>"
    )
    found = problems_on(text, {"zasilek_okresowy"})
    assert len(found) == 3
    assert not problems_on(visible_text('<a href="/x/zasilek_okresowy/">Zasiłek okresowy</a>'),
                           {"zasilek_okresowy"})  # fmt: skip


@pytest.mark.django_db
def test_no_staff_page_shows_english_raw_codes_or_iso_time_stamps(client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.core import dates
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    codes = raw_codes()
    assert "zasilek_okresowy" in codes
    problems: list[str] = []
    for username in ROLES:
        client = client_for(get_user_model().objects.get(username=username))
        visited, found = crawl(client, codes, username)
        assert len(visited) > 5, (username, visited)
        problems += found
    assert not problems, f"{len(problems)}:\n" + "\n".join(sorted(set(problems)))
