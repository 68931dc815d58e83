"""Exemption from the care-services fee on the client's request (art. 50 ust. 6 u.p.s.: the
resolution sets the conditions of a partial or total exemption): the order keeps the table's
rate and the exemption, the month's bill uses the lowered rate, the decision drafted from the
order states the exemption in its operative part and its reasons; bad input comes back at its
field and nothing is saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import services as svc
from ostoja.care.models import CareMonth, CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.helpers import person_of, provider_with_contract
from ostoja.decisions import documents
from ostoja.decisions.content import content_of
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db
users, worker, case = _decided.users, _decided.worker, _decided.case


@pytest.fixture
def setup(make_staff: Any, travel: Any) -> dict[str, Any]:
    travel("2026-03-10")
    w = make_staff("x_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    clerk = make_staff("x_clerk", role=Role.BENEFITS_CLERK, unit_code="ro1")
    return {"worker": w, "clerk": clerk, "contract": provider_with_contract(w),
            "case": make_case(worker=w)}  # fmt: skip


def _form(s: dict[str, Any], **extra: str) -> dict[str, Any]:
    return {
        "case": s["case"].pk, "decision_number": "DPS.8310.9.2026", "service_kind": "uo",
        "scope": ["zakupy"], "hours_per_day": "2", "days_per_week": "5",
        "hours_per_month": "40", "period_from": "2026-03-01", "period_until": "2026-12-31",
        "place": "Kielce, ul. Próbna 1", "living_alone": "on", "contract": s["contract"].pk,
        "income": "1300.00", "single": "on", "paper_enforceable_from": "2026-03-02", **extra,
    }  # fmt: skip


def test_partial_exemption_lowers_the_rate_the_bill_uses(setup: Any, client_for: Any) -> None:
    w, clerk = client_for(setup["worker"]), client_for(setup["clerk"])
    r = w.post("/uslugi/zlecenia/nowe/", _form(
        setup, exemption="czesciowe", exemption_percent="50",
        exemption_requested_on="2026-03-05", exemption_reason="wysokie koszty leczenia"))  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:1500]
    order = CareOrder.objects.get()
    assert order.fee_rate == D("5.00")  # 10 % of the table × (100 % − 50 %)
    assert order.fee_exemption["rate_before"] == "10" and order.fee_exemption["percent"] == "50"
    api = w.get("/api/v1/care-orders").json()
    row = next(o for o in (api["items"] if isinstance(api, dict) else api) if o["id"] == order.pk)
    assert (row["fee_rate"], row["fee_rate_table"], row["fee_exemption"]) == (
        "5.00", "10.00", "czesciowe")  # fmt: skip
    page = w.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "Zwolnienie częściowe (50% opłaty) na wniosek z 05.03.2026" in page
    w.post(f"/uslugi/zlecenia/{order.pk}/", {"month": "2026-03", "hours_delivered": "38"})
    month = CareMonth.objects.get()
    clerk.post(f"/uslugi/miesiace/{month.pk}/rachunek/", {"version": month.version})
    month.refresh_from_db()
    assert month.client_fee == D("61.75")  # 38 h × 32,50 zł × 5 % (without it: 123,50 zł)


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"exemption": "czesciowe", "exemption_requested_on": "2026-03-05",
          "exemption_reason": "x"}, "exemption_percent", "procent opłaty"),
        ({"exemption": "czesciowe", "exemption_percent": "100",
          "exemption_requested_on": "2026-03-05", "exemption_reason": "x"},
         "exemption_percent", "zwolnienie całkowite"),
        ({"exemption": "calkowite", "exemption_reason": "x"}, "exemption_requested_on",
         "datę wniosku"),
        ({"exemption": "calkowite", "exemption_requested_on": "2026-03-05"},
         "exemption_reason", "okoliczności"),
        ({"exemption": "calkowite", "exemption_requested_on": "2026-03-05",
          "exemption_reason": "x", "income": "900.00"}, "exemption", "nieodpłatne"),
    ],
)  # fmt: skip
def test_bad_exemption_input_is_refused_at_its_field(
    setup: Any, client_for: Any, extra: dict[str, str], field: str, words: str
) -> None:
    r = client_for(setup["worker"]).post("/uslugi/zlecenia/nowe/", _form(setup, **extra))
    assert r.status_code in (200, 422)
    errors = r.context["form"].errors
    assert field in errors and words in " ".join(errors[field]), errors
    assert not CareOrder.objects.exists()


def _order(worker: Any, case: Any, **exemption: Any) -> CareOrder:
    return svc.care_order_create(
        case=case, person=person_of(case), decision_number="", service_kind="uo",
        scope=["zakupy"], hours_per_day=D("2"), days_per_week=5, hours_per_month=D("40"),
        period_from=date(2026, 11, 1), period_until=date(2027, 12, 31),
        place="Kielce, ul. Próbna 1", living_alone=True,
        contract=provider_with_contract(worker), income=D("2500.00"), single=True,
        actor=worker, on=_decided.ON, **exemption,
    )  # fmt: skip


def test_the_decision_states_the_exemption(case: Any, worker: Any) -> None:
    order = _order(worker, case, exemption="czesciowe", exemption_percent=D("25"),
                   exemption_requested_on=date(2026, 11, 2),
                   exemption_reason="opłaty za pobyt męża w DPS")  # fmt: skip
    d = svc.care_order_decision_draft(order=order, actor=worker, on=_decided.ON,
                                      expected_version=order.version)  # fmt: skip
    point = documents.operative_points(content_of(d, on=_decided.ON))[0]
    assert order.fee_rate == D("26.25") and "wynosi 26,25% ceny" in point  # 35 % × 75 %
    assert "(po zwolnieniu częściowym na wniosek)" in point
    steps = {s["step"]: s for s in d.trace}
    ex = steps["Zwolnienie częściowe z opłaty na wniosek z dnia 02.11.2026 r. "
               "(opłaty za pobyt męża w DPS)"]  # fmt: skip
    assert "art. 50 ust. 6 u.p.s." in ex["basis"] and "× (100% − 25%)" in ex["value"]
    # The reasons state the request, the circumstance, the figures and the provision (art. 107
    # § 3 KPA) — not only „orzeczono jak w sentencji”.
    assert (
        "Zwolnienie częściowe z opłaty na wniosek z dnia 02.11.2026 r. (opłaty za pobyt "
        "męża w DPS): 35% × (100% − 25%) = 26,25% ceny za godzinę."
    ) in d.justification
    assert "art. 50 ust. 6 u.p.s." in d.justification


def test_total_exemption_makes_the_decision_say_free_of_charge(case: Any, worker: Any) -> None:
    order = _order(worker, case, exemption="calkowite", exemption_requested_on=date(2026, 11, 2),
                   exemption_reason="zdarzenie losowe")  # fmt: skip
    assert order.fee_rate == 0
    d = svc.care_order_decision_draft(order=order, actor=worker, on=_decided.ON,
                                      expected_version=order.version)  # fmt: skip
    assert d.lines.get().note.endswith(
        "Usługi są nieodpłatne (zwolnienie całkowite z opłaty na wniosek)."
    )
