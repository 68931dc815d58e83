"""Referrals with feedback: issue → partner's answer → outcome, all on the case file timeline;
the FEPŻ income threshold (265 % of the art. 8 u.p.s. criterion); a partner never sees more
than it must (no PESEL, no case history)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ostoja.cases.models import TimelineEvent
from ostoja.core.errors import ValidationFailed
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import Referral, ReferralStatus
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _person(case: Any) -> Any:
    return case.household.memberships.get().person


def _issue(case: Any, partner: Any, user: Any, now: Any, **over: Any) -> Referral:
    on = now.date()
    data = dict(case=case, person=_person(case), partner=partner, service="pomoc_zywnosciowa",
                reason="ubóstwo (art. 7 pkt 1 u.p.s.)", valid_from=on,
                valid_to=on + timedelta(days=180), household_size=1,
                monthly_income=Decimal("1500.00"), user=user, now=now)  # fmt: skip
    data.update(over)
    return svc.referral_issue(**data)


def test_food_aid_threshold_fepz_265_percent(
    case: Any, food_bank: Any, staff: Any, travel: Any
) -> None:
    """Single person: 265 % × 1010 zł = 2676,50 zł (FEPŻ 2021–2027, art. 8 ust. 1 pkt 1 u.p.s.)."""
    now = travel("2026-12-01")
    r = _issue(case, food_bank, staff.worker, now, monthly_income=Decimal("2676.50"))
    assert "FEPŻ" in r.eligibility_trace[1]["basis"]
    with pytest.raises(ValidationFailed) as exc:
        _issue(case, food_bank, staff.worker, now, monthly_income=Decimal("2676.51"))
    assert (
        "2 676,50" in exc.value.errors["monthly_income"][0]
        or "2676,50" in exc.value.errors["monthly_income"][0]
    )
    assert Referral.objects.count() == 1


def test_partner_must_have_the_role(case: Any, food_bank: Any, staff: Any, travel: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _issue(case, food_bank, staff.worker, travel("2026-12-01"), service="cis")
    assert "partner" in exc.value.errors


def test_person_must_belong_to_the_case(case: Any, food_bank: Any, staff: Any, travel: Any) -> None:
    other = make_case(worker=staff.worker)
    with pytest.raises(ValidationFailed) as exc:
        _issue(case, food_bank, staff.worker, travel("2026-12-01"), person=_person(other))
    assert "person" in exc.value.errors


def test_full_loop_reaches_the_timeline(case: Any, food_bank: Any, staff: Any,
                                        partner_account: Any, travel: Any) -> None:  # fmt: skip
    now = travel("2026-12-01")
    r = _issue(case, food_bank, staff.worker, now)
    r = svc.referral_answer(referral=r, accepted=True, note="Zapraszamy w czwartki",
                            user=partner_account, now=now, expected_version=r.version)  # fmt: skip
    r = svc.referral_outcome(referral=r, completed=True, outcome="Odebrano 3 paczki",
                             user=partner_account, now=now, expected_version=r.version)  # fmt: skip
    assert r.status == ReferralStatus.COMPLETED
    kinds = list(TimelineEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"skierowanie", "skierowanie_odpowiedz", "skierowanie_wynik"} <= set(kinds)
    with pytest.raises(ValidationFailed):  # the answer is given once
        svc.referral_answer(referral=r, accepted=False, note="x", user=partner_account, now=now,
                            expected_version=r.version)  # fmt: skip


def test_community_work_hours(case: Any, food_bank: Any, staff: Any, travel: Any) -> None:
    now = travel("2026-12-01")
    svc.partner_update(partner=food_bank, data={"roles": ["prace_spoleczne"]},
                       expected_version=food_bank.version, user=staff.head, now=now)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        _issue(case, food_bank, staff.worker, now, service="prace_spoleczne")
    assert "hours_planned" in exc.value.errors
    r = _issue(case, food_bank, staff.worker, now, service="prace_spoleczne", hours_planned=40)
    r = svc.referral_answer(referral=r, accepted=True, note="", user=staff.worker, now=now,
                            expected_version=r.version)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.referral_outcome(referral=r, completed=True, outcome="ok", hours_done=41,
                             user=staff.worker, now=now, expected_version=r.version)  # fmt: skip
    assert "hours_done" in exc.value.errors


# ------------------------------------------------------------------ scope


def test_partner_sees_only_its_referrals_minimised(case: Any, food_bank: Any, staff: Any,
                                                   partner_account: Any, client_for: Any,
                                                   travel: Any) -> None:  # fmt: skip
    now = travel("2026-12-01")
    person = _person(case)
    person.pesel = "80010112345"
    person.save()
    _issue(case, food_bank, staff.worker, now)
    other = svc.partner_create(data={"name": "PKPS", "legal_form": "stowarzyszenie",
                                     "roles": ["pomoc_zywnosciowa"], "active_from": date(2020, 1, 1)},
                               user=staff.head, now=now)  # fmt: skip
    _issue(make_case(worker=staff.worker), other, staff.worker, now)
    rows = sel.partner_referrals(user=partner_account, now=now)
    assert len(rows) == 1 and not hasattr(rows[0], "pesel") and not hasattr(rows[0], "case")
    r = client_for(partner_account).get("/api/v1/referrals")
    assert r.status_code == 200
    body = r.content.decode()
    assert len(r.json()) == 1 and r.json()[0]["case"] is None
    assert "80010112345" not in body and "pesel" not in body.lower()
    page = client_for(partner_account).get("/wspolpraca/partner/")
    assert page.status_code == 200
    text = page.content.decode()
    assert person.last_name in text and "80010112345" not in text
    assert "ubóstwo" not in text  # the reason is case history: not shown to the partner
    # the partner opens no staff page and no case
    assert client_for(partner_account).get(f"/sprawy/{case.pk}/").status_code in (403, 404)
    assert client_for(partner_account).get("/wspolpraca/").status_code == 403


def test_staff_api_is_scoped_by_unit(case: Any, food_bank: Any, staff: Any, client_for: Any,
                                     travel: Any) -> None:  # fmt: skip
    now = travel("2026-12-01")
    _issue(case, food_bank, staff.worker, now)
    mine = client_for(staff.worker).get("/api/v1/referrals").json()
    assert len(mine) == 1 and mine[0]["case"] == case.pk
    assert client_for(staff.worker2).get("/api/v1/referrals").json() == []  # another district
    assert client_for(staff.finance).get("/api/v1/referrals").status_code == 403


def test_partner_cannot_answer_another_partners_referral(case: Any, food_bank: Any, staff: Any,
                                                         client_for: Any, travel: Any,
                                                         django_user_model: Any) -> None:  # fmt: skip
    now = travel("2026-12-01")
    r = _issue(case, food_bank, staff.worker, now)
    other = svc.partner_create(data={"name": "PKPS", "legal_form": "stowarzyszenie",
                                     "roles": ["pomoc_zywnosciowa"], "active_from": date(2020, 1, 1)},
                               user=staff.head, now=now)  # fmt: skip
    u = django_user_model.objects.create_user(username="pkps", password="x")
    svc.partner_user_link(user=u, partner=other)
    resp = client_for(u).post(f"/wspolpraca/partner/skierowania/{r.pk}/",
                              {"action": "accept", "note": "", "version": r.version})  # fmt: skip
    assert resp.status_code == 404
    r.refresh_from_db()
    assert r.status == ReferralStatus.ISSUED


def test_staff_account_cannot_become_a_partner_account(food_bank: Any, staff: Any) -> None:
    with pytest.raises(ValidationFailed):
        svc.partner_user_link(user=staff.worker, partner=food_bank)


def test_referral_through_the_page(case: Any, food_bank: Any, staff: Any, client_for: Any,
                                   travel: Any) -> None:  # fmt: skip
    travel("2026-12-01")
    c = client_for(staff.worker)
    url = f"/wspolpraca/sprawy/{case.pk}/skierowania/"
    assert c.get(url).status_code == 200
    data = {"person": _person(case).pk, "service": "pomoc_zywnosciowa", "partner": food_bank.pk,
            "reason": "ubóstwo", "valid_from": "2026-12-01", "valid_to": "2027-06-01",
            "household_size": "1", "monthly_income": "9999"}  # fmt: skip
    r = c.post(url, data)
    assert r.status_code == 422 and "przekracza próg programu FEPŻ" in r.content.decode()
    data["monthly_income"] = "1000"
    assert c.post(url, data).status_code == 302
    assert Referral.objects.filter(case=case).count() == 1
    # the case file shows the panel; another district's worker cannot open the page
    assert "Skierowania do partnerów" in c.get(f"/sprawy/{case.pk}/").content.decode()
    assert client_for(staff.worker2).get(url).status_code == 404
    assert client_for(staff.worker2).post(url, data).status_code == 404
    assert Referral.objects.filter(case=case).count() == 1


def test_two_answers_at_once_never_lose_one(case: Any, food_bank: Any, staff: Any,
                                            partner_account: Any, travel: Any) -> None:  # fmt: skip
    from ostoja.core.errors import ConflictError

    now = travel("2026-12-01")
    r = _issue(case, food_bank, staff.worker, now)
    stale = Referral.objects.get(pk=r.pk)
    svc.referral_answer(referral=r, accepted=True, note="", user=partner_account, now=now,
                        expected_version=r.version)  # fmt: skip
    with pytest.raises((ConflictError, ValidationFailed)):
        svc.referral_answer(referral=stale, accepted=False, note="brak miejsc",
                            user=partner_account, now=now, expected_version=stale.version)  # fmt: skip
    assert Referral.objects.get(pk=r.pk).status == ReferralStatus.ACCEPTED
    # the stale status check passes (it read ISSUED), so the version check is what refused it
    assert TimelineEvent.objects.filter(kind="skierowanie_odpowiedz").count() == 1


def test_partner_token_reads_only_its_referrals(case: Any, food_bank: Any, staff: Any,
                                                partner_account: Any, travel: Any) -> None:  # fmt: skip
    from django.test import Client

    from ostoja.org.services import api_token_create

    now = travel("2026-12-01")
    _issue(case, food_bank, staff.worker, now)
    token = api_token_create(user=partner_account)
    r = Client().get("/api/v1/referrals", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and len(r.json()) == 1 and r.json()[0]["case"] is None
    r = Client().get("/api/v1/partners", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


def test_referral_is_audited_with_its_actor(case: Any, food_bank: Any, staff: Any,
                                            client_for: Any, travel: Any) -> None:  # fmt: skip
    from auditlog.models import LogEntry

    travel("2026-12-01")
    data = {"person": _person(case).pk, "service": "pomoc_zywnosciowa", "partner": food_bank.pk,
            "reason": "ubóstwo", "valid_from": "2026-12-01", "valid_to": "2027-06-01",
            "household_size": "1", "monthly_income": "1000"}  # fmt: skip
    client_for(staff.worker).post(f"/wspolpraca/sprawy/{case.pk}/skierowania/", data)
    r = Referral.objects.get(case=case)
    entry = LogEntry.objects.get_for_object(r).filter(action=LogEntry.Action.CREATE).get()
    assert entry.actor == staff.worker
    assert "ubóstwo" not in str(entry.changes)  # the reason stays out of the log


def test_expired_referral_cannot_be_accepted(case: Any, food_bank: Any, staff: Any,
                                             partner_account: Any, travel: Any) -> None:  # fmt: skip
    now = travel("2026-12-01")
    r = _issue(case, food_bank, staff.worker, now, valid_to=date(2026, 12, 10))
    later = travel("2026-12-10")
    with pytest.raises(ValidationFailed) as exc:
        svc.referral_answer(referral=r, accepted=True, note="", user=partner_account, now=later,
                            expected_version=r.version)  # fmt: skip
    assert "wygasło 10.12.2026" in exc.value.errors["status"][0]
