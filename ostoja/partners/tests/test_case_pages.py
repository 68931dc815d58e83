"""A case's cooperation pages as an adversary: programme enrolment and its end through the
page (eligibility with Polish messages naming the field), and the protected-record rule on
referrals (art. 100 ust. 2 u.p.s., need to know) — break-glass with a stated reason, audited; a
worker of another unit and a partner's account guessing ids get nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from ostoja.cases import services as cases_services
from ostoja.core.errors import NotPermitted
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import LegalForm, Participant, PartnerRole, Referral
from ostoja.socialwork.models import BreakGlassGrant
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db
D = Decimal


def _kws() -> Any:
    return svc.programme_create(
        name="Korpus Wsparcia Seniorów", kind="rzadowy", edition_year=2026,
        funding_source="MRPiPS", grant_percent=D("80"), min_age=60,
        valid_from=date(2026, 1, 1), valid_to=date(2027, 1, 1),
    )  # fmt: skip


def test_enrolment_and_its_end_through_the_case_page(
    staff: Any, client_for: Any, travel: Any
) -> None:
    """Programme rules: the age limit (min_age) and the end after the enrolment."""
    travel("2026-06-01")
    prog = _kws()
    case = make_case(worker=staff.worker)
    person = case.household.memberships.get().person
    url = f"/wspolpraca/sprawy/{case.pk}/programy/"
    c = client_for(staff.worker)
    assert "Korpus Wsparcia Seniorów" in c.get(url).content.decode()
    enrol = {"action": "enrol", "e-person": person.pk, "e-programme": prog.pk,
             "e-enrolled_on": "2026-06-01"}  # fmt: skip
    r = c.post(url, enrol)  # born 1980: too young for a 60+ programme
    assert r.status_code == 422 and "co najmniej 60 lat" in r.content.decode()
    assert 'id="id_e-person_error"' in r.content.decode()
    person.birth_date = date(1950, 1, 1)
    person.save()
    assert c.post(url, enrol).status_code == 302
    part = Participant.objects.get(person=person)
    r = c.post(url, enrol)
    assert r.status_code == 422 and "już uczestnikiem" in r.content.decode()
    leave = {"action": "leave", "k-participant": part.pk, "k-left_on": "2026-06-01"}
    r = c.post(url, leave)
    assert r.status_code == 422 and "musi być późniejsza niż data przyjęcia" in r.content.decode()
    travel("2026-09-01")
    c = client_for(staff.worker)  # a new session: the old one expired over the summer
    r = c.post(url, {**leave, "k-left_on": "2026-08-31", "k-result_achieved": "on"})
    assert r.status_code == 302 and r["Location"] == url
    part.refresh_from_db()
    assert part.left_on == date(2026, 8, 31) and part.result_achieved
    r = c.post(url, {**leave, "k-left_on": "2026-09-01"})
    assert r.status_code == 422 and "Udział zakończono już" in r.content.decode()
    # another household's participation through this case's page: refused
    other = make_case(worker=staff.worker)
    stranger = other.household.memberships.get().person
    stranger.birth_date = date(1950, 1, 1)
    stranger.save()
    theirs = svc.participant_enrol(programme=prog, person=stranger, on=date(2026, 9, 1))
    r = c.post(url, {"action": "leave", "k-participant": theirs.pk, "k-left_on": "2026-09-02"})
    assert r.status_code == 403 and Participant.objects.get(pk=theirs.pk).left_on is None
    # another district's worker sees nothing and changes nothing; the analyst may not enrol
    assert client_for(staff.worker2).get(url).status_code == 404
    assert client_for(staff.worker2).post(url, enrol).status_code == 404
    assert client_for(staff.analyst).get(url).status_code == 403


# ------------------------------------------------------------------ protected cases


@pytest.fixture
def protected_case(staff: Any, travel: Any) -> Any:
    """A protected case of the ro1 district with no assigned worker: the district's worker is a
    colleague (needs a reason), the head of ro1 sees it (art. 100 ust. 2 u.p.s.)."""
    now = travel("2026-12-01")
    case = make_case(worker=None)
    cases_services.case_set_protected(
        case=case, protected=True, user=staff.head, now=now, reason="Niebieska Karta"
    )
    return case


def _food_referral(case: Any, partner: Any, user: Any, now: Any) -> Referral:
    return svc.referral_issue(
        case=case, person=case.household.memberships.get().person, partner=partner,
        service="pomoc_zywnosciowa", reason="przemoc domowa (art. 7 pkt 7 u.p.s.)",
        valid_from=now.date(), valid_to=now.date() + timedelta(days=90), household_size=1,
        monthly_income=D("1000"), user=user, now=now,
    )  # fmt: skip


def test_protected_case_referrals_require_break_glass(
    staff: Any, client_for: Any, travel: Any, food_bank: Any, protected_case: Any
) -> None:
    now = travel("2026-12-01")
    case = protected_case
    url = f"/wspolpraca/sprawy/{case.pk}/skierowania/"
    ref = _food_referral(case, food_bank, staff.head, now)  # the head of the unit may
    colleague = client_for(staff.worker)
    r = colleague.get(url)
    page = r.content.decode()
    assert r.status_code == 403 and "Sprawa chroniona" in page and ref.number not in page
    refused = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=staff.worker, additional_data__refused=True
    )
    assert refused.exists()
    # a referral posted straight to the page or the service is refused too
    data = {"person": case.household.memberships.get().person.pk, "service": "pomoc_zywnosciowa",
            "partner": food_bank.pk, "reason": "ubóstwo", "valid_from": "2026-12-01",
            "valid_to": "2027-03-01", "household_size": "1", "monthly_income": "900"}  # fmt: skip
    assert colleague.post(url, data).status_code == 403
    with pytest.raises(NotPermitted):
        _food_referral(case, food_bank, staff.worker, now)
    assert not sel.referrals_visible(user=staff.worker, now=now).filter(pk=ref.pk).exists()
    # a reason that is no reason is refused; a real one opens the case for 60 minutes
    r = colleague.post(url, {"action": "break_glass", "reason": "test test"})
    assert r.status_code == 403 and "Podaj konkretny powód" in r.content.decode()
    assert not BreakGlassGrant.objects.filter(case=case).exists()
    reason = "pilne skierowanie do banku żywności pod nieobecność kierownika"
    assert colleague.post(url, {"action": "break_glass", "reason": reason}).status_code == 302
    grant = BreakGlassGrant.objects.get(case=case, user=staff.worker)
    assert grant.reason == reason
    assert ref.number in colleague.get(url).content.decode()
    assert colleague.post(url, data).status_code == 302
    assert Referral.objects.filter(case=case).count() == 2
    # an hour later the door is shut again
    travel("2026-12-01", hour=11)
    assert client_for(staff.worker).get(url).status_code == 403
    # another unit's worker: not even the protected page (404, as for a missing id)
    assert client_for(staff.worker2).get(url).status_code == 404
    assert (
        client_for(staff.worker2).post(url, {"action": "break_glass", "reason": reason}).status_code
        == 404
    )
    assert not BreakGlassGrant.objects.filter(case=case, user=staff.worker2).exists()


def test_partner_never_sees_protected_data_nor_guesses_ids(
    staff: Any, client_for: Any, travel: Any, food_bank: Any, protected_case: Any,
    partner_account: Any,
) -> None:  # fmt: skip
    now = travel("2026-12-01")
    case = protected_case
    ref = _food_referral(case, food_bank, staff.head, now)
    other_partner = svc.partner_create(
        data={"name": "Caritas", "legal_form": LegalForm.CHURCH,
              "roles": [PartnerRole.FOOD_AID], "active_from": date(2020, 1, 1)},
        user=staff.head, now=now,
    )  # fmt: skip
    other_user = get_user_model().objects.create_user(username="caritas", password="x")
    svc.partner_user_link(user=other_user, partner=other_partner)
    own = client_for(partner_account)
    page = own.get(f"/wspolpraca/partner/skierowania/{ref.pk}/").content.decode()
    # the partner serves the person, but sees nothing of the protected case file
    assert ref.number in page
    for secret in ("przemoc domowa", "Niebieska Karta", "ul. Próbna", case.household.name):
        assert secret not in page, secret
    assert "przemoc domowa" not in own.get("/wspolpraca/partner/").content.decode()
    # another partner guessing the id, and any partner trying staff pages of the case
    guess = client_for(other_user)
    assert guess.get(f"/wspolpraca/partner/skierowania/{ref.pk}/").status_code == 404
    assert ref.number not in guess.get("/wspolpraca/partner/").content.decode()
    for url in (f"/wspolpraca/sprawy/{case.pk}/skierowania/",
                f"/wspolpraca/sprawy/{case.pk}/programy/", f"/sprawy/{case.pk}/"):  # fmt: skip
        assert own.get(url).status_code in (403, 404), url
        assert own.post(url, {"action": "break_glass", "reason": "x" * 40}).status_code in (
            403, 404,
        ), url  # fmt: skip
    assert not BreakGlassGrant.objects.filter(case=case).exists()
