"""The DPS decisions through the decisions workflow (issue 14): the gmina's referral decision
(art. 59 ust. 1 u.p.s.), the placement decision of the Prezydent as starosta (art. 59 ust. 2)
and the fee decision whose lines are the law core's art. 61 shares. Admission waits until the
placement decision is enforceable (art. 130 KPA)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.decisions import services as dsvc
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import Referral
from ostoja.facilities.policy import DOCUMENTS
from ostoja.facilities.tests.factories import make_facility
from ostoja.org.models import Unit

D = date(2026, 11, 26)
pytestmark = pytest.mark.django_db


@pytest.fixture
def now(travel: Any) -> Any:
    return travel("2026-12-20")


@pytest.fixture
def referral(staff: Any, now: Any) -> Referral:
    """A person with a family case and a completed interview, referred to a DPS."""
    from ostoja.cases.models import Interview

    app = make_ready_application(received_on=date(2026, 11, 3))
    # The DPS matter's own community interview (art. 106 ust. 4), not tied to an application.
    Interview.objects.create(case=app.case, status="zakonczony", conducted_on=D, sections={})
    return services.referral_create(
        person=app.applicant, facility_kind="dps", subtype="podeszly_wiek",
        unit=Unit.objects.get(code="ro1"), referral_date=D, actor=staff.worker, now=now,
        documents=dict.fromkeys(DOCUMENTS, True),
    )  # fmt: skip


def _sign(d: Any, staff: Any, on: date = D) -> Any:
    dsvc.decision_check(now=dates.now(), decision=d, actor=staff.head)
    return dsvc.decision_sign(now=dates.now(), decision=d, actor=staff.director, on=on)


def _deliver(d: Any, staff: Any, on: date) -> Any:
    d = dsvc.decision_send(decision=d, actor=staff.worker, on=on, channel="zpo")
    return dsvc.decision_deliver(
        decision=d, actor=staff.worker, delivered_on=on, channel="zpo", today=on
    )


def _referred(referral: Referral, staff: Any) -> Referral:
    d = services.referral_decision_draft(
        referral=referral, step="skierowanie", actor=staff.worker, on=D,
        expected_version=referral.version,
    )  # fmt: skip
    d = _sign(d, staff)
    r = Referral.objects.get(pk=referral.pk)
    return services.referral_sync(referral=r, expected_version=r.version)


def _placement(r: Referral, staff: Any, facility: Any, immediate: str = "") -> Any:
    return services.referral_decision_draft(
        referral=r, step="umieszczenie", actor=staff.worker, on=D, facility=facility,
        expected_version=r.version, immediate_reason=immediate,
    )  # fmt: skip


def test_referral_decision_art_59_ust_1_is_drafted_and_linked(referral: Referral, staff: Any):
    d = services.referral_decision_draft(
        referral=referral, step="skierowanie", actor=staff.worker, on=D,
        expected_version=referral.version,
    )  # fmt: skip
    referral.refresh_from_db()
    assert referral.referral_decision_id == d.pk  # referral → decision
    assert Referral.objects.get(referral_decision=d) == referral  # decision → referral
    assert d.status == "projekt" and d.matter == "dps"
    line = d.lines.get()
    assert line.benefit == "skierowanie_dps" and line.amount == 0
    assert "art. 59 ust. 1 u.p.s." in d.trace_bases
    # Until the decision is signed the person is not referred (art. 59 ust. 1).
    with pytest.raises(ValidationFailed, match="podpisan"):
        services.referral_sync(referral=referral, expected_version=referral.version)
    with pytest.raises(ValidationFailed, match="już istnieje"):
        services.referral_decision_draft(
            referral=referral, step="skierowanie", actor=staff.worker, on=D,
            expected_version=referral.version,
        )  # fmt: skip


def test_the_drafter_cannot_check_the_referral_decision_four_eyes(referral: Referral, staff):
    d = services.referral_decision_draft(
        referral=referral, step="skierowanie", actor=staff.worker, on=D,
        expected_version=referral.version,
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        dsvc.decision_check(now=dates.now(), decision=d, actor=staff.worker)


def test_signed_referral_decision_art_59_ust_1_refers_the_person(referral: Referral, staff):
    r = _referred(referral, staff)
    assert r.status == "skierowany"
    assert r.referral_number == r.referral_decision.number != ""


def test_placement_art_59_ust_2_needs_the_referral_first(referral: Referral, staff: Any):
    facility = make_facility(places=1)
    with pytest.raises(ValidationFailed, match=r"art\. 59 ust\. 1"):
        _placement(referral, staff, facility)


def test_admission_waits_for_a_final_placement_decision_art_130_kpa(referral, staff, now):
    facility = make_facility(places=1)
    r = _referred(referral, staff)
    d = _placement(r, staff, facility)
    r.refresh_from_db()
    assert r.placement_decision_id == d.pk and r.placement_facility_id == facility.pk
    assert d.lines.get().benefit == "umieszczenie_dps"
    d = _sign(d, staff)
    r = services.referral_sync(referral=r, expected_version=r.version)
    assert r.placement_number == d.number and "starosty" in r.placement_authority

    def admit(on: date) -> Any:
        return services.stay_admit(person=r.person, facility=facility, on=on,
                                   actor=staff.worker, now=now, referral=r)  # fmt: skip

    with pytest.raises(ValidationFailed, match=r"art\. 130 KPA"):
        admit(date(2026, 11, 27))  # signed, not delivered
    d = _deliver(d, staff, date(2026, 11, 27))
    with pytest.raises(ValidationFailed, match="ostateczn"):
        admit(date(2026, 11, 30))  # the appeal period runs (art. 129 § 2 KPA)
    d = dsvc.decision_finalise(decision=d, actor=staff.worker, on=d.final_on)
    stay = admit(d.final_on)
    assert stay.referral == r and "art. 59" in stay.legal_basis


def test_immediately_enforceable_placement_admits_on_delivery_art_108_kpa(referral, staff, now):
    facility = make_facility(places=1)
    r = _referred(referral, staff)
    d = _placement(r, staff, facility, immediate="Stan zdrowia wymaga natychmiastowej opieki.")
    d = _sign(d, staff)
    r.refresh_from_db()
    r = services.referral_sync(referral=r, expected_version=r.version)
    _deliver(d, staff, date(2026, 11, 27))
    stay = services.stay_admit(person=r.person, facility=facility, on=date(2026, 11, 27),
                               actor=staff.worker, now=now, referral=r)  # fmt: skip
    assert stay.started_on == date(2026, 11, 27)


def test_admission_only_to_the_home_named_in_the_placement_decision(referral, staff, now):
    named, other = make_facility(places=1), make_facility(places=1)
    r = _referred(referral, staff)
    d = _placement(r, staff, named, immediate="Pilne.")
    d = _sign(d, staff)
    r.refresh_from_db()
    r = services.referral_sync(referral=r, expected_version=r.version)
    _deliver(d, staff, date(2026, 11, 27))
    with pytest.raises(ValidationFailed, match="inny dom"):
        services.stay_admit(person=r.person, facility=other, on=date(2026, 11, 27),
                            actor=staff.worker, now=now, referral=r)  # fmt: skip


def test_fee_decision_lines_are_the_art_61_shares(referral, staff, now):
    facility = make_facility(places=1, cost="6000.00", on=date(2026, 1, 1))
    r = _referred(referral, staff)
    d = _placement(r, staff, facility, immediate="Pilne.")
    _stay, fee = _admitted_with_fee(d, r, staff, facility, now)
    fd = services.fee_decision_draft(fee=fee, actor=staff.worker)
    assert fd.kind == "odplatnosc"
    amounts = [ln.amount for ln in fd.lines.order_by("position")]
    expected = [fee.resident_amount, *(Decimal(x["amount"]) for x in fee.relatives)]
    assert amounts == [*expected, fee.city_amount]
    assert amounts[0] == Decimal("1400.00")  # art. 61 ust. 1 pkt 1: 70% of income
    fee.refresh_from_db()
    assert fee.fee_decision_id == fd.pk
    with pytest.raises(DomainError, match="już istnieje"):
        services.fee_decision_draft(fee=fee, actor=staff.worker)


# ------------------------------------------------------------------ through the pages


def test_referral_page_drafts_the_referral_decision_and_records_it_once_signed(
    referral: Referral, staff: Any, client_for: Any
) -> None:
    c = client_for(staff.worker)
    page = f"/placowki/skierowania/{referral.pk}/"
    assert "Przygotuj projekt decyzji o skierowaniu" in c.get(page).content.decode()
    r = c.post(page, {"action": "draft_referral", "dref-version": referral.version})
    referral.refresh_from_db()
    d = referral.referral_decision
    assert r.status_code == 302 and r["Location"] == f"/decyzje/{d.pk}/"
    body = c.get(page).content.decode()
    assert f"/decyzje/{d.pk}/" in body and "projekt decyzji" in body
    # Not yet signed: a Polish message, nothing recorded.
    r = c.post(page, {"action": "sync", "version": referral.version}, follow=True)
    assert "podpisana przez osobę upoważnioną" in r.content.decode()
    _sign(d, staff)
    referral.refresh_from_db()
    c.post(page, {"action": "sync", "version": referral.version})
    referral.refresh_from_db()
    assert referral.status == "skierowany" and referral.referral_number


def test_placement_draft_names_the_field_when_no_home_is_chosen(
    referral: Referral, staff: Any, client_for: Any
) -> None:
    make_facility(places=1)
    r = _referred(referral, staff)
    c = client_for(staff.worker)
    resp = c.post(
        f"/placowki/skierowania/{r.pk}/", {"action": "draft_placement", "dpl-version": r.version}
    )
    assert resp.status_code == 422  # issue 17: a refusal at the field is 422, not 200
    assert "Dom pomocy społecznej" in resp.content.decode()
    assert 'href="#id_dpl-facility"' in resp.content.decode()
    r.refresh_from_db()
    assert r.placement_decision_id is None


def test_a_user_without_drafting_rights_cannot_draft_from_the_referral_page(
    referral: Referral, staff: Any, client_for: Any
) -> None:
    """Deny by default: an analyst never reaches the referral page (no facilities role)."""
    c = client_for(staff.analyst)
    r = c.post(f"/placowki/skierowania/{referral.pk}/",
               {"action": "draft_referral", "dref-version": referral.version})  # fmt: skip
    assert r.status_code in (403, 404)
    referral.refresh_from_db()
    assert referral.referral_decision_id is None


def test_referral_sync_refusals_stand_in_the_summary_on_top_nothing_saved(
    referral: Referral, staff: Any, client_for: Any
) -> None:
    """Issue 17: "record the signed decision" refused — nothing signed yet (409), a stale page
    after someone else recorded it (409, the conflict message), a tampered version (422) —
    comes back on the page with the summary on top, not a flash; nothing is recorded."""
    import re

    def summary(page: str) -> str:
        m = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
        return m.group(1) if m else ""

    c = client_for(staff.worker)
    page = f"/placowki/skierowania/{referral.pk}/"
    c.post(page, {"action": "draft_referral", "dref-version": referral.version})
    referral.refresh_from_db()
    d = referral.referral_decision
    r = c.post(page, {"action": "sync", "version": referral.version})
    assert r.status_code == 409
    assert "podpisana przez osobę upoważnioną" in summary(r.content.decode())
    r = c.post(page, {"action": "sync", "version": "x"})
    assert r.status_code == 422 and "data-error-summary" in r.content.decode()
    _sign(d, staff)
    stale = referral.version
    Referral.objects.filter(pk=referral.pk).update(version=stale + 1)  # another worker saved
    r = c.post(page, {"action": "sync", "version": stale})
    assert r.status_code == 409 and "Ktoś inny zapisał" in summary(r.content.decode())
    referral.refresh_from_db()
    assert referral.status == "zlozone" and not referral.referral_number


def _admitted_with_fee(d: Any, r: Any, staff: Any, facility: Any, now: Any) -> tuple[Any, Any]:
    """The placement decision signed and delivered on 27 November 2026, the resident admitted
    that day and the fee set from 1 December: the resident's income 2 000 zł, a son's household
    8 000 zł (art. 61 u.p.s.). ``(stay, fee)``."""
    d = _sign(d, staff)
    r.refresh_from_db()
    r = services.referral_sync(referral=r, expected_version=r.version)
    _deliver(d, staff, date(2026, 11, 27))
    stay = services.stay_admit(person=r.person, facility=facility, on=date(2026, 11, 27),
                               actor=staff.worker, now=now, referral=r)  # fmt: skip
    fee = services.fee_set(
        stay=stay, valid_from=date(2026, 12, 1), resident_income=Decimal("2000.00"),
        relatives=[services.RelativeIn(name="Adam Syn", relation="syn",
                                       household_size=1, household_income=Decimal("8000.00"))],
        actor=staff.worker, now=now,
    )  # fmt: skip
    return stay, fee
