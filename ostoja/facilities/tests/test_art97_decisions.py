"""The fee decision of an art. 97 stay (issue 14; art. 97 ust. 1, 1a i 5 u.p.s.) through the
decisions workflow from the stay page: the amount is the law core's ``calculate_art97``, the
unconfirmed Kielce table leaves a warning on the draft (the check refuses it until removed),
the drafter cannot check it (four eyes), then signature and delivery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.decisions import services as dsvc
from ostoja.decisions.models import Decision
from ostoja.decisions.services.kinds import ART97_UNCONFIRMED_NOTE
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import FeeArrangement
from ostoja.facilities.tests.factories import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee(staff: Any, travel: Any) -> FeeArrangement:
    now = travel("2026-12-01")
    app = make_ready_application(received_on=date(2026, 11, 3))
    shelter = make_facility(kind="schronisko", subtypes=[], places=1, cost="1200.00",
                            on=date(2026, 1, 1))  # fmt: skip
    stay = services.stay_admit(person=app.applicant, facility=shelter, on=date(2026, 11, 2),
                               actor=staff.clerk, now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 1/2026")  # fmt: skip
    return services.fee_set_art97(stay=stay, valid_from=date(2026, 12, 1),
                                  household_income=Decimal("1500.00"), household_size=1,
                                  actor=staff.clerk, now=now)  # fmt: skip


def _draft(c: Any, fee: FeeArrangement) -> Any:
    return c.post(f"/placowki/pobyty/{fee.stay_id}/", {"action": "fee_decision", "fee": fee.pk})


def test_art_97_fee_decision_drafted_from_the_stay_page_with_the_law_core_amount(
    staff: Any, fee: FeeArrangement, client_for: Any
) -> None:
    c = client_for(staff.clerk)
    page = c.get(f"/placowki/pobyty/{fee.stay_id}/")
    assert "Przygotuj projekt decyzji o odpłatności" in page.content.decode()
    resp = _draft(c, fee)
    assert resp.status_code == 302
    fee.refresh_from_db()
    d = fee.fee_decision
    assert resp["Location"] == f"/decyzje/{d.pk}/"
    assert (d.kind, d.status) == ("odplatnosc", "projekt")
    line = d.lines.get()
    assert (line.benefit, line.amount) == ("schronienie", Decimal("240.00"))  # calculate_art97
    assert any("art. 97" in b for b in d.trace_bases)
    # The placeholder table (confirmed = false): the warning stays on the draft.
    assert ART97_UNCONFIRMED_NOTE in d.justification
    assert "nie zostały potwierdzone" in (c.get(f"/decyzje/{d.pk}/").content.decode())
    # Asking twice is refused — one decision per fee arrangement.
    again = _draft(c, fee)
    assert again.status_code == 409 and Decision.objects.filter(kind="odplatnosc").count() == 1
    summary = again.content.decode().split("data-error-summary", 1)[1][:2000]
    assert "już istnieje" in summary  # on top of the stay's page, not a flash


def test_art_97_decision_four_eyes_warning_check_sign_deliver(
    staff: Any, fee: FeeArrangement, client_for: Any, travel: Any
) -> None:
    clerk, head, director = (
        client_for(staff.clerk),
        client_for(staff.head),
        client_for(staff.director),
    )
    _draft(clerk, fee)
    fee.refresh_from_db()
    d = fee.fee_decision
    url = f"/decyzje/{d.pk}/czynnosc/"
    # The warning is internal: nobody can check the draft while it is in the justification.
    head.post(url + "sprawdz/")
    assert Decision.objects.get(pk=d.pk).status == "projekt"
    d = dsvc.decision_justification_edit(
        decision=d, actor=staff.clerk, expected_version=d.version,
        text=d.justification.replace(ART97_UNCONFIRMED_NOTE, "").strip(),
    )  # fmt: skip
    # Four eyes: the drafter cannot check their own draft.
    clerk.post(url + "sprawdz/")
    assert Decision.objects.get(pk=d.pk).status == "projekt"
    head.post(url + "sprawdz/")
    assert Decision.objects.get(pk=d.pk).checker_id == staff.head.pk
    director.post(url + "podpisz/")
    d = Decision.objects.get(pk=d.pk)
    assert d.is_signed and d.number
    clerk.post(url + "wyslij/", {"channel": "zpo"})
    clerk.post(url + "doreczenie/", {"channel": "zpo", "delivered_on": "2026-12-01"})
    d = Decision.objects.get(pk=d.pk)
    assert d.delivered_on == date(2026, 12, 1) and d.final_on is not None
    page = clerk.get(f"/placowki/pobyty/{fee.stay_id}/").content.decode()
    assert f"decyzja nr {d.number}" in page


def test_a_dps_fee_is_not_an_art_97_decision(staff: Any, fee: FeeArrangement) -> None:
    """The art. 97 draft refuses an arrangement that is not an art. 97 fee."""
    from ostoja.core.errors import ValidationFailed

    fee.inputs = {**fee.inputs, "basis": "art. 61"}
    with pytest.raises(ValidationFailed) as e:
        services.fee_decision_draft_art97(fee=fee, actor=staff.clerk)
    assert e.value.field == "fee"
