"""Every form of help asked for gets decided (art. 104, 35–37 KPA): the drafter chooses the
calculation for each form; one decision with a point per form, or separate decisions; the
application is finished only when every form is decided or discontinued (art. 105 KPA)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ostoja.cases.models import ApplicationStatus
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import selectors, services
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.models import Decision
from ostoja.decisions.tests.factories import add_calculation, make_two_benefit_application

NRB = "61109010140000071219812874"
ON = date(2026, 11, 5)
pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Warsaw"))


def _calcs(app: Any) -> dict[str, Any]:
    return {c.benefit: c for c in app.calculations.order_by("pk")}


def _sign(d: Decision, users: dict[str, Any]) -> Decision:
    services.decision_check(decision=d, actor=users["kierownik"], now=_at(ON))
    return services.decision_sign(decision=d, actor=users["kierownik"], on=ON, now=_at(ON))


def test_art_104_kpa_several_calculations_need_an_explicit_choice(
    demo_org: None, users: dict[str, Any]
) -> None:
    app = make_two_benefit_application()
    with pytest.raises(ValidationFailed) as exc:
        services.decision_draft_from_application(application=app, actor=users["socjalny"])
    assert "calculations" in exc.value.errors
    assert not Decision.objects.filter(application=app).exists()


def test_art_104_kpa_one_decision_with_a_point_per_form(
    demo_org: None, users: dict[str, Any]
) -> None:
    app = make_two_benefit_application()
    calcs = _calcs(app)
    d = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[calcs["zasilek_okresowy"].pk, calcs["zasilek_celowy"].pk],
    )
    lines = {ln.benefit: ln for ln in d.lines.all()}
    assert set(lines) == {"zasilek_okresowy", "zasilek_celowy"}
    assert d.kind == DecisionKind.GRANT
    assert lines["zasilek_okresowy"].calculation == calcs["zasilek_okresowy"]
    assert lines["zasilek_celowy"].calculation == calcs["zasilek_celowy"]
    # one-off help is one-off: a single day, not a month (art. 39 u.p.s.)
    celowy = lines["zasilek_celowy"]
    assert celowy.one_off and celowy.period_from == app.received_on
    assert (celowy.period_to - celowy.period_from).days == 1
    content = services.content_of(d, on=ON, draft=True)
    from ostoja.decisions import documents

    points = documents.operative_points(content)
    assert sum(p.startswith("Przyznać") for p in points) == 2


def test_art_104_kpa_grant_and_refusal_points_in_one_decision(
    demo_org: None, users: dict[str, Any]
) -> None:
    """A refused form gets its own refusal point beside the granted one."""
    app = make_two_benefit_application()
    refused = add_calculation(
        app,
        "zasilek_celowy",
        members=[
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1970-01-12",
                "sex": "K",
                "incomes": [{"kind": "renta", "amount": "2700.00"}],
            }
        ],
    )
    assert not refused.eligible
    d = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[_calcs(app)["zasilek_okresowy"].pk, refused.pk],
    )
    by = {ln.benefit: ln.granted for ln in d.lines.all()}
    assert by == {"zasilek_okresowy": True, "zasilek_celowy": False}
    from ostoja.decisions import documents

    points = documents.operative_points(services.content_of(d, on=ON, draft=True))
    assert any(p.startswith("Przyznać") for p in points)
    assert any(p.startswith("Odmówić") for p in points)


def test_art_104_kpa_separate_decisions_when_the_worker_chooses(
    demo_org: None, users: dict[str, Any]
) -> None:
    app = make_two_benefit_application()
    calcs = _calcs(app)
    ds = services.decision_drafts_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[c.pk for c in calcs.values()],
        separate=True,
    )
    assert sorted(d.lines.get().benefit for d in ds) == ["zasilek_celowy", "zasilek_okresowy"]


def test_comparison_calculation_never_silently_becomes_the_decision(
    demo_org: None, users: dict[str, Any]
) -> None:
    """A later calculation „for comparison” is not used unless chosen; two calculations for one
    form in one decision are refused."""
    app = make_two_benefit_application()
    chosen = _calcs(app)["zasilek_okresowy"]
    comparison = add_calculation(
        app,
        "zasilek_okresowy",
        members=[
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1980-04-02",
                "sex": "M",
                "incomes": [{"kind": "zasilek_dla_bezrobotnych", "amount": "100.00"}],
            }
        ],
    )
    with pytest.raises(ValidationFailed, match="kilka obliczeń"):
        services.decision_draft_from_application(
            application=app,
            actor=users["socjalny"],
            account_number=NRB,
            calculations=[chosen.pk, comparison.pk],
        )
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB, calculations=[chosen.pk]
    )
    assert d.lines.get().calculation == chosen and d.calculation == chosen
    # a form already drafted is not drafted again
    with pytest.raises(ValidationFailed, match="ma już"):
        services.decision_draft_from_application(
            application=app,
            actor=users["socjalny"],
            account_number=NRB,
            calculations=[comparison.pk],
        )


def test_art_104_kpa_application_finished_only_when_every_form_is_decided(
    demo_org: None, users: dict[str, Any]
) -> None:
    """After the okresowy decision is signed, celowy still waits: the application stays open
    (its deadline stays on the desk); signing the celowy decision finishes it."""
    app = make_two_benefit_application()
    calcs = _calcs(app)
    first = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[calcs["zasilek_okresowy"].pk],
    )
    _sign(first, users)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.READY and app.closed_on is None
    assert selectors.application_undecided_forms(application=app) == ["zasilek_celowy"]
    opts = selectors.drafting_options(application=app)
    assert opts.undecided == ["zasilek_celowy"] and opts.can_draft
    second = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[calcs["zasilek_celowy"].pk],
    )
    _sign(second, users)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CLOSED and app.closed_on == ON


def test_open_application_keeps_its_deadline_on_the_desk(
    demo_org: None, users: dict[str, Any]
) -> None:
    from ostoja.cases.selectors import desk

    worker = users["socjalny"]
    app = make_two_benefit_application(worker=worker)
    d = services.decision_draft_from_application(
        application=app,
        actor=worker,
        account_number=NRB,
        calculations=[_calcs(app)["zasilek_okresowy"].pk],
    )
    _sign(d, users)
    on = app.decision_due
    rows = desk(user=worker, on=on)
    assert app.pk in [r.obj.pk for r in rows.overdue + rows.today + rows.week]


def test_art_105_kpa_discontinuance_of_one_form_settles_it(
    demo_org: None, users: dict[str, Any]
) -> None:
    """The party withdrew the celowy request: proceedings discontinued for that form only
    (umorzenie, art. 105 KPA); with okresowy decided the application is finished."""
    app = make_two_benefit_application()
    d = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        calculations=[_calcs(app)["zasilek_okresowy"].pk],
    )
    _sign(d, users)
    with pytest.raises(ValidationFailed):
        services.decision_discontinuance_draft(
            application=app, actor=users["socjalny"], benefits=["zasilek_celowy"], reason=" "
        )
    disc = services.decision_discontinuance_draft(
        application=app,
        actor=users["socjalny"],
        benefits=["zasilek_celowy"],
        reason="strona pismem wycofała wniosek w tym zakresie (art. 105 § 2 KPA)",
    )
    assert disc.kind == DecisionKind.DISCONTINUANCE
    from ostoja.decisions import documents

    points = documents.operative_points(services.content_of(disc, on=ON, draft=True))
    assert not any(p.startswith("Odmówić") for p in points)
    assert any("w zakresie: zasiłek celowy" in p for p in points)
    _sign(disc, users)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CLOSED
    # a discontinued decision pays nothing
    assert not [
        ln
        for ln in selectors.payable_lines(
            period_start=date(2026, 11, 1), period_end=date(2026, 12, 1)
        )
        if ln.decision_id == disc.pk
    ]


def test_case_panel_offers_each_calculation_and_drafts_the_chosen(
    demo_org: None, users: dict[str, Any], client_for: Any
) -> None:
    app = make_two_benefit_application(worker=users["socjalny"])
    calcs = _calcs(app)
    c = client_for(users["socjalny"])
    page = c.get(reverse("cases:case_detail", args=[app.case_id])).content.decode()
    for calc in calcs.values():
        assert f'value="{calc.pk}"' in page
    assert "checked" not in page.split(f'id="calc-{calcs["zasilek_celowy"].pk}"')[1][:20]
    # nothing chosen: refused, nothing drafted
    c.post(reverse("decisions:draft_from_application", args=[app.pk]), {"account_number": NRB})
    assert not Decision.objects.filter(application=app).exists()
    r = c.post(
        reverse("decisions:draft_from_application", args=[app.pk]),
        {"account_number": NRB, "calculations": [c_.pk for c_ in calcs.values()], "separate": "1"},
    )
    assert r.status_code == 302
    assert Decision.objects.filter(application=app).count() == 2


def test_art_105_kpa_discontinuance_from_the_case_panel(
    demo_org: None, users: dict[str, Any], client_for: Any
) -> None:
    app = make_two_benefit_application(worker=users["socjalny"])
    c = client_for(users["socjalny"])
    page = c.get(reverse("cases:case_detail", args=[app.case_id])).content.decode()
    assert f'id="discontinue-{app.pk}"' in page
    url = reverse("decisions:discontinue_application", args=[app.pk])
    r = c.post(url, {"benefits": ["zasilek_celowy"], "reason": "", "next": "https://evil.example/"})
    assert r.status_code == 422 and "evil.example" not in r.content.decode()
    assert f'href="{reverse("decisions:register")}"' in r.content.decode()
    assert not Decision.objects.filter(application=app).exists()
    r = c.post(url, {"benefits": ["zasilek_celowy"], "reason": "strona wycofała wniosek"})
    d = Decision.objects.get(application=app)
    assert r["Location"] == reverse("decisions:detail", args=[d.pk])
    assert d.kind == DecisionKind.DISCONTINUANCE
    assert [ln.benefit for ln in d.lines.all()] == ["zasilek_celowy"]
