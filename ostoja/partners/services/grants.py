"""Calls and grants: publishing a call, offers and their assessment, deciding the call, the
grant agreement, instalments, reports, settlement and returns (``ostoja.law.grants``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import ValidationFailed
from ostoja.law.grants import grant_settle, return_deadline, small_grant_errors
from ostoja.law.money import pln
from ostoja.partners.models import (
    Call,
    CallMode,
    CallStatus,
    GrantAgreement,
    GrantReport,
    GrantStatus,
    Instalment,
    Offer,
    Partner,
    ReportKind,
)
from ostoja.payments.budget import chapter_name

from ._common import REPORT_DAYS, _active, _fail


def call_publish(
    *, number: str, title: str, mode: str, budget: Decimal, chapter: str,
    published_on: date, offers_until: date, task_from: date, task_to: date,
    paragraph: str = "2360",
) -> Call:  # fmt: skip
    """Publish an open contest (art. 13 u.d.p.p.) or a small-grant offer (art. 19a)."""
    errors: dict[str, list[str]] = {}
    if mode not in CallMode.values:
        errors["mode"] = ["Wybierz tryb z listy."]
    if budget <= 0:
        errors["budget"] = ["Kwota środków musi być dodatnia."]
    if not chapter_name(chapter):
        errors["chapter"] = [
            f"Rozdział {chapter} nie występuje w klasyfikacji budżetowej działu 852."
        ]
    if offers_until < published_on:
        errors["offers_until"] = ["Termin składania ofert nie może poprzedzać ogłoszenia."]
    if task_to < task_from:
        errors["task_to"] = ["Koniec realizacji nie może poprzedzać jej początku."]
    if mode == CallMode.SMALL_GRANT and not errors:
        msgs = small_grant_errors(amount=budget, task_from=task_from, task_to=task_to)
        if msgs:
            errors["budget"] = msgs
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return Call.objects.create(
                number=number, title=title, mode=mode, budget=budget, chapter=chapter,
                paragraph=paragraph, published_on=published_on, offers_until=offers_until,
                task_from=task_from, task_to=task_to,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("number", "Konkurs o tym numerze już istnieje.") from exc


def offer_submit(
    *, call: Call, partner: Partner, submitted_on: date, requested: Decimal,
    own_contribution: Decimal = Decimal(0),
) -> Offer:  # fmt: skip
    """A partner's offer; late offers are refused (the notice's deadline)."""
    if call.status != CallStatus.PUBLISHED:
        raise _fail("call", "Konkurs jest już rozstrzygnięty.")
    if submitted_on > call.offers_until:
        raise _fail("submitted_on", "Oferta złożona po terminie składania ofert.")
    if requested <= 0:
        raise _fail("requested", "Wnioskowana kwota musi być dodatnia.")
    if requested > call.budget:
        raise _fail(
            "requested", f"Wnioskowana kwota przekracza środki konkursu ({pln(call.budget)})."
        )
    if not _active(partner, submitted_on):
        raise _fail("partner", "Partner nie jest aktywny w rejestrze w dniu złożenia oferty.")
    try:
        with transaction.atomic():
            return Offer.objects.create(
                call=call, partner=partner, submitted_on=submitted_on, requested=requested,
                own_contribution=own_contribution,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("partner", "Ten partner złożył już ofertę w tym konkursie.") from exc


def offer_assess(*, offer: Offer, score: Decimal, on: date) -> Offer:
    """The commission's score (art. 15 u.d.p.p.)."""
    if not Decimal(0) <= score <= Decimal(100):
        raise _fail("score", "Ocena musi mieścić się w przedziale 0–100 punktów.")
    if on < offer.submitted_on:
        raise _fail("on", "Ocena nie może poprzedzać złożenia oferty.")
    offer.score, offer.assessed_on = score, on
    offer.save(update_fields=["score", "assessed_on"])
    return offer


def call_decide(*, call: Call, awards: dict[int, Decimal], on: date) -> Call:
    """Decide the contest (*rozstrzygnięcie*): amounts per offer id; the sum within the budget."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.PUBLISHED:
            raise _fail("call", "Konkurs został już rozstrzygnięty.")
        offers = {o.pk: o for o in call.offers.all()}
        if not awards:
            raise _fail("awards", "Wybierz co najmniej jedną ofertę.")
        for pk, amount in awards.items():
            offer = offers.get(pk)
            if offer is None:
                raise _fail("awards", "Oferta nie należy do tego konkursu.")
            if offer.assessed_on is None:
                raise _fail("awards", "Można wybrać tylko ocenioną ofertę.")
            if not Decimal(0) < amount <= offer.requested:
                raise _fail(
                    "awards", "Przyznana kwota musi być dodatnia i nie większa niż wnioskowana."
                )
        total = sum(awards.values(), Decimal(0))
        if total > call.budget:
            raise _fail(
                "awards",
                f"Suma dotacji ({pln(total)}) przekracza środki konkursu ({pln(call.budget)}).",
            )
        if on < call.offers_until and call.mode != CallMode.SMALL_GRANT:
            raise _fail("on", "Rozstrzygnięcie przed upływem terminu składania ofert.")
        for pk, amount in awards.items():
            offer = offers[pk]
            offer.selected, offer.awarded = True, amount
            offer.save(update_fields=["selected", "awarded"])
        call.status, call.decided_on = CallStatus.DECIDED, on
        call.save(update_fields=["status", "decided_on"])
    return call


def grant_sign(
    *, offer: Offer, number: str, signed_on: date, instalments: list[tuple[Decimal, date]]
) -> GrantAgreement:
    """Sign the grant agreement with its instalment schedule (sum = awarded amount)."""
    if not offer.selected or offer.awarded is None:
        raise _fail("offer", "Umowę zawiera się tylko z wybraną ofertą.")
    if not instalments:
        raise _fail("instalments", "Podaj harmonogram transz.")
    total = sum((a for a, _ in instalments), Decimal(0))
    if total != offer.awarded:
        raise _fail(
            "instalments",
            f"Suma transz ({pln(total)}) musi równać się przyznanej dotacji "
            f"({pln(offer.awarded)}).",
        )
    if any(a <= 0 for a, _ in instalments):
        raise _fail("instalments", "Każda transza musi być dodatnia.")
    call = offer.call
    try:
        with transaction.atomic():
            agreement = GrantAgreement.objects.create(
                offer=offer, number=number, amount=offer.awarded, signed_on=signed_on,
                report_due=call.task_to + timedelta(days=REPORT_DAYS),
            )  # fmt: skip
            for i, (amount, due_on) in enumerate(instalments, start=1):
                Instalment.objects.create(
                    agreement=agreement, number=i, amount=amount, due_on=due_on
                )
    except IntegrityError as exc:
        raise _fail("number", "Umowa o tym numerze już istnieje albo oferta ma już umowę.") from exc
    return agreement


def instalment_pay(*, instalment: Instalment, paid_on: date, today: date) -> Instalment:
    """Record a tranche transferred; repeating it never transfers money twice."""
    if paid_on > today:
        raise _fail("paid_on", "Data przekazania transzy nie może być późniejsza niż dziś.")
    with transaction.atomic():
        inst = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if inst.paid_on is not None:
            raise _fail(
                "paid_on",
                f"Transza nr {inst.number} została już przekazana {inst.paid_on:%d.%m.%Y}.",
            )
        if inst.agreement.status == GrantStatus.SETTLED:
            raise _fail("paid_on", "Umowa jest rozliczona.")
        if paid_on < inst.agreement.signed_on:
            raise _fail("paid_on", "Transzy nie przekazuje się przed zawarciem umowy.")
        inst.paid_on = paid_on
        inst.save(update_fields=["paid_on"])
    return inst


def report_receive(
    *, agreement: GrantAgreement, kind: str, received_on: date, spent: Decimal, results: str,
    beneficiaries: int = 0, expected_version: int | None = None,
) -> GrantReport:  # fmt: skip
    """The partner's report (art. 18 u.d.p.p.); accepted when registered by staff.

    With ``expected_version`` (the staff page) the agreement's version moves too, so a report
    registered while someone else settles the grant is refused instead of arriving too late."""
    errors: dict[str, list[str]] = {}
    if kind not in ReportKind.values:
        errors["kind"] = ["Wybierz rodzaj sprawozdania."]
    if spent < 0:
        errors["spent"] = ["Wydatki nie mogą być ujemne."]
    elif spent > agreement.amount:
        errors["spent"] = [
            f"Wydatki z dotacji ({pln(spent)}) przekraczają kwotę dotacji "
            f"({pln(agreement.amount)})."
        ]
    if not results.strip():
        errors["results"] = ["Opisz osiągnięte rezultaty."]
    if received_on < agreement.signed_on:
        errors["received_on"] = ["Sprawozdanie nie może wpłynąć przed zawarciem umowy."]
    if agreement.status == GrantStatus.SETTLED:
        errors["kind"] = ["Umowa jest już rozliczona."]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if expected_version is not None:
            save_versioned(agreement, expected_version=expected_version)
        return GrantReport.objects.create(
            agreement=agreement, kind=kind, received_on=received_on, spent=spent,
            results=results.strip(), beneficiaries=beneficiaries, accepted_on=received_on,
        )  # fmt: skip


def grant_settle_agreement(
    *, agreement: GrantAgreement, on: date, expected_version: int
) -> GrantAgreement:
    """Settle the grant from the final report: unused money to return (art. 251 u.f.p.)."""
    with transaction.atomic():
        final = agreement.reports.filter(kind=ReportKind.FINAL).order_by("-received_on").first()
        if final is None:
            raise _fail("reports", "Rozliczenie wymaga sprawozdania końcowego.")
        paid = [i.amount for i in agreement.instalments.exclude(paid_on=None)]
        if not paid:
            raise _fail("instalments", "Nie przekazano żadnej transzy — nie ma czego rozliczać.")
        if agreement.status == GrantStatus.SETTLED:
            raise _fail("status", "Umowa jest już rozliczona.")
        result = grant_settle(awarded=agreement.amount, instalments_paid=paid, spent=final.spent)
        agreement.spent, agreement.to_return = result.used, result.to_return
        agreement.status, agreement.settled_on = GrantStatus.SETTLED, on
        save_versioned(agreement, expected_version=expected_version)
    return agreement


def grant_return_record(
    *, agreement: GrantAgreement, returned_on: date, expected_version: int | None = None
) -> GrantAgreement:
    """The partner returned the unused money (art. 251 ust. 1 u.f.p.); recorded once."""
    with transaction.atomic():
        current = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status != GrantStatus.SETTLED or not current.to_return:
            raise _fail("returned_on", "Nie ma kwoty do zwrotu.")
        if current.returned_on is not None:
            raise _fail(
                "returned_on",
                f"Zwrot został już odnotowany {current.returned_on:%d.%m.%Y}.",
            )
        # The partner may return the money before the centre settles the report (art. 251
        # ust. 1 u.f.p. counts from the task's end), so only the agreement's date bounds it.
        if returned_on < current.signed_on:
            raise _fail("returned_on", "Data zwrotu nie może poprzedzać zawarcia umowy.")
        agreement.returned_on = returned_on
        save_versioned(
            agreement,
            expected_version=agreement.version if expected_version is None else expected_version,
        )
    return agreement


def grant_return_deadline(agreement: GrantAgreement) -> date:
    return return_deadline(agreement.offer.call.task_to)
