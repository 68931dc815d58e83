"""Adversarial tests of the code added on 6.12.2026 (git log integ since d99587c): the two-person
correction of a care order's paper day, background files and their download, art. 18 RODO
payments held back at approval and export, the receivable's budget classification, and the
MRPiPS-03 drill-down's keyset paging. One test per attack; each docstring names the rule."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

DRILL = "/analiza/mrpips03/2026-H1/1B/TOTAL/families/"


# ------------------------------------------------------------------ MRPiPS-03 keyset drill-down


@pytest.mark.parametrize(
    "query",
    [
        {"po": "9999999999999999999.0.x"},
        {"przed": "1.9999999999999999999.x"},
        {"po": "-9999999999999999999.0.x"},
    ],
    ids=["case-overflow", "num-overflow", "negative-overflow"],
)
def test_keyset_key_past_the_integer_range_is_404_not_500(
    demo: Any, users: dict[str, Any], client_for: Any, query: dict[str, str]
) -> None:
    """Issue 13 (keyset paging): a forged ``?po=``/``?przed=`` key whose number does not fit the
    database's integer is a malformed key — 404 like any other, never a 500 from the driver."""
    client = client_for(users["dyrektor"])
    client.raise_request_exception = False
    assert client.get(DRILL, query).status_code == 404


def test_keyset_key_with_a_nul_is_404(demo: Any, users: dict[str, Any], client_for: Any) -> None:
    """Issue 13: a key whose reference part holds a NUL (PostgreSQL refuses it in text) is a
    malformed key — 404, not a driver error."""
    client = client_for(users["dyrektor"])
    client.raise_request_exception = False
    assert client.get(DRILL, {"po": "1.0.ab\x00c"}).status_code == 404


# ------------------------------------------------------------------ care: paper day, two people

ORDER_ON = "2026-12-10"


def _care_people(make_staff: Any) -> tuple[Any, Any, Any]:
    from ostoja.org.roles import Role

    worker = make_staff("att_sw_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    head = make_staff("att_kier_ro1", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    other = make_staff("att_sw_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    return worker, head, other


def _paper_order(worker: Any, *, unit_code: str = "ro1") -> Any:
    from datetime import date

    from ostoja.care.tests.helpers import order_for
    from ostoja.socialwork.tests.factories import make_case

    case = make_case(unit_code=unit_code, worker=worker)
    return order_for(
        worker, on=date(2026, 12, 10), case=case, paper_enforceable_from=date(2026, 12, 5)
    )


def _proposal(order: Any, actor: Any) -> Any:
    from datetime import date

    from ostoja.care import services as svc
    from ostoja.core import dates

    return svc.care_order_paper_day_propose(
        order=order, new_day=date(2026, 12, 3), reason="Przepisano datę doręczenia.",
        evidence="Decyzja z adnotacją o ostateczności", actor=actor,
        now=dates.noon(date(2026, 12, 10)), expected_version=order.version,
    )  # fmt: skip


def _order_url(order: Any) -> str:
    return f"/uslugi/zlecenia/{order.pk}/"


def test_care_forged_correction_id_of_another_units_order_is_404(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """Art. 130 KPA correction, two people, in the order's unit: a ro1 head posts, on a ro1
    order's page, the id of a ro2 order's pending proposal — 404, the ro2 proposal stays."""
    travel(ORDER_ON)
    worker, head, other = _care_people(make_staff)
    mine = _paper_order(worker)
    foreign = _proposal(_paper_order(other, unit_code="ro2"), other)
    client = client_for(head)
    for action in ("day_confirm", "day_reject"):
        r = client.post(_order_url(mine), {"action": action, "correction": foreign.pk})
        assert r.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "oczekuje" or foreign.decided_by_id is None


def test_care_confirmation_replayed_changes_nothing_the_second_time(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """Two-person correction: the head's confirmation posted twice (a replay or a double click)
    sets the day once; the second answer is the Polish conflict at the page, not a 500."""
    from ostoja.care.models import CareOrder

    travel(ORDER_ON)
    worker, head, _ = _care_people(make_staff)
    order = _paper_order(worker)
    proposal = _proposal(order, worker)
    client = client_for(head)
    data = {"action": "day_confirm", "correction": proposal.pk}
    assert client.post(_order_url(order), data).status_code == 302
    version = CareOrder.objects.get(pk=order.pk).version
    again = client.post(_order_url(order), data)
    assert again.status_code in (409, 422)
    assert "już rozstrzygnięta" in again.content.decode()
    assert CareOrder.objects.get(pk=order.pk).version == version


def test_care_proposer_confirming_through_the_page_is_refused_at_the_form(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """Zasada dwóch par oczu: the head who proposed (also the order's worker here) confirms
    their own proposal through the page — refused with the Polish message, the day unchanged."""
    from ostoja.care.models import CareOrder

    travel(ORDER_ON)
    _, head, _ = _care_people(make_staff)
    order = _paper_order(head)
    proposal = _proposal(order, head)
    r = client_for(head).post(
        _order_url(order), {"action": "day_confirm", "correction": proposal.pk}
    )
    assert r.status_code in (403, 422)
    assert "inna osoba" in r.content.decode()
    assert str(CareOrder.objects.get(pk=order.pk).paper_enforceable_from) == "2026-12-05"


def test_care_get_with_the_confirm_fields_changes_nothing(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """HTTP method confusion: the confirmation's fields in a GET query string do not confirm
    (only a POST writes)."""
    from ostoja.care.models import PaperDayCorrection

    travel(ORDER_ON)
    worker, head, _ = _care_people(make_staff)
    order = _paper_order(worker)
    proposal = _proposal(order, worker)
    r = client_for(head).get(
        _order_url(order), {"action": "day_confirm", "correction": proposal.pk}
    )
    assert r.status_code == 200
    assert PaperDayCorrection.objects.get(pk=proposal.pk).decided_by_id is None


def test_care_confirmation_without_csrf_token_is_refused(make_staff: Any, travel: Any) -> None:
    """CSRF: a cross-site form posting the confirmation with the head's session cookie is
    refused (403), the proposal still waits."""
    from django.test import Client

    from ostoja.care.models import PaperDayCorrection

    travel(ORDER_ON)
    worker, head, _ = _care_people(make_staff)
    order = _paper_order(worker)
    proposal = _proposal(order, worker)
    client = Client(enforce_csrf_checks=True)
    client.force_login(head)
    r = client.post(_order_url(order), {"action": "day_confirm", "correction": proposal.pk})
    assert r.status_code == 403
    assert PaperDayCorrection.objects.get(pk=proposal.pk).decided_by_id is None


def test_care_proposal_just_after_midnight_in_warsaw_may_name_the_new_local_day(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """Art. 130 KPA day not after today: at 00:00 on 1.01.2027 in Warsaw (UTC still 31.12.2026)
    the corrected day 1.01.2027 is today, not a future day; a day after it is refused."""
    from ostoja.care.models import PaperDayCorrection

    travel(ORDER_ON)
    worker, _, _ = _care_people(make_staff)
    order = _paper_order(worker)
    travel("2027-01-01", hour=0)
    client = client_for(worker)
    base = {"action": "day_propose", "reason": "Błędna data", "evidence": "Decyzja z adnotacją",
            "version": order.version}  # fmt: skip
    r = client.post(_order_url(order), {**base, "new_day": "2027-01-02"})
    assert r.status_code == 422
    assert not PaperDayCorrection.objects.filter(order=order).exists()
    r = client.post(_order_url(order), {**base, "new_day": "2027-01-01"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert PaperDayCorrection.objects.get(order=order).new_day.isoformat() == "2027-01-01"


# ------------------------------------------------------------------ background files


def test_files_request_by_get_is_405_and_queues_nothing(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    """HTTP method confusion on /moje-pliki/zlec/: a GET (a link, an <img>) queues no job."""
    from ostoja.ops.models import GeneratedFile

    before = GeneratedFile.objects.count()
    r = client_for(users["dyrektor"]).get(
        "/moje-pliki/zlec/", {"kind": "mrpips03", "okres": "2026-H1", "format": "xlsx"}
    )
    assert r.status_code == 405
    assert GeneratedFile.objects.count() == before


def test_files_request_without_csrf_token_is_refused(demo: Any, users: dict[str, Any]) -> None:
    """CSRF: a cross-site form queueing a report file with a logged-in session is refused."""
    from django.test import Client

    from ostoja.ops.models import GeneratedFile

    before = GeneratedFile.objects.count()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["dyrektor"])
    r = client.post("/moje-pliki/zlec/", {"kind": "mrpips03", "okres": "2026-H1", "format": "xlsx"})
    assert r.status_code == 403
    assert GeneratedFile.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "haslo", "okres": "2026-H1", "format": "xlsx"},
        {"kind": "mrpips03", "okres": "2026-H1", "format": "../../etc/passwd"},
        {"kind": "decyzje_dnia", "dzien": "2026-12-04\r\nX-Evil: 1"},
    ],
    ids=["unknown-kind", "forged-format", "header-injection-day"],
)
def test_files_forged_fields_are_refused_at_the_field(
    demo: Any, users: dict[str, Any], client_for: Any, data: dict[str, str]
) -> None:
    """Forged POST fields of a file request (a kind that does not exist, a format outside the
    list, a day carrying a header) are refused (422 at the form, 409 from the service), nothing queued."""
    from ostoja.ops.models import GeneratedFile

    before = GeneratedFile.objects.count()
    r = client_for(users["dyrektor"]).post("/moje-pliki/zlec/", data)
    assert r.status_code in (409, 422)
    assert GeneratedFile.objects.count() == before


def test_files_another_persons_file_by_a_post_is_still_404(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    """Horizontal access with method confusion: another person's file asked for by POST (not
    the GET the list links) is 404 like any other file that is not theirs."""
    from datetime import timedelta

    from ostoja.core.dates import now
    from ostoja.ops.models import GeneratedFile, GeneratedFileStatus

    t = now()
    row = GeneratedFile.objects.create(
        requested_by=users["dyrektor"], kind="mrpips03", params={"okres": "2026-H1", "format": "xlsx"},
        params_key="att", created_at=t, expires_at=t + timedelta(days=7),
        status=GeneratedFileStatus.DONE, data=b"secret", size=6, filename="x.xlsx",
        content_type="application/octet-stream",
    )  # fmt: skip
    other = next(
        u for name, u in users.items() if name != "dyrektor" and u.has_perm("analysis.view_reports")
    )
    client = client_for(other)
    client.raise_request_exception = False
    for method in (client.get, client.post):
        r = method(f"/moje-pliki/{row.pk}/pobierz/")
        assert r.status_code == 404 and b"secret" not in r.content


# ------------------------------------------------------------------ art. 18 RODO: payments held back

PERSON = 777


@pytest.fixture
def pay_people(make_staff: Any) -> tuple[Any, Any, Any]:
    """The clerk who runs the month, and two finance users."""
    from ostoja.org.roles import Role
    from ostoja.org.services import instance_settings_ensure
    from ostoja.payments.testing import ORDERING_NRB

    obj = instance_settings_ensure()
    obj.bank_account = ORDERING_NRB
    obj.save()
    return (
        make_staff("att_swiad", role=Role.BENEFITS_CLERK, unit_code="dps"),
        make_staff("att_ksieg", role=Role.FINANCE, unit_code="fk"),
        make_staff("att_ksieg2", role=Role.FINANCE, unit_code="fk"),
    )


def _pay_list(clerk: Any, at: Any, month: Any) -> Any:
    from ostoja.payments import services
    from ostoja.payments.models import PaymentList
    from ostoja.payments.testing import make_line

    lines = [make_line(1, amount="600.00"), make_line(2, amount="500.00", person_id=PERSON)]
    services.payroll_build(month=month, lines=lines, actor=clerk, now=at)
    return PaymentList.objects.get(month=month.first_day, status="robocza")


def _restrict_at(person_id: int, actor: Any, at: Any) -> Any:
    from ostoja.ops.models import ProcessingRestriction

    return ProcessingRestriction.objects.create(
        person_id=person_id, reason="Wniosek osoby, art. 18 ust. 1 lit. a", started_by=actor,
        started_at=at,
    )  # fmt: skip


def test_art18_restriction_started_just_after_midnight_in_warsaw_holds_back_at_approval(
    pay_people: tuple[Any, Any, Any],
) -> None:
    """Art. 18 RODO at approval: a restriction started at 00:30 on 1.01.2027 in Warsaw (23:30
    UTC on 31.12.2026) is in force for an approval at 00:45 Warsaw (the instant decides, not a
    UTC date): the person's payment leaves the list; an approval a quarter of an hour before the
    restriction would not have held it back."""
    from datetime import UTC, date, datetime, timedelta

    from ostoja.law.periods import YearMonth
    from ostoja.payments import services
    from ostoja.payments.models import Payment
    from ostoja.payments.services.restricted import restricted_of

    clerk, finance, _ = pay_people
    start = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    pl = _pay_list(clerk, start - timedelta(days=1), YearMonth(2027, 1))
    _restrict_at(PERSON, clerk, start)
    before = restricted_of(list(pl.payments.all()), now=start - timedelta(minutes=15))
    assert before == []
    approved = services.payment_list_approve(
        list_id=pl.id, actor=finance, execution_date=date(2027, 1, 4),
        expected_version=pl.version, now=start + timedelta(minutes=15),
    )  # fmt: skip
    assert [e["person"] for e in approved.restricted] == [PERSON]
    assert approved.payment_count == 1
    assert Payment.objects.get(person_id=PERSON).list_id != pl.id


def test_art18_a_second_export_after_a_restriction_withholds_nothing_twice(
    pay_people: tuple[Any, Any, Any],
) -> None:
    """Art. 18 RODO at export, replayed: the list exported (the file is the payment order sent),
    the person restricted afterwards, the export asked again — the same format gives the stored
    file byte for byte (it was sent before the restriction); a NEW format is refused at the
    format field (it would be a second payment order for a restricted person); nothing is
    cancelled or replaced, no second payment exists."""
    from datetime import UTC, date, datetime, timedelta

    from ostoja.law.periods import YearMonth
    from ostoja.payments import services
    from ostoja.payments.models import Payment, PaymentStatus

    clerk, finance, _ = pay_people
    t0 = datetime(2027, 2, 5, 9, tzinfo=UTC)
    pl = _pay_list(clerk, t0, YearMonth(2027, 2))
    pl = services.payment_list_approve(
        list_id=pl.id, actor=finance, execution_date=date(2027, 2, 10),
        expected_version=pl.version, now=t0 + timedelta(hours=1),
    )  # fmt: skip
    first = services.payment_list_export(
        list_id=pl.id, fmt="elixir", actor=finance, now=t0 + timedelta(hours=2)
    )
    _restrict_at(PERSON, clerk, t0 + timedelta(hours=3))
    again = services.payment_list_export(
        list_id=pl.id, fmt="elixir", actor=finance, now=t0 + timedelta(hours=4)
    )
    assert again.pk == first.pk and again.sha256 == first.sha256
    with pytest.raises(ValidationFailed) as refused:
        services.payment_list_export(
            list_id=pl.id, fmt="pain001", actor=finance, now=t0 + timedelta(hours=5)
        )
    assert "art. 18 RODO" in str(refused.value)
    mine = Payment.objects.filter(person_id=PERSON)
    assert mine.count() == 1 and mine.get().status == PaymentStatus.EXPORTED


# ------------------------------------------------------------------ receivable budget classification

CHARGES_URL = "/placowki/naleznosci/"


def _feb_charges(users: dict[str, Any], travel: Any) -> dict[str, Any]:
    """February 2026's charges of a DPS resident and a daughter (as the facilities tests)."""
    from datetime import date
    from decimal import Decimal as D
    from types import SimpleNamespace

    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.facilities import services
    from ostoja.facilities.models import Charge
    from ostoja.facilities.services import RelativeIn
    from ostoja.facilities.tests.factories import fee_decided, make_facility, placed_referral

    now = travel("2026-03-02")
    f = make_facility(places=2, cost="7000.00", on=date(2025, 1, 1), unit_code="ro1")
    p = make_ready_application(received_on=date(2026, 1, 5)).applicant
    r = placed_referral(person=p, actor=users["socjalny"], now=now, on=date(2026, 1, 16))
    stay = services.stay_admit(person=p, facility=f, on=date(2026, 1, 16), actor=users["socjalny"],
                               now=now, referral=r)  # fmt: skip
    fee = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                           relatives=[RelativeIn("Anna Nowak", "corka", 1, D("4500"))],
                           actor=users["swiadczenia"], now=now)  # fmt: skip
    staff = SimpleNamespace(clerk=users["swiadczenia"], head=users["kierownik"],
                            director=users["dyrektor"], worker=users["socjalny"])  # fmt: skip
    # The resident's fee is decided, enforceable on 28.02.2026 — a day the world's director
    # is authorised on whatever day the suite runs (his authorisation starts two years back).
    fee_decided(fee, staff, date(2026, 2, 28), immediate=True)
    services.charges_build(month=date(2026, 2, 1), now=now)
    return {c.payer_kind: c for c in Charge.objects.filter(stay=stay, month=date(2026, 2, 1))}


def test_budget_forged_classification_field_is_ignored(
    demo: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    """The receivable's budget classification (§ 0830 income, the dated law-core parameter) is
    derived by the service: a POST carrying its own ``budget``/``budget_basis`` (the expense
    § 4330, a made-up basis) does not reach the register."""
    from ostoja.payments.models import Receivable

    charges = _feb_charges(users, travel)
    resident = charges["mieszkaniec"]
    r = client_for(users["ksiegowosc"]).post(
        CHARGES_URL,
        {"action": "receivable", "charge": resident.pk, "budget": "852 85202 §4330",
         "budget_basis": "podrobione"},
    )  # fmt: skip
    assert r.status_code == 302
    resident.refresh_from_db()
    rec = Receivable.objects.get(pk=resident.receivable_id)
    assert rec.budget == "852 85202 §0830" and "podrobione" not in rec.budget_basis


def test_budget_city_share_forged_as_a_receivable_is_refused(
    demo: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    """Forged charge id: finance posts the city's own share (§ 4330, an expense of the city) as
    a payer's receivable — refused, no receivable with the expense paragraph exists."""
    from ostoja.payments.models import Receivable

    charges = _feb_charges(users, travel)
    before = Receivable.objects.count()
    r = client_for(users["ksiegowosc"]).post(
        CHARGES_URL, {"action": "receivable", "charge": charges["gmina"].pk}
    )
    # Issue 17: refused on the charges page, the reason in the summary on top.
    assert r.status_code == 409 and "Udział gminy nie jest należnością" in r.content.decode()
    assert Receivable.objects.count() == before
    assert not Receivable.objects.filter(budget__contains="4330").exists()


def test_budget_receivable_by_get_or_without_csrf_registers_nothing(
    demo: Any, users: dict[str, Any], travel: Any, client_for: Any
) -> None:
    """Method confusion and CSRF: the 'register the receivable' fields in a GET, or a POST
    without the CSRF token from finance's session, register nothing."""
    from django.test import Client

    from ostoja.facilities.models import Charge

    charges = _feb_charges(users, travel)
    pk = charges["mieszkaniec"].pk
    client_for(users["ksiegowosc"]).get(CHARGES_URL, {"action": "receivable", "charge": pk})
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(users["ksiegowosc"])
    assert forged.post(CHARGES_URL, {"action": "receivable", "charge": pk}).status_code == 403
    assert Charge.objects.get(pk=pk).receivable_id is None


def test_budget_month_over_just_after_midnight_in_warsaw(
    demo: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    """The receivable waits for the month's end in Warsaw: at 23:00 on 28.02.2026 it is
    refused; at 00:00 on 1.03.2026 Warsaw (UTC still 28 February) February is over and the
    receivable carries February's classification."""
    from ostoja.facilities.models import Charge
    from ostoja.payments.models import Receivable

    charges = _feb_charges(users, travel)
    pk = charges["mieszkaniec"].pk
    travel("2026-02-28", hour=23)
    early = client_for(users["ksiegowosc"]).post(
        CHARGES_URL, {"action": "receivable", "charge": pk}
    )
    assert early.status_code == 409 and "data-error-summary" in early.content.decode()
    assert Charge.objects.get(pk=pk).receivable_id is None
    travel("2026-03-01", hour=0)
    client_for(users["ksiegowosc"]).post(CHARGES_URL, {"action": "receivable", "charge": pk})
    rec = Receivable.objects.get(pk=Charge.objects.get(pk=pk).receivable_id)
    assert rec.budget == "852 85202 §0830"


@pytest.mark.parametrize(
    "query",
    [
        {"po": "1.0.a", "przed": "2.0.b"},
        {"po": "1.0.a", "koniec": "1"},
        {"po": "1.0." + "x" * 150},
        {"przed": "1.0.Łódź.ż.ó"},
        {"po": "0.0."},
        {"po": ["1.0.a", "2.0.b"]},
    ],
    ids=["both-keys", "key-and-end", "long-ref", "unicode-ref", "zero-key", "repeated-key"],
)
def test_keyset_odd_key_combinations_answer_a_page_or_404(
    demo: Any, users: dict[str, Any], client_for: Any, query: dict[str, Any]
) -> None:
    """Issue 13 keyset paging, forged query strings: two keys at once, a key with ``koniec``, a
    reference past the column's 40 characters, non-ASCII, a zero key, a repeated parameter —
    each answers a page or 404, never a 500."""
    client = client_for(users["dyrektor"])
    client.raise_request_exception = False
    assert client.get(DRILL, query).status_code in (200, 404)


def test_keyset_drilldown_is_not_opened_by_a_role_without_reports(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    """The drill-down with a key handed over from the director's page is still refused to a
    role without the reports (the key is no capability)."""
    client = client_for(users["socjalny"])
    client.raise_request_exception = False
    assert client.get(DRILL, {"po": "1.0."}).status_code in (403, 404)


def test_care_worker_of_another_unit_cannot_propose_on_the_order(
    make_staff: Any, client_for: Any, travel: Any
) -> None:
    """Two-person correction in the order's unit: a ro2 worker posting a proposal to a ro1
    order's page (a forged order id in the URL) gets 404, nothing is proposed."""
    from ostoja.care.models import PaperDayCorrection

    travel(ORDER_ON)
    worker, _, other = _care_people(make_staff)
    order = _paper_order(worker)
    r = client_for(other).post(
        _order_url(order),
        {"action": "day_propose", "new_day": "2026-12-03", "reason": "x", "evidence": "y",
         "version": order.version},
    )  # fmt: skip
    assert r.status_code == 404
    assert not PaperDayCorrection.objects.filter(order=order).exists()
