"""Recording a DPS decision by number is only for decisions of OTHER authorities (issue 14,
art. 59 ust. 1–2 u.p.s.): a Kielce authority or a number in our own formats (znak sprawy,
decision number) or one of our real decisions is refused with the field named — a Kielce
decision goes through the decisions workflow (draft, check, signature, delivery)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services as dsvc
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import Referral
from ostoja.facilities.policy import DOCUMENTS
from ostoja.facilities.services.foreign import is_own_authority, is_own_number
from ostoja.org.models import Unit

pytestmark = pytest.mark.django_db
D = date(2026, 11, 26)


@pytest.fixture
def referral(staff: Any, travel: Any) -> Referral:
    now = travel("2026-12-20")
    app = make_ready_application(received_on=date(2026, 11, 3))
    return services.referral_create(
        person=app.applicant, facility_kind="dps", subtype="podeszly_wiek",
        unit=Unit.objects.get(code="ro1"), referral_date=D, actor=staff.worker, now=now,
        documents=dict.fromkeys(DOCUMENTS, True),
    )  # fmt: skip


KIELCE = [
    "Prezydent Miasta Kielce",
    "  prezydent   miasta   KIELCE ",
    "MOPR Kielce",
    "mopr",
    "M.O.P.R. w Kielcach",
    "Miejski Ośrodek Pomocy Rodzinie w Kielcach",
    "Gmina Kielce",
    "GMINA  KIELCE",
    "Powiat Kielce",
    "Miasto Kielce — miasto na prawach powiatu",
    "Prezydent Miasta Kielce wykonujący zadania starosty",
    "Prezydent Miasta Kielce jako starosta",
    "Gmina Kielce (powiat kielecki)",
]
OTHERS = ["Wójt Gminy Masłów", "Starosta Kielecki", "Burmistrz Miasta i Gminy Chęciny",
          "Prezydent Miasta Radomia", "MOPS w Radomiu", "Starostwo Powiatowe w Kielcach",
          "STAROSTA  POWIATU  KIELECKIEGO"]  # fmt: skip


@pytest.mark.parametrize("authority", KIELCE)
def test_kielce_authority_is_refused_art_59(authority: str) -> None:
    assert is_own_authority(authority)


@pytest.mark.parametrize("authority", OTHERS)
def test_other_authorities_are_accepted_art_59(authority: str) -> None:
    assert not is_own_authority(authority)


@pytest.mark.parametrize(
    "number",
    ["RO1.8220.7.2026", "ro1.8220.7.2026", " RO1 . 8220 . 7 . 2026 ", "DPŚ.8221.3.2026",
     "dps.8221.3.2026.ak", "000123/RO1/2026", "000001/mopr/2026", "RO1.8220.1.7.2026"],
)  # fmt: skip
def test_numbers_in_our_format_are_refused_art_59(demo_org: Any, number: str) -> None:
    assert is_own_number(number)


@pytest.mark.parametrize(
    "number", ["GOPS.8220.1.2026", "SO.8221.12.2026", "ZP-KNPS.431.6.39.2019.HS", "12/2026"]
)
def test_numbers_of_other_authorities_are_accepted_art_59(demo_org: Any, number: str) -> None:
    assert not is_own_number(number)


def test_the_number_of_one_of_our_real_decisions_is_refused(staff: Any, travel: Any) -> None:
    """An adversary copies the number of a signed Kielce decision (and the znak sprawy of a real
    application) into the by-number form of another referral — both refused."""
    travel("2026-12-20")
    app = make_ready_application(received_on=date(2026, 11, 3))
    d = dsvc.decision_create(
        kind="odplatnosc", case=app.case, addressee=app.applicant, actor=staff.worker,
        lines=[{"benefit": "oplata_dps", "amount": "100", "period_from": "2026-12-01",
                "payment_method": "rzeczowa"}],
        case_reference=app.reference,
    )  # fmt: skip
    dsvc.decision_check(now=dates.now(), decision=d, actor=staff.head)
    d = dsvc.decision_sign(now=dates.now(), decision=d, actor=staff.director, on=D)
    assert d.number
    assert is_own_number(d.number) and is_own_number(f"  {d.number.lower()} ")
    assert is_own_number(app.reference)


def test_decide_form_refuses_kielce_with_the_field_named_nothing_saved(
    staff: Any, referral: Referral, client_for: Any
) -> None:
    c = client_for(staff.worker)
    url = f"/placowki/skierowania/{referral.pk}/"
    page = c.post(url, {"action": "decide", "decide-version": referral.version,
                        "decide-authority": "prezydent miasta kielce",
                        "decide-number": "ro1.8220.7.2026", "decide-on": "2026-11-26"})  # fmt: skip
    assert page.status_code == 422  # issue 17: a refusal at the field is 422, not 200
    errors = page.context["decide"].errors
    assert "authority" in errors and "number" in errors
    assert "Kielc" in errors["authority"][0]
    r = Referral.objects.get(pk=referral.pk)
    assert (r.status, r.referral_number, r.version) == ("zlozone", "", referral.version)


def test_decide_form_accepts_another_gmina(staff: Any, referral: Referral, client_for) -> None:
    c = client_for(staff.worker)
    url = f"/placowki/skierowania/{referral.pk}/"
    page = c.post(url, {"action": "decide", "decide-version": referral.version,
                        "decide-authority": "Wójt Gminy Masłów",
                        "decide-number": "GOPS.8220.7.2026", "decide-on": "2026-11-26"})  # fmt: skip
    assert page.status_code == 302
    r = Referral.objects.get(pk=referral.pk)
    assert (r.status, r.referral_number, r.referring_authority) == (
        "skierowany", "GOPS.8220.7.2026", "Wójt Gminy Masłów",
    )  # fmt: skip


def test_place_form_refuses_mopr_and_our_number(staff: Any, referral: Referral) -> None:
    r = services.referral_decide(referral=referral, number="GOPS.8220.7.2026", on=D,
                                 authority="Wójt Gminy Masłów",
                                 expected_version=referral.version)  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.referral_place(referral=r, authority="MOPR  Kielce", number="000123/RO1/2026",
                                on=D, expected_version=r.version)  # fmt: skip
    assert set(e.value.errors) == {"placement_authority", "placement_number"}
    r.refresh_from_db()
    assert r.placement_number == ""
    r = services.referral_place(referral=r, authority="Starosta Kielecki",
                                number="SO.8221.3.2026", on=D, expected_version=r.version)  # fmt: skip
    assert r.placement_number == "SO.8221.3.2026"
