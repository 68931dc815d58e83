"""Issue 20 — the insider holes of the High section and the first Medium item.

Each test is named after its finding and fails on the code before the fix. They build their
own data on the demo organisation (units, the eight demo accounts, authorisations) rather than
on the whole demo, so they run in a few seconds each.

- H1 protected case: reassignment or cover only by the head of the case's unit, audited.
- H2 audit rows of protected content hold references, never the text (art. 100 u.p.s.).
- H3 scope follows the case's current unit: one household member registered elsewhere opens
  nothing; reads and writes alike; an ended membership gives nothing.
- H4 a PESEL clash outside the user's scope names no one, and the probe is audited.
- H5 four eyes bound to content: every editor is a maker; a check holds the content hash.
- H6 money needs two people: list makers (run, re-issue, statement import) never approve or
  export; a re-issue to a changed account needs a second person; a statement must be of the
  centre's account and reconcile.
- M1 every API write made with a bearer token names its user in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ostoja.core.dates import noon
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.org.roles import Role
from ostoja.payments.testing import EXPORT_NOW

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
NOW = noon(ON)
NRB = "61109010140000071219812874"
NEW_NRB = "48109010140000000123456789"


@pytest.fixture
def staff(demo_org: None, make_staff: Callable[..., Any]) -> Any:
    """The demo's ro1 worker, head and director, a second ro1 worker and an ro2 worker."""
    User = get_user_model()

    class Staff:
        worker = User.objects.get(username="socjalny")
        head = User.objects.get(username="kierownik")
        director = User.objects.get(username="dyrektor")
        colleague = make_staff("ins_sw_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
        stranger = make_staff("ins_sw_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")

    return Staff()


def _token_client(user: Any) -> Client:
    from ostoja.org.services import api_token_create

    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _protected_case(staff: Any, *, secret: str) -> Any:
    from ostoja.socialwork import services as sw
    from ostoja.socialwork.tests.factories import make_case

    case = make_case(worker=staff.worker)
    sw.note_add(
        case=case, user=staff.worker, category="konsultacja", occurred_on=ON, text=secret, now=NOW
    )
    sw.case_protect(case=case, protected=True, reason="Niebieska Karta", user=staff.head, now=NOW)
    case.refresh_from_db()
    return case


# ------------------------------------------------------------------ H1


def test_finding_h1_reassign_protected_case_needs_head(staff: Any, client_for: Any) -> None:
    """A same-unit colleague cannot make themself the worker of a protected case (and so read
    its notes without break-glass); the head can, and the change is audited as protected."""
    from ostoja.cases import services as cases_services
    from ostoja.socialwork import selectors as sw_sel
    from ostoja.socialwork.policy import Access

    case = _protected_case(staff, secret="Ustalenia procedury NK — H1.")
    r = client_for(staff.colleague).post(
        reverse("cases:case_assign", args=[case.pk]),
        {"worker": staff.colleague.pk, "version": case.version},
    )
    assert r.status_code in (302, 403)
    case.refresh_from_db()
    assert case.worker_id == staff.worker.pk
    assert sw_sel.note_access(user=staff.colleague, case=case, now=NOW) is Access.NEEDS_REASON
    with pytest.raises(NotPermitted):
        cases_services.case_assign(
            case=case,
            worker=staff.colleague,
            expected_version=case.version,
            user=staff.colleague,
            now=NOW,
        )
    # An unassigned protected case is never handed out automatically either.
    case.worker = None
    case.save()
    assert (
        cases_services.case_assign_district_worker(case=case, user=staff.colleague, now=NOW) is None
    )
    # The head decides: allowed, and audited with the protected flag and both workers.
    cases_services.case_assign(
        case=case, worker=staff.colleague, expected_version=case.version, user=staff.head, now=NOW
    )
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=staff.head, object_pk=str(case.pk)
    ).latest("pk")
    assert entry.additional_data["protected"] is True
    assert entry.additional_data["worker_id"] == staff.colleague.pk
    # Cover: the head's only, inside the case's unit, audited with the head's reason.
    from ostoja.socialwork import services as sw

    cover = {"kind": "zastepstwo", "starts_on": ON, "ends_on": date(2026, 12, 4), "now": NOW}
    with pytest.raises(NotPermitted):
        sw.case_reassign(
            case=case, worker=staff.worker, reason="Urlop", user=staff.colleague, **cover
        )
    with pytest.raises(ValidationFailed):
        sw.case_reassign(case=case, worker=staff.stranger, reason="Urlop", user=staff.head, **cover)
    sw.case_reassign(case=case, worker=staff.worker, reason="Urlop", user=staff.head, **cover)
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=staff.head, object_pk=str(case.pk)
    ).latest("pk")
    assert entry.additional_data["assignment"] == "zastepstwo"
    assert entry.additional_data["reason"] == "Urlop"


# ------------------------------------------------------------------ H2


def test_finding_h2_no_protected_text_in_audit_rows(staff: Any) -> None:
    """No audit row (change log or access record) holds the text of a note, its correction,
    a visit's purpose, a contract or a plan of a protected case — before or after protection."""
    from ostoja.registry.models import Person
    from ostoja.socialwork import services as sw
    from ostoja.socialwork.models import CaseNote

    secrets = {
        "note": "SEKRET-NOTATKA sprawca grozi rodzinie",
        "later": "SEKRET-PO-OCHRONIE adres schronienia",
        "correction": "SEKRET-KOREKTA nowy adres",
        "reason": "SEKRET-POWOD-KOREKTY",
        "visit": "SEKRET-CEL-WIZYTY",
        "contract": "SEKRET-KONTRAKT terapia",
        "plan": "SEKRET-PLAN ochrony",
        "goals": "SEKRET-CELE planu",
    }
    case = _protected_case(staff, secret=secrets["note"])
    later = sw.note_add(
        case=case,
        user=staff.worker,
        category="konsultacja",
        occurred_on=ON,
        text=secrets["later"],
        now=NOW,
    )
    sw.note_add(
        case=case,
        user=staff.worker,
        category="konsultacja",
        occurred_on=ON,
        text=secrets["correction"],
        now=NOW,
        corrects=later,
        correction_reason=secrets["reason"],
    )
    sw.visit_plan(
        case=case,
        worker=staff.worker,
        planned_on=ON,
        purpose=secrets["visit"],
        user=staff.worker,
        today=ON,
    )
    person = Person.objects.filter(memberships__household=case.household).first()
    sw.contract_draft(
        case=case, person=person, user=staff.worker, data={"situation": secrets["contract"]}
    )
    sw.plan_create(
        case=case,
        user=staff.worker,
        kind="plan_pomocy",
        title=secrets["plan"],
        goals=secrets["goals"],
        valid_from=ON,
        valid_to=None,
        next_review_on=None,
        actions="",
    )
    assert CaseNote.objects.filter(case=case).count() == 3
    rows = list(
        LogEntry.objects.values_list(
            "object_repr", "changes", "changes_text", "serialized_data", "additional_data"
        )
    )
    assert rows
    dump = json.dumps(rows, ensure_ascii=False, default=str)
    leaked = [name for name, text in secrets.items() if text.split()[0] in dump]
    assert leaked == []


# ------------------------------------------------------------------ H3


def test_finding_h3_household_scope_follows_case_unit(staff: Any, client_for: Any) -> None:
    """A district-2 worker who puts one person of their own into a district-1 family does not
    gain the family: not its members, not its page, not a new application — and nothing
    returns when the membership ends. District 1 keeps it all."""
    from ostoja.cases.models import Application
    from ostoja.registry import selectors
    from ostoja.registry.models import HouseholdMembership, Person
    from ostoja.socialwork.tests.factories import make_case

    case = make_case(worker=staff.worker)
    household = case.household
    resident = Person.objects.get(memberships__household=household)
    own = Person.objects.create(
        first_name="Adam",
        last_name="Obcy",
        search_key="obcy adam",
        birth_date=date(1990, 2, 2),
        sex="M",
        registered_by_unit=staff.stranger.staff.unit,
    )
    membership = HouseholdMembership.objects.create(
        household=household, person=own, relation="inny", valid_from=date(2025, 1, 1)
    )

    def sees(user: Any) -> tuple[bool, bool, bool]:
        return (
            selectors.households_visible(user=user).filter(pk=household.pk).exists(),
            selectors.persons_visible(user=user).filter(pk=resident.pk).exists(),
            selectors.household_visible_to(user=user, household=household),
        )

    assert sees(staff.stranger) == (False, False, False)
    assert sees(staff.worker) == (True, True, True)
    # The person now belongs to a district-1 family: district 2 follows the case, not the
    # registration.
    assert not selectors.person_visible_to(user=staff.stranger, person=own)
    assert selectors.person_visible_to(user=staff.worker, person=own)
    c = client_for(staff.stranger)
    assert c.get(reverse("registry:household_detail", args=[household.pk])).status_code in (
        403,
        404,
    )
    before = Application.objects.count()
    r = c.post(reverse("cases:application_create", args=[household.pk]), {})
    assert r.status_code in (403, 404)
    assert Application.objects.count() == before
    # Membership ended: the family stays closed; the person is district 2's again.
    membership.valid_to = date(2026, 1, 1)
    membership.save()
    assert sees(staff.stranger) == (False, False, False)
    assert selectors.person_visible_to(user=staff.stranger, person=own)
    assert not selectors.person_visible_to(user=staff.worker, person=own)


# ------------------------------------------------------------------ H4


def test_finding_h4_duplicate_pesel_neutral_outside_scope(staff: Any) -> None:
    """The PESEL clash names the registered person only to a user who may see them; anyone
    else gets a neutral answer, and the probe is audited as a refused access."""
    from ostoja.registry import services
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Street

    street = Street.objects.filter(name_1="Sienkiewicza").first()
    assert street is not None
    birth = date(1980, 5, 17)
    data = {
        "first_name": "Józef",
        "last_name": "Żółkiewski",
        "pesel": make_pesel(birth, 123, "M"),
        "birth_date": birth,
        "sex": "M",
        "act_street": street,
        "act_house": "10",
        "act_postal_code": "25-007",
        "act_city": "Kielce",
    }
    person = services.person_create(data=dict(data), user=staff.worker, on=ON)
    probe = {**data, "first_name": "Jan", "last_name": "Nowak"}
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(data=dict(probe), user=staff.stranger, on=ON)
    message = " ".join(m for msgs in exc.value.errors.values() for m in msgs)
    assert "Żółkiewski" not in message and "Józef" not in message
    assert "jest już zarejestrowana" in message
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=staff.stranger, object_pk=str(person.pk)
    ).get()
    assert entry.additional_data["refused"] is True and entry.additional_data["pesel_probe"]
    # In scope, the clash still names the person (the colleague must find the record).
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(data=dict(probe), user=staff.colleague, on=ON)
    assert "Józef Żółkiewski" in exc.value.errors["pesel"][0]


# ------------------------------------------------------------------ H5


def _draft(staff: Any) -> Any:
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly")
    return services.decision_draft_from_application(
        application=app, actor=staff.worker, account_number=NRB
    )


def test_finding_h5_checker_edit_voids_four_eyes(staff: Any) -> None:
    """The head edits the worker's draft through the API (amount and account), so the head is
    a maker: refused the check and the signature, through the API and the services. Another
    person (the director) checks that content and signs it."""
    from ostoja.decisions import services
    from ostoja.decisions.choices import DecisionStatus

    d = _draft(staff)
    head = _token_client(staff.head)
    line = d.lines.get()
    r = head.patch(
        f"/api/v1/decisions/{d.pk}",
        json.dumps(
            {
                "version": d.version,
                "lines": [
                    {
                        "benefit": line.benefit,
                        "amount": "4999.00",
                        "period_from": str(line.period_from),
                        "account_number": NEW_NRB,
                    }
                ],
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = head.post(f"/api/v1/decisions/{d.pk}/check", "{}", content_type="application/json")
    assert r.status_code == 403
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFTED and staff.head.pk in d.maker_ids
    services.decision_check(decision=d, actor=staff.director, now=NOW)
    with pytest.raises(NotPermitted):
        services.decision_sign(decision=d, actor=staff.head, on=ON, now=NOW)
    d.refresh_from_db()
    assert d.status == DecisionStatus.CHECKED
    services.decision_sign(decision=d, actor=staff.director, on=ON, now=NOW)


def test_finding_h5_check_is_bound_to_content_hash(staff: Any) -> None:
    """A check holds the SHA-256 of the content it saw; content changed after the check (by
    any path) leaves no valid check, and the signature is refused."""
    from ostoja.decisions import services
    from ostoja.decisions.models import DecisionLine

    d = _draft(staff)
    services.decision_check(decision=d, actor=staff.head, now=NOW)
    d.refresh_from_db()
    assert d.checked_hash == services.content_hash(d)
    DecisionLine.objects.filter(decision=d).update(
        amount=Decimal("4999.00"), account_number=NEW_NRB
    )
    with pytest.raises(NotPermitted, match="zmieniła się po sprawdzeniu"):
        services.decision_sign(decision=d, actor=staff.director, on=ON, now=NOW)


# ------------------------------------------------------------------ H6


@pytest.fixture
def money(demo_org: None, make_staff: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    from ostoja.org.services import instance_settings_ensure
    from ostoja.payments import services
    from ostoja.payments.models import PaymentList
    from ostoja.payments.testing import ORDERING_NRB, decisions_know, make_line

    settings_row = instance_settings_ensure()
    settings_row.bank_account = ORDERING_NRB
    settings_row.save()

    class Money:
        clerk = make_staff("ins_clerk", role=Role.BENEFITS_CLERK, unit_code="dps")
        fin_a = make_staff("ins_fin_a", role=Role.FINANCE, unit_code="fk")
        fin_b = make_staff("ins_fin_b", role=Role.FINANCE, unit_code="fk")

    m = Money()
    lines = [make_line(i, benefit="zasilek_staly", amount="1229.00") for i in (1, 2)]
    decisions_know(monkeypatch, lines)  # a re-issue is checked against its line (issue 21)
    services.payroll_build(month="2026-11", lines=lines, actor=m.clerk, now=NOW)
    pl = PaymentList.objects.get()
    services.payment_list_approve(
        list_id=pl.id, actor=m.fin_b, execution_date=ON, expected_version=pl.version, now=NOW
    )
    services.payment_list_export(now=EXPORT_NOW, list_id=pl.id, fmt="elixir", actor=m.fin_b)
    return m


def test_finding_h6_statement_must_be_own_account_and_reconcile(money: Any) -> None:
    """A home-made statement is refused: no account or balances, another account, or
    balances that do not add up; our payment id with another amount marks nothing."""
    from ostoja.payments import services
    from ostoja.payments.models import Payment, PaymentStatus, StatementImport
    from ostoja.payments.testing import csv_statement

    p = Payment.objects.order_by("pk").first()
    row = f"2026-11-30;C;{p.amount};ZWROT {p.reference};{p.account_number};X;R1"
    bare = ("data_ksiegowania;strona;kwota;tytul;rachunek_kontrahenta;nazwa_kontrahenta;"
            f"referencja_banku\n{row}\n").encode()  # fmt: skip
    for data in (
        bare,
        csv_statement([row], account=NEW_NRB),
        csv_statement([row]).replace(b"#saldo_koncowe;", b"#saldo_koncowe;1"),
    ):
        with pytest.raises(ValidationFailed):
            services.statement_import(filename="w.csv", data=data, actor=money.fin_a)
    assert not StatementImport.objects.exists()
    # Our payment id with another amount, or from another account: refused as a whole
    # (reconciled against the payment it names — ostoja.payments.reconciliation).
    cheap = f"2026-11-30;C;1,00;ZWROT {p.reference};{p.account_number};X;R2"
    with pytest.raises(ValidationFailed, match="opiewa na 1229,00 zł"):
        services.statement_import(filename="w.csv", data=csv_statement([cheap]), actor=money.fin_a)
    elsewhere = f"2026-11-30;C;{p.amount};ZWROT {p.reference};{NEW_NRB};X;R3"
    with pytest.raises(ValidationFailed, match="inny rachunek"):
        services.statement_import(
            filename="w.csv", data=csv_statement([elsewhere]), actor=money.fin_a
        )
    assert not StatementImport.objects.exists()
    assert Payment.objects.get(pk=p.pk).status == PaymentStatus.EXPORTED


def test_finding_h6_money_needs_two_people(money: Any, client_for: Any) -> None:
    """The one who imported the return and re-issued the payment to a new account neither
    confirms the new account, nor approves the list, nor exports its bank file; a second
    person confirms and approves, and the maker is still refused the export."""
    from ostoja.payments import services
    from ostoja.payments.models import ListStatus, Payment, PaymentList, PaymentStatus
    from ostoja.payments.testing import REISSUE_ON, csv_statement

    fin_a, fin_b = money.fin_a, money.fin_b
    p = Payment.objects.order_by("pk").first()
    row = f"2026-11-30;C;{p.amount};ZWROT {p.reference};{p.account_number};X;R1"
    services.statement_import(filename="w.csv", data=csv_statement([row]), actor=fin_a)
    assert Payment.objects.get(pk=p.pk).status == PaymentStatus.RETURNED
    new = services.payment_reissue(
        payment_id=p.pk, method="przelew", account_number=NEW_NRB, actor=fin_a, on=REISSUE_ON
    )
    pl = PaymentList.objects.get(pk=new.list_id)
    assert fin_a.pk in services.list_makers(pl)
    with pytest.raises(ValidationFailed, match="inna osoba"):
        services.payment_list_approve(
            list_id=pl.id, actor=fin_a, execution_date=ON, expected_version=pl.version, now=NOW
        )
    with pytest.raises(ValidationFailed, match="potwierdzić druga osoba"):
        services.payment_list_approve(
            list_id=pl.id, actor=fin_b, execution_date=ON, expected_version=pl.version, now=NOW
        )
    with pytest.raises(NotPermitted):
        services.payment_reissue_confirm(payment_id=new.pk, actor=fin_a, now=NOW)
    # The page does the same: refused to the re-issuer, done by the second person.
    url = reverse("payments:reissue_confirm", args=[new.pk])
    r = client_for(fin_a).post(url)
    assert r.status_code == 403 and "zasada dwóch par oczu" in r.content.decode()
    assert Payment.objects.get(pk=new.pk).account_confirmed_by is None
    assert client_for(fin_b).post(url).status_code == 302
    assert Payment.objects.get(pk=new.pk).account_confirmed_by == fin_b
    assert LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, object_pk=str(new.pk), actor=fin_b
    ).exists()
    pl = services.payment_list_approve(
        list_id=pl.id, actor=fin_b, execution_date=ON, expected_version=pl.version, now=NOW
    )
    assert pl.status == ListStatus.APPROVED and pl.approved_by == fin_b
    with pytest.raises(ValidationFailed, match="inna osoba"):
        services.payment_list_export(now=EXPORT_NOW, list_id=pl.id, fmt="elixir", actor=fin_a)
    export = services.payment_list_export(now=EXPORT_NOW, list_id=pl.id, fmt="elixir", actor=fin_b)
    assert export.payment_count == 1


# ------------------------------------------------------------------ M1


def test_finding_m1_bearer_token_write_names_its_actor(staff: Any) -> None:
    """A change made through the API with a bearer token is logged with its user as actor."""
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Person, Street
    from ostoja.registry.services import person_create

    street = Street.objects.filter(name_1="Sienkiewicza").first()
    person = person_create(
        data={
            "first_name": "Anna",
            "last_name": "Tokenowa",
            "pesel": make_pesel(date(1985, 3, 3), 77, "K"),
            "birth_date": date(1985, 3, 3),
            "sex": "K",
            "act_street": street,
            "act_house": "3",
            "act_postal_code": "25-007",
            "act_city": "Kielce",
        },
        user=staff.worker,
        on=ON,
    )
    r = _token_client(staff.worker).patch(
        f"/api/v1/persons/{person.pk}",
        json.dumps({"version": person.version, "phone": "600100200"}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Person.objects.get(pk=person.pk).phone == "600100200"
    change = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, object_pk=str(person.pk), content_type__model="person"
    ).latest("pk")
    assert change.actor == staff.worker
