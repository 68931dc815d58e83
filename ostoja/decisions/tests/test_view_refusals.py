"""Refused workflow moves come back on the decision page (issue 17): an error of a field under
that field with the summary linking to it (422), the typed value kept; a refusal that is not
about a field (permission, the decision's state) in the summary at the top (403/409); nothing
saved either way."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from ostoja.core import dates
from ostoja.decisions import services
from ostoja.decisions.choices import DecisionStatus
from ostoja.decisions.models import Appeal
from ostoja.decisions.tests.test_workflow import NRB, signed
from tests.refusals import error_at_field as _at_field
from tests.refusals import error_summary as _summary

pytestmark = pytest.mark.django_db


def test_drafter_checking_own_draft_is_refused_on_top(ready_application, users, client_for):
    """The same person in two roles: who drafted may not check (four eyes)."""
    d = services.decision_draft_from_application(
        application=ready_application("zasilek_staly"), actor=users["kierownik"], account_number=NRB
    )
    url = reverse("decisions:transition", args=[d.pk, "sprawdz"])
    r = client_for(users["kierownik"]).post(url)
    assert r.status_code == 403
    assert "własnego projektu" in _summary(r.content.decode())
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFTED and d.checker_id is None


def test_delivery_before_issue_is_refused_at_the_date(ready_application, users, client_for, travel):
    travel("2025-12-11")
    d = signed(ready_application, users, date(2025, 12, 8))
    url = reverse("decisions:transition", args=[d.pk, "doreczenie"])
    c = client_for(users["socjalny"])
    r = c.post(url, {"channel": "zpo", "delivered_on": "2025-12-01"})
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, "id_deliver_delivered_on", "wcześniejsza niż data wydania")
    assert 'value="2025-12-01"' in page
    r = c.post(url, {"channel": "zpo", "delivered_on": ""})
    assert r.status_code == 422 and _at_field(r.content.decode(), "id_deliver_delivered_on", "")
    d.refresh_from_db()
    assert d.delivered_on is None and d.status == DecisionStatus.SIGNED


def test_appeal_outcome_and_second_forward_refused_on_the_page(
    ready_application, users, client_for, travel
):
    travel("2025-12-22")
    d = signed(ready_application, users, date(2025, 12, 8))
    d = services.decision_deliver(
        decision=d, actor=users["socjalny"], channel="zpo", delivered_on=date(2025, 12, 10),
        today=date(2025, 12, 11),
    )  # fmt: skip
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=date(2025, 12, 17)
    )
    c = client_for(users["socjalny"])
    outcome = reverse("decisions:appeal_action", args=[d.pk, appeal.pk, "rozstrzygniecie"])
    r = c.post(outcome, {"outcome": "utrzymana", "outcome_on": "", "sko_reference": "SKO.1"})
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, "id_outcome_on", "")
    assert 'value="SKO.1"' in page
    forward = reverse("decisions:appeal_action", args=[d.pk, appeal.pk, "przekaz"])
    assert c.post(forward).status_code == 302
    r = c.post(forward)
    assert r.status_code == 409 and "już przekazane" in _summary(r.content.decode())
    appeal.refresh_from_db()
    assert appeal.outcome == "" and appeal.forwarded_on == dates.today()
    assert Appeal.objects.count() == 1


def test_draft_from_application_refusal_comes_back_as_typed_at_the_field(
    demo_org, users, client_for
):
    """Art. 104 KPA: no calculation ticked — refused at the calculations (422), the account
    number and reasons kept; a too long reason at its field; nothing drafted."""
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_two_benefit_application

    app = make_two_benefit_application(worker=users["socjalny"])
    calc = app.calculations.order_by("pk").first()
    url = reverse("decisions:draft_from_application", args=[app.pk])
    back = reverse("cases:case_detail", args=[app.case_id])
    c = client_for(users["socjalny"])
    r = c.post(url, {"account_number": NRB, "amount_reason": "Potrzeby z wywiadu.", "next": back})
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, f"draft{app.pk}_calculations", "Zaznacz obliczenie")
    assert f'value="{NRB}"' in page and "Potrzeby z wywiadu.</textarea>" in page
    assert f'href="{back}"' in page
    r = c.post(url, {"calculations": [calc.pk], "period_reason": "x" * 1001, "separate": "1"})
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, f"draft{app.pk}_period_reason", "")
    assert re.search(rf'id="calc-{calc.pk}"\s+checked', page)
    assert re.search(rf'id="draft{app.pk}_separate"\s+checked', page)
    assert not Decision.objects.filter(application=app).exists()


def _targets_exist(page: str) -> bool:
    """Every link of the error summary leads to an element of the page (issue 17: an error
    of a field without an input linked to a missing id)."""
    hrefs = re.findall(r'href="#([^"]+)"', _summary(page))
    return bool(hrefs) and all(re.search(rf'id="{re.escape(h)}"', page) for h in hrefs)


def test_draft_form_offers_the_payment_method_and_every_error_link_has_its_field(
    demo_org, users, client_for
):
    """The payment method has its own select on the case panel; with an error at every field
    of the draft form each link of the summary leads to an element of the page; a transfer
    without an account number is refused at the account number's field (422), the chosen
    method kept; nothing drafted."""
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_two_benefit_application

    app = make_two_benefit_application(worker=users["socjalny"])
    calc = app.calculations.order_by("pk").first()
    c = client_for(users["socjalny"])
    panel = c.get(reverse("cases:case_detail", args=[app.case_id])).content.decode()
    assert f'<select name="payment_method" id="draft{app.pk}_payment_method"' in panel
    url = reverse("decisions:draft_from_application", args=[app.pk])
    r = c.post(
        url,
        {"calculations": ["999999"], "payment_method": "czek", "account_number": "1" * 40,
         "amount_reason": "x" * 1001, "period_reason": "x" * 1001},
    )  # fmt: skip
    page = r.content.decode()
    assert r.status_code == 422 and _targets_exist(page)
    for name in ("calculations", "payment_method", "account_number", "amount_reason"):
        assert f'href="#draft{app.pk}_{name}"' in _summary(page)
    assert _at_field(page, f"draft{app.pk}_payment_method", "")
    r = c.post(url, {"calculations": [calc.pk], "payment_method": "przelew", "account_number": ""})
    page = r.content.decode()
    assert r.status_code == 422 and _targets_exist(page)
    assert _at_field(page, f"draft{app.pk}_account_number", "26 cyfr NRB")
    assert re.search(r'<option value="przelew" selected>', page)
    assert not Decision.objects.filter(application=app).exists()


def test_discontinuance_refusals_come_back_at_the_fields(demo_org, users, client_for, make_staff):
    """Art. 105 KPA: no reason, a form of help not requested, a form already drafted — each
    refused at its field (422) with the ticked forms kept; a worker of another district is
    answered as for an unknown record; nothing drafted by a refusal."""
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_two_benefit_application
    from ostoja.org.roles import Role

    app = make_two_benefit_application(worker=users["socjalny"])
    url = reverse("decisions:discontinue_application", args=[app.pk])
    c = client_for(users["socjalny"])
    r = c.post(url, {"benefits": ["zasilek_celowy"], "reason": " "})
    page = r.content.decode()
    assert r.status_code == 422 and _targets_exist(page)
    assert _at_field(page, f"disc{app.pk}_reason", "Podaj przyczynę")
    assert re.search(r'value="zasilek_celowy" id="disc-\d+-\d+" checked', page)
    r = c.post(url, {"benefits": ["posilek"], "reason": "Strona wycofała wniosek."})
    page = r.content.decode()
    assert r.status_code == 422 and _targets_exist(page)
    assert _at_field(page, f"disc{app.pk}_benefits", "o którą wniesiono")
    assert 'value="Strona wycofała wniosek."' in page
    okresowy = app.calculations.get(benefit="zasilek_okresowy")
    services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB, calculations=[okresowy.pk]
    )
    r = c.post(url, {"benefits": ["zasilek_okresowy"], "reason": "Strona wycofała wniosek."})
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, f"disc{app.pk}_benefits", "ma już projekt")
    outsider = make_staff("disc_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    assert app.case.unit.code != "ro2"
    r = client_for(outsider).post(url, {"benefits": ["zasilek_celowy"], "reason": "Wycofał."})
    assert r.status_code == 404
    assert list(Decision.objects.filter(application=app).values_list("kind", flat=True)) == [
        "przyznanie"
    ]


def test_editing_a_signed_decision_is_refused_in_the_summary_not_a_flash(
    ready_application, users, client_for, travel
):
    """Issue 17: the decision page again (409) with the reason in its error summary on top —
    the page itself says it, not only a flash; the content is unchanged."""
    travel("2025-12-11")
    d = signed(ready_application, users, date(2025, 12, 8))
    before = (d.version, d.justification, d.status, d.lines.count())
    c = client_for(users["socjalny"])
    url = reverse("decisions:edit", args=[d.pk])
    for r in (c.get(url), c.post(url, {"version": d.version, "justification": "zmiana"})):
        page = r.content.decode()
        assert r.status_code == 409
        assert "podpisana — nie można jej edytować" in _summary(page)
        assert page.count("data-error-summary") == 1
    d.refresh_from_db()
    assert (d.version, d.justification, d.status, d.lines.count()) == before
    # no flash is left over for the next page
    detail = c.get(reverse("decisions:detail", args=[d.pk])).content.decode()
    assert "nie można jej edytować" not in detail


def test_printing_a_day_without_signed_decisions_is_refused_on_the_register(
    ready_application, users, client_for, travel, make_staff
):
    """Issue 17: no decisions signed that day — the register again (409) with the reason and
    the day (Polish format) in its summary, not a flash and a redirect. The head of another
    district asking for the day of this district's decision gets the same answer, not its PDF."""
    from ostoja.org.roles import Role

    travel("2025-12-11")
    signed(ready_application, users, date(2025, 12, 8))
    url = reverse("decisions:batch_print")
    r = client_for(users["kierownik"]).get(url, {"dzien": "2025-12-09"})
    page = r.content.decode()
    assert r.status_code == 409 and r["Content-Type"].startswith("text/html")
    assert "Brak podpisanych decyzji z dnia 09.12.2025" in _summary(page)
    assert "Rejestr decyzji" in page and page.count("data-error-summary") == 1
    own = client_for(users["kierownik"]).get(url, {"dzien": "2025-12-08"})
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    other = make_staff("ro2_head_print", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    r = client_for(other).get(url, {"dzien": "2025-12-08"})
    assert r.status_code == 409 and "08.12.2025" in _summary(r.content.decode())


@pytest.mark.parametrize(
    ("query", "field"),
    [("terminowosc=zle", "id_terminowosc"), ("status=nieznany", "id_status"),
     ("date_from=31.02.2026", "id_date_from")],
)  # fmt: skip
def test_register_refuses_a_bad_filter_at_its_field_instead_of_listing_everything(
    ready_application, users, client_for, query, field
):
    """A mistyped filter in the register's URL (a hand-edited link, an old bookmark) is refused
    at its field (422) — it used to be ignored and the whole register listed as if unfiltered;
    the export with it is refused the same way instead of exporting every decision."""
    services.decision_draft_from_application(
        application=ready_application("zasilek_staly"), actor=users["kierownik"], account_number=NRB
    )
    c = client_for(users["kierownik"])
    r = c.get(f"/decyzje/?{query}")
    page = r.content.decode()
    assert r.status_code == 422
    assert re.search(rf'id="{field}_error"', page) and f'href="#{field}"' in _summary(page)
    exported = c.get(f"/decyzje/eksport.csv?{query}")
    assert exported.status_code == 422
    assert exported["Content-Type"].startswith("text/html")
    assert c.get("/decyzje/?terminowosc=w_terminie").status_code == 200
