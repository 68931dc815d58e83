"""Issue 19 (speed, third pass): the case file shows the newest timeline entries, and "pokaż
wszystkie wpisy osi czasu" really shows all of them; links are built without a reversal per
row; the links that need the database cost one query per page, not one per entry."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from ostoja.cases.selectors import TIMELINE_SHOWN
from ostoja.cases.services import timeline_record
from ostoja.core.dates import noon
from ostoja.core.urls import record_url
from ostoja.payments.models import PaymentStatus
from ostoja.socialwork.tests.factories import make_case
from ostoja.web.tests.test_timeline_issue17 import _payment

START = date(2026, 1, 1)


def _events(case: Any, n: int, *, kind: str = "sprawa", source: Any = None) -> None:
    for i in range(n):
        timeline_record(
            case=case, kind=kind, title=f"Zdarzenie {kind} {i:03d}",
            occurred_at=noon(START + timedelta(days=2 * i)), actor=None, source=source,
        )  # fmt: skip


def _worker() -> Any:
    return get_user_model().objects.get(username="socjalny")


def _titles(page: str) -> list[str]:
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<a href=\"[^\"]*\">([^<]*)</a>", timeline)


def test_newest_entries_first_and_show_all_shows_every_one(demo_org: None, client_for: Any) -> None:
    case = make_case(worker=_worker())
    _events(case, 25)
    for n in range(1, 16):  # 15 payments, due between the events
        _payment(case, n, START + timedelta(days=3 * n + 1), status=PaymentStatus.PAID)
    c = client_for(_worker())
    url = reverse("cases:case_detail", args=[case.pk])
    everything = 25 + 15
    r = c.get(url)
    file = r.context["file"]
    assert len(file.timeline) == TIMELINE_SHOWN and file.timeline_more
    page = r.content.decode()
    link = f'href="{url}?os=wszystko#os-czasu"'
    assert link in page and "data-timeline-all" in page
    full = c.get(url + "?os=wszystko")
    shown_all = full.context["file"].timeline
    assert len(shown_all) == everything and not full.context["file"].timeline_more
    assert "data-timeline-all" not in full.content.decode()
    assert "Pokaż tylko najnowsze wpisy" in full.content.decode()
    # The short list is exactly the head of the whole one, in the same order.
    assert [(i.occurred_at, i.title) for i in file.timeline] == [
        (i.occurred_at, i.title) for i in shown_all[:TIMELINE_SHOWN]
    ]
    assert [i.occurred_at for i in shown_all] == sorted(
        (i.occurred_at for i in shown_all), reverse=True
    )
    oldest = "Zdarzenie sprawa 000"
    assert oldest not in _titles(page) and oldest in _titles(full.content.decode())


def test_show_all_keeps_the_kind_filter(demo_org: None, client_for: Any) -> None:
    case = make_case(worker=_worker())
    _events(case, TIMELINE_SHOWN + 5, kind="wniosek")
    _events(case, 3, kind="obliczenie")
    c = client_for(_worker())
    url = reverse("cases:case_detail", args=[case.pk])
    page = c.get(url + "?rodzaj=wniosek").content.decode()
    assert f'href="{url}?rodzaj=wniosek&amp;os=wszystko#os-czasu"' in page
    full = c.get(url + "?rodzaj=wniosek&os=wszystko")
    kinds = {i.kind for i in full.context["file"].timeline}
    assert kinds == {"wniosek"} and len(full.context["file"].timeline) == TIMELINE_SHOWN + 5
    # The filter form keeps the whole list once asked for.
    assert '<input type="hidden" name="os" value="wszystko">' in full.content.decode()


def test_a_short_timeline_has_no_show_all_link(demo_org: None, client_for: Any) -> None:
    case = make_case(worker=_worker())
    _events(case, 3)
    r = client_for(_worker()).get(reverse("cases:case_detail", args=[case.pk]))
    assert not r.context["file"].timeline_more
    assert "data-timeline-all" not in r.content.decode()


def _count(c: Any, url: str) -> int:
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_payment_event_links_cost_one_query_whatever_their_number(
    demo_org: None, client_for: Any
) -> None:
    """Adversary: events written by the payments context link to the decision of their
    payment — looked up together, so twelve such events cost what two do."""
    case = make_case(worker=_worker())
    pays = [_payment(case, n, START + timedelta(days=n)) for n in range(1, 13)]
    c = client_for(_worker())
    url = reverse("cases:case_detail", args=[case.pk])
    for p in pays[:2]:
        timeline_record(
            case=case, kind="wyplata_zwrot", title=f"Zwrot {p.pk}", occurred_at=noon(START),
            actor=None, source=("payments", p.pk),
        )  # fmt: skip
    few = _count(c, url)
    for p in pays[2:]:
        timeline_record(
            case=case, kind="wyplata_zwrot", title=f"Zwrot {p.pk}", occurred_at=noon(START),
            actor=None, source=("payments", p.pk),
        )  # fmt: skip
    assert _count(c, url) == few
    assert _count(c, url + "?os=wszystko") == few
    items = c.get(url + "?os=wszystko").context["file"].timeline
    for p in pays:
        item = next(i for i in items if i.title == f"Zwrot {p.pk}")
        assert item.url == reverse("decisions:detail", args=[p.decision_id])


@pytest.mark.parametrize(
    "name", ["decisions:detail", "cases:case_detail", "cases:calculation", "socialwork:contract"]
)
def test_record_url_is_what_reverse_gives(name: str) -> None:
    for pk in (0, 7, 42, 123456789):
        assert record_url(name, pk) == reverse(name, args=[pk])
        assert record_url(name, str(pk)) == reverse(name, args=[pk])


def test_record_url_refuses_what_reverse_refuses() -> None:
    for bad in ("odwolanie", "-1", "1.5", "", " 7", "٣"):  # the last: an Arabic-Indic digit
        with pytest.raises(ValueError):
            record_url("decisions:detail", bad)
    with pytest.raises(NoReverseMatch):
        record_url("cases:application", 1)  # no such page: the case file is linked instead
