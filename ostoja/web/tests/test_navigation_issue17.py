"""Issue 17: the analyst's pages are in the analyst's menu; one menu item is current."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ostoja.org.roles import Role


def test_analyst_menu_lists_the_analysis_pages(
    demo_org: None, make_staff: Any, client_for: Any
) -> None:
    analyst = make_staff("analityk17", role=Role.ANALYST, unit_code="ro1")
    r = client_for(analyst).get(reverse("analysis:whatif"))
    assert r.status_code == 200
    nav = {i["label"]: i for i in r.context["nav_items"]}
    for label, name in (
        ("Analiza", "analysis:mrpips03"),
        ("Symulacje", "analysis:whatif"),
        ("Kalendarz sprawozdań", "analysis:calendar"),
        ("Eksport danych", "analysis:export"),
    ):
        assert nav[label]["url"] == reverse(name), label
    assert [i["label"] for i in r.context["nav_items"] if i["current"]] == ["Symulacje"]


def test_social_worker_does_not_get_the_analysis_pages(demo_org: None, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.get(username="socjalny")
    r = client_for(worker).get(reverse("socialwork:index"))
    labels = {i["label"] for i in r.context["nav_items"]}
    assert not labels & {"Symulacje", "Kalendarz sprawozdań", "Eksport danych"}
