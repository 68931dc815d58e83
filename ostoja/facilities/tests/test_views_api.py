"""Pages and API of social infrastructure through the views: role and unit scope, audited reads,
Polish errors with nothing half-saved."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry

from ostoja.facilities import services
from ostoja.facilities.models import Referral, Stay
from ostoja.facilities.tests.factories import make_facility, make_person, placed_referral


@pytest.fixture
def world(staff: Any, travel: Any) -> Any:
    now = travel("2026-03-02")
    home = make_facility(places=1, cost="7000.00", name="DPS Testowy")
    resident = make_person("Mieszkaniec")
    r = placed_referral(person=resident, actor=staff.worker, now=now, on=date(2026, 2, 2))
    stay = services.stay_admit(person=resident, facility=home, on=date(2026, 2, 2),
                               actor=staff.clerk, now=now, referral=r)  # fmt: skip
    ours = placed_referral(person=make_person("Oczekujacy"), actor=staff.worker, now=now,
                           on=date(2026, 2, 10))  # fmt: skip
    theirs = placed_referral(person=make_person("Obcy"), actor=staff.worker2, now=now,
                             on=date(2026, 2, 11), unit_code="ro2")  # fmt: skip
    services.waiting_list_add(referral=ours, facility=home, on=date(2026, 2, 10))
    services.waiting_list_add(referral=theirs, facility=home, on=date(2026, 2, 11))

    class W:
        pass

    w = W()
    w.home, w.stay, w.ours, w.theirs, w.resident, w.now = home, stay, ours, theirs, resident, now
    return w


@pytest.mark.parametrize("who", ["worker", "clerk", "director", "finance", "analyst"])
def test_register_and_api_list_for_roles_with_access(
    staff: Any, world: Any, client_for: Any, who: str
) -> None:
    c = client_for(getattr(staff, who))
    page = c.get("/placowki/")
    assert page.status_code == 200 and "DPS Testowy" in page.content.decode()
    data = c.get("/api/v1/facilities").json()
    row = next(x for x in data if x["id"] == world.home.pk)
    assert (row["type"], row["places"], row["occupied"], row["waiting"]) == ("dps", 1, 1, 2)
    assert c.get("/placowki/wolne-miejsca/").status_code == 200


def test_administrator_sees_no_facility_pages(staff: Any, world: Any, client_for: Any) -> None:
    c = client_for(staff.admin)
    assert c.get("/placowki/").status_code == 403
    assert c.get("/api/v1/facilities").status_code == 403
    assert c.get(f"/api/v1/facilities/{world.home.pk}/waiting-list").status_code == 403


def test_residents_only_within_the_facility_unit(staff: Any, world: Any, client_for: Any) -> None:
    name = world.resident.last_name
    clerk = client_for(staff.clerk).get(f"/placowki/{world.home.pk}/")
    assert name in clerk.content.decode()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=staff.clerk).exists()
    worker = client_for(staff.worker).get(f"/placowki/{world.home.pk}/")
    assert worker.status_code == 200 and name not in worker.content.decode()
    assert client_for(staff.worker).get(f"/placowki/pobyty/{world.stay.pk}/").status_code == 404
    assert client_for(staff.finance).get(f"/placowki/pobyty/{world.stay.pk}/").status_code == 404


def test_waiting_list_names_only_of_own_units(staff: Any, world: Any, client_for: Any) -> None:
    """The same queue for two districts: each worker sees positions, only own clients' names."""
    ours, theirs = world.ours.person.last_name, world.theirs.person.last_name
    page = client_for(staff.worker).get(f"/placowki/{world.home.pk}/lista-oczekujacych/")
    text = page.content.decode()
    assert ours in text and theirs not in text and "osoba z innej komórki" in text
    api = client_for(staff.worker2).get(f"/api/v1/facilities/{world.home.pk}/waiting-list").json()
    assert [e["position"] for e in api["entries"]] == [1, 2]
    assert api["entries"][0] == {**api["entries"][0], "person": "", "referral": None}
    assert theirs in api["entries"][1]["person"]
    assert (
        client_for(staff.worker2).get("/api/v1/facilities/999999/waiting-list").status_code == 404
    )


def test_referral_of_another_district_is_not_found(staff: Any, world: Any, client_for: Any) -> None:
    c = client_for(staff.worker2)
    assert c.get(f"/placowki/skierowania/{world.ours.pk}/").status_code == 404
    assert (
        client_for(staff.worker).get(f"/placowki/skierowania/{world.ours.pk}/").status_code == 200
    )


def test_admission_into_a_full_home_is_refused_with_a_polish_message(
    staff: Any, world: Any, client_for: Any
) -> None:
    c = client_for(staff.clerk)
    r = client_for(staff.clerk).post(
        f"/placowki/skierowania/{world.ours.pk}/",
        {"action": "admit", "choice-facility": world.home.pk, "choice-on": "2026-03-02"},
    )
    assert r.status_code == 422  # issue 17: a refusal at the field is 422, not 200
    assert "Brak wolnego miejsca" in r.content.decode()
    assert 'href="#id_choice-facility"' in r.content.decode()
    assert Stay.objects.filter(person=world.ours.person).count() == 0
    assert c.get("/placowki/naleznosci/").status_code == 403  # money: finance, management, head


def test_stale_referral_version_is_refused(staff: Any, world: Any, client_for: Any) -> None:
    c = client_for(staff.worker)
    r = c.post(f"/placowki/skierowania/{world.ours.pk}/",
               {"action": "documents", "version": 0, "doc_wniosek": "on"})  # fmt: skip
    page = r.content.decode()
    summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
    assert r.status_code == 409 and summary and "Ktoś inny zapisał" in summary.group(1)
    assert Referral.objects.get(pk=world.ours.pk).documents["wywiad"] is True
    # the adversary: a worker of another district posts the same form with the right version
    version = Referral.objects.get(pk=world.ours.pk).version
    r = client_for(staff.worker2).post(
        f"/placowki/skierowania/{world.ours.pk}/",
        {"action": "documents", "version": version, "doc_wniosek": "on"},
    )
    assert r.status_code == 404
    assert Referral.objects.get(pk=world.ours.pk).documents["wywiad"] is True


def test_finance_builds_charges_once(staff: Any, world: Any, client_for: Any) -> None:
    from decimal import Decimal

    services.fee_set(stay=world.stay, valid_from=date(2026, 2, 2), resident_income=Decimal("1800"),
                     relatives=[], actor=staff.clerk, now=world.now)  # fmt: skip
    c = client_for(staff.finance)
    for _ in range(2):
        r = c.post("/placowki/naleznosci/", {"month": "2026-03-01"})
        assert r.status_code == 302
    page = c.get("/placowki/naleznosci/?miesiac=2026-03").content.decode()
    assert "1\u00a0260,00\u00a0zł" in page and "5\u00a0740,00\u00a0zł" in page
    assert (
        client_for(staff.director)
        .post("/placowki/naleznosci/", {"month": "2026-03-01"})
        .status_code
        == 404
    )


def test_worker_without_a_client_on_the_list_is_refused_and_audited(
    staff: Any, world: Any, client_for: Any, make_staff: Any
) -> None:
    from ostoja.org.roles import Role

    ro3 = make_staff("sw_ro3", role=Role.SOCIAL_WORKER, unit_code="ro3")
    c = client_for(ro3)
    assert c.get(f"/placowki/{world.home.pk}/lista-oczekujacych/").status_code == 404
    assert c.get(f"/api/v1/facilities/{world.home.pk}/waiting-list").status_code == 404
    refused = LogEntry.objects.filter(actor=ro3, action=LogEntry.Action.ACCESS)
    assert refused.count() == 2 and all(e.additional_data.get("refused") for e in refused)


def test_three_month_rule_through_the_referral_page(
    staff: Any, world: Any, client_for: Any
) -> None:
    """The full home freed no place in a year (wait cannot be estimated → over 3 months); an
    empty home of the same type is offered and the entry moves (art. 54 ust. 2a)."""
    other = make_facility(places=1, name="DPS Drugi")
    c = client_for(staff.worker)
    page = c.get(f"/placowki/skierowania/{world.ours.pk}/").content.decode()
    assert "art. 54 ust. 2a" in page and "DPS Drugi" in page
    r = c.post(f"/placowki/skierowania/{world.ours.pk}/",
               {"action": "move", "entry": world.ours.entries.get().pk, "target": other.pk})  # fmt: skip
    assert r.status_code == 302
    assert world.ours.entries.get(status="oczekuje").facility_id == other.pk


def test_movements_through_the_stay_page(staff: Any, world: Any, client_for: Any) -> None:
    other = make_facility(places=1, name="DPS Trzeci")
    c = client_for(staff.clerk)
    url = f"/placowki/pobyty/{world.stay.pk}/"
    r = c.post(url, {"action": "move", "on": "2026-03-02"})
    assert r.status_code == 422  # the movement is missing: a Polish error, nothing saved
    assert "To pole jest wymagane" in r.content.decode()
    r = c.post(url, {"action": "move", "movement": "nieobecnosc", "on": "2026-03-02"})
    assert "Wybierz rodzaj nieobecności" in r.content.decode()
    r = c.post(url, {"action": "move", "movement": "nieobecnosc", "on": "2026-03-02",
                     "absence_kind": "szpital"})  # fmt: skip
    assert r.status_code == 302 and world.stay.absences.count() == 1
    moved = c.post(url, {"action": "move", "movement": "przeniesienie", "on": "2026-03-10",
                         "target": other.pk})  # fmt: skip
    assert moved.status_code == 302
    new = Stay.objects.get(person=world.resident, ended_on__isnull=True)
    assert new.facility_id == other.pk and new.transferred_from_id == world.stay.pk
    assert client_for(staff.worker).post(url, {"action": "move"}).status_code == 404


def test_finance_records_a_new_average_cost(staff: Any, world: Any, client_for: Any) -> None:
    """Art. 60 ust. 2: the new cost from the month after publication; others may not set it."""
    url = f"/placowki/{world.home.pk}/"
    data = {"amount": "7350.00", "valid_from": "2026-04-01",
            "act_reference": "Zarządzenie nr 80/2026 Prezydenta Miasta Kielce (demo)"}  # fmt: skip
    assert client_for(staff.clerk).post(url, data).status_code == 403
    bad = client_for(staff.finance).post(url, {**data, "valid_from": "2019-01-01"})
    assert "Istnieje już koszt" in bad.content.decode()
    assert client_for(staff.finance).post(url, data).status_code == 302
    assert services.cost_on(facility=world.home, on=date(2026, 4, 1)).amount == 7350
    assert services.cost_on(facility=world.home, on=date(2026, 3, 31)).amount == 7000
