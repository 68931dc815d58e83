"""The social contract as a printable document (WeasyPrint): the model form's elements
(rozp. MPiPS z 8 XI 2010 w sprawie wzoru kontraktu socjalnego, Dz.U. 2010 nr 218 poz. 1439),
the centre's letterhead, Polish characters (DejaVu fonts) and page numbers."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from ostoja.socialwork.models import ActionParty, SocialContract
from ostoja.socialwork.policy import BREACH_CONSEQUENCES, CONTRACT_KIND_LABELS, ContractKind

MONTHS_GENITIVE = (
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
)

LEGAL_BASIS = (
    "art. 108 ustawy z dnia 12 marca 2004 r. o pomocy społecznej; rozporządzenie Ministra Pracy "
    "i Polityki Społecznej z dnia 8 listopada 2010 r. w sprawie wzoru kontraktu socjalnego "
    "(Dz.U. z 2010 r. Nr 218, poz. 1439)"
)


def long_date(d: Any) -> str:
    if d is None:
        return "…………………"
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} r."


def contract_context(*, contract: SocialContract, centre: Any) -> dict[str, Any]:
    actions = list(contract.actions.all())
    person = contract.person
    return {
        "centre": centre,
        "c": contract,
        "basis": LEGAL_BASIS,
        "kind_label": CONTRACT_KIND_LABELS[ContractKind(contract.kind)],
        "part": contract.kind,
        "person_name": person.full_name,
        "person_address": getattr(person, "address_display", "") or "",
        "worker_name": contract.worker.get_full_name() or contract.worker.get_username(),
        "concluded_on": long_date(
            max(
                (d for d in (contract.worker_signed_on, contract.person_signed_on) if d),
                default=None,
            )
        ),
        "valid_from": long_date(contract.valid_from),
        "valid_to": long_date(contract.valid_to),
        "person_actions": [a for a in actions if a.party == ActionParty.PERSON and not a.annex_id],
        "worker_actions": [a for a in actions if a.party == ActionParty.WORKER and not a.annex_id],
        "other_actions": [a for a in actions if a.party == ActionParty.OTHER and not a.annex_id],
        "annexes": [
            (annex, [a for a in actions if a.annex_id == annex.pk])
            for annex in contract.annexes.all()
        ],
        "reviews": list(contract.reviews.all()),
        "consequences": BREACH_CONSEQUENCES,
        "worker_signed_on": long_date(contract.worker_signed_on),
        "person_signed_on": long_date(contract.person_signed_on),
        "draft": contract.is_draft,
    }


def contract_html(*, contract: SocialContract, centre: Any) -> str:
    return render_to_string(
        "socialwork/pdf/contract.html", contract_context(contract=contract, centre=centre)
    )


def contract_pdf(*, contract: SocialContract, centre: Any) -> bytes:
    from weasyprint import HTML

    return HTML(string=contract_html(contract=contract, centre=centre)).write_pdf()
