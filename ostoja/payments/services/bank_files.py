"""Bank files (plik przelewów: Elixir-O, pain.001), exporting a list and settling a cash list."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from ostoja.core.dates import local_time
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.decisions.lines import PaymentMethod
from ostoja.org.selectors import instance_settings

from ..formats import elixir, pain001
from ..models import (
    BankExport,
    ListStatus,
    PaymentList,
    PaymentStatus,
)
from . import restricted as art18
from ._common import _ZERO, _need
from .approval import _four_eyes

FORMATS = {"elixir": ("Elixir-O", "txt"), "pain001": ("pain.001.001.03", "xml")}


def _centre() -> Any:
    return instance_settings()


def bank_profile(profile: str | None = None) -> str:
    """The Elixir-O bank profile: the one asked for, else ``settings.OSTOJA_BANK_PROFILE``
    (default ``pko_bp``); profiles in :data:`ostoja.payments.formats.elixir.PROFILES`."""

    code = profile or getattr(settings, "OSTOJA_BANK_PROFILE", "pko_bp") or "pko_bp"
    if code not in elixir.PROFILES:
        known = ", ".join(sorted(elixir.PROFILES))
        raise ValidationFailed(
            {"profile": [f"Nieznany profil banku „{code}” (dostępne: {known})."]}
        )
    return code


def render_bank_file(pl: PaymentList, fmt: str, profile: str | None = None) -> bytes:
    """The bank file of an approved list — a pure function of the stored list and the centre's
    identity (no clock): the same list renders to the same bytes."""
    centre = _centre()
    payments = list(pl.payments.exclude(status=PaymentStatus.CANCELLED).order_by("id"))
    if not centre.bank_account:
        raise ValidationFailed(
            {"__all__": ["Uzupełnij rachunek bankowy ośrodka w ustawieniach (Administracja)."]}
        )
    execution = pl.execution_date or pl.month
    try:
        if fmt == "elixir":
            return elixir.write_elixir(
                elixir.ElixirFile(
                    execution_date=execution,
                    ordering_account=centre.bank_account,
                    ordering_name_lines=[
                        centre.name,
                        centre.street_address,
                        f"{centre.postal_code} {centre.city}",
                    ],
                    records=[
                        elixir.ElixirRecord(
                            reference=p.reference,
                            amount=p.amount,
                            beneficiary_account=p.account_number,
                            beneficiary_name_lines=[
                                p.recipient_name,
                                *_address_lines(p.recipient_address),
                            ],
                            title_lines=p.title_lines,
                        )
                        for p in payments
                    ],
                ),
                elixir.PROFILES[bank_profile(profile)],
            )
        if fmt == "pain001":
            created = (
                local_time(pl.approved_at)
                if pl.approved_at
                else datetime(pl.month.year, pl.month.month, 1, tzinfo=UTC)
            )
            return pain001.write_pain001(
                pain001.Pain001Batch(
                    message_id=f"OSTOJA-LW{pl.id}-{created:%Y%m%d%H%M%S}",
                    created_at=created,
                    initiating_party=centre.name,
                    payment_info_id=pl.number,
                    execution_date=execution,
                    debtor_name=centre.name,
                    debtor_account=centre.bank_account,
                    transactions=[
                        pain001.Pain001Tx(
                            reference=p.reference,
                            amount=p.amount,
                            creditor_name=p.recipient_name,
                            creditor_account=p.account_number,
                            remittance=" ".join(p.title_lines),
                            creditor_address_lines=_address_lines(p.recipient_address),
                        )
                        for p in payments
                    ],
                )
            )
    except (elixir.ElixirError, pain001.Pain001Error) as exc:
        raise ValidationFailed({"__all__": exc.problems}) from None
    raise ValidationFailed({"format": ["Nieznany format pliku (elixir albo pain001)."]})


def _address_lines(address: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", address or "") if part.strip()][:2]


def payment_list_export(
    *, list_id: int, fmt: str, actor: Any, now: datetime, profile: str | None = None
) -> BankExport:
    """The bank file of an approved transfer list. The first export stores the bytes, their
    SHA-256 and control totals; any later export returns the same stored file. ``profile``
    defaults to ``settings.OSTOJA_BANK_PROFILE`` (see :func:`bank_profile`).

    Art. 18 RODO: an approved payment of a person whose processing is restricted at ``now`` is
    not sent — it is cancelled, replaced on the supplement draft list and recorded on the export
    (``BankExport.withheld``, audited); see :mod:`.restricted`."""
    _need(actor, "payments.export_bank_file")
    if fmt not in FORMATS:
        raise ValidationFailed({"format": ["Nieznany format pliku (elixir albo pain001)."]})
    if fmt == "elixir":
        profile = bank_profile(profile)
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.method != PaymentMethod.TRANSFER:
            raise DomainError("Plik bankowy tworzy się tylko dla list przelewów.")
        if pl.status == ListStatus.DRAFT:
            raise DomainError("Najpierw księgowość musi zatwierdzić listę.")
        _four_eyes(pl, actor, doing="wyeksportować do banku")
        prof = profile if fmt == "elixir" else ""
        existing = BankExport.objects.filter(list=pl, format=fmt, profile=prof).first()
        if existing is not None:
            return existing
        # Issue 21 §3: a list already has a stored (possibly sent) file and someone restricted
        # since is in it → a NEW file/format is refused. Cancelling and replacing a payment
        # that may already have gone out in the first file could pay it twice once the
        # restriction is lifted; a new file with it would send money to a restricted person.
        # The stored file stays downloadable byte for byte (above).
        if BankExport.objects.filter(list=pl).exists():
            sent_before = list(pl.payments.filter(status=PaymentStatus.EXPORTED).order_by("id"))
            late = art18.restricted_of(sent_before, now=now)
            if late:
                raise ValidationFailed(
                    {
                        "format": [
                            "Tej listy nie można wyeksportować w nowym pliku: zapisany wcześniej "
                            "plik (mógł już trafić do banku) zawiera płatności osób, których "
                            "przetwarzanie danych jest od tego czasu ograniczone — art. 18 RODO ("
                            + ", ".join(p.reference for p in late)
                            + "). Pobierz zapisany plik albo poczekaj na zniesienie "
                            "ograniczenia."
                        ]
                    }
                )
        pending = list(pl.payments.filter(status=PaymentStatus.APPROVED).order_by("id"))
        held = art18.restricted_of(pending, now=now)
        if held and len(held) == len(pending):
            raise ValidationFailed(
                {
                    "__all__": [
                        "Wszystkie płatności tej listy dotyczą osób, których przetwarzanie danych "
                        "jest ograniczone — ograniczenie przetwarzania (art. 18 RODO). Pliku nie "
                        "utworzono; wyślij listę po zniesieniu ograniczenia."
                    ]
                }
            )
        withheld: list[dict[str, Any]] = []
        if held:
            target, withheld = art18.replace_on_supplement(pl, held, actor=actor)
            art18.audit(pl, withheld, actor=actor, stage="eksport", moved_to=target)
        content = render_bank_file(pl, fmt, profile)
        sent = pl.payments.exclude(status=PaymentStatus.CANCELLED)
        count, total = sent.count(), sum(sent.values_list("amount", flat=True), _ZERO)
        _label, ext = FORMATS[fmt]
        export = BankExport.objects.create(
            list=pl,
            format=fmt,
            profile=prof,
            filename=f"lista-{pl.month:%Y-%m}-{pl.id}-{fmt}.{ext}",
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            payment_count=count,
            total=total,
            withheld=withheld,
            created_by=actor,
        )
        if pl.status == ListStatus.APPROVED:
            pl.status = ListStatus.EXPORTED
            pl.version += 1
            pl.save(update_fields=["status", "version"])
        pl.payments.filter(status=PaymentStatus.APPROVED).update(status=PaymentStatus.EXPORTED)
    return export


def cash_list_settle(
    *, list_id: int, paid_on: date, payment_ids: list[int], actor: Any, now: datetime
) -> int:
    """Mark payments of an approved cash/post list as paid (signed at the pay desk / post).

    Art. 18 RODO: a payment of a person whose processing is restricted at ``now`` is not paid
    out — the whole settlement is refused naming its reference (no name), nothing is marked."""
    _need(actor, "payments.approve_list")
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.status == ListStatus.DRAFT:
            raise DomainError("Najpierw księgowość musi zatwierdzić listę.")
        chosen = list(pl.payments.filter(id__in=payment_ids).order_by("id"))
        held = art18.restricted_of(chosen, now=now)
        if held:
            raise ValidationFailed(
                {
                    "payment_ids": [
                        "Nie wypłacaj: "
                        + ", ".join(p.reference for p in held)
                        + " — ograniczenie przetwarzania (art. 18 RODO). Wypłata po zniesieniu "
                        "ograniczenia."
                    ]
                }
            )
        return pl.payments.filter(
            id__in=payment_ids, status__in=[PaymentStatus.APPROVED, PaymentStatus.EXPORTED]
        ).update(status=PaymentStatus.PAID, settled_on=paid_on)
