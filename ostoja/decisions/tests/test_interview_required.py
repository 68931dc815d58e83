"""Art. 106 ust. 4 u.p.s.: no granting or refusing decision is drafted before the family
community interview is completed (exceptions in ``ostoja.law.interview``)."""

from __future__ import annotations

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services
from ostoja.decisions.tests.test_workflow import NRB

pytestmark = pytest.mark.django_db


def test_art_106_ust_4_no_draft_without_a_completed_interview(ready_application, users):
    app = ready_application("zasilek_staly")
    app.interviews.update(status="szkic")
    with pytest.raises(ValidationFailed, match=r"art\. 106 ust\. 4 u\.p\.s\.") as exc:
        services.decision_draft_from_application(
            application=app, actor=users["socjalny"], account_number=NRB
        )
    assert exc.value.field == "application" and not app.decisions.exists()
    app.interviews.update(status="zakonczony")
    services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )


def test_art_107_ust_4a_refusal_for_a_refused_interview_needs_no_interview(
    ready_application, users
):
    app = ready_application("zasilek_staly")
    app.interviews.all().delete()
    calc = app.calculations.get()
    calc.request = {**calc.request, "interview_refused": True}
    calc.save(update_fields=["request"])
    d = services.decision_create(
        case=app.case, application=app, calculation=calc, kind="odmowa",
        addressee=app.applicant, actor=users["socjalny"],
        lines=[{"benefit": "zasilek_staly", "granted": False, "amount": "0.00",
                "period_from": app.received_on}],
        justification="Strona odmówiła przeprowadzenia wywiadu.",
    )  # fmt: skip
    assert d.kind == "odmowa"
