"""Seeding the decisions context: signed, delivered and (mostly) final decisions with their
operative lines — grants, refusals and changes (art. 106 ust. 5 u.p.s.) — numbered per unit
symbol and year as ``decision_sign`` numbers them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from ostoja.decisions.catalog import BENEFITS
from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.decisions.models import Decision, DecisionLine, NumberCounter
from ostoja.payments.testing import nrb_for
from ostoja.web.seed.cases import at
from ostoja.web.seed.plan import Episode, Family
from ostoja.web.seed.state import SeedState

MODELS = {"decision": Decision, "line": DecisionLine}


def prepare(state: SeedState) -> None:
    for c in NumberCounter.objects.all():
        state.counters[("dec", c.unit_symbol, c.year)] = c.last_number
    state.cache["heads"] = {}


def finish(state: SeedState) -> None:
    for key, last in state.counters.items():
        if key[0] == "dec":
            NumberCounter.objects.update_or_create(
                unit_symbol=key[1], year=key[2], defaults={"last_number": last}
            )


def _head(state: SeedState, unit_code: str) -> tuple[int | None, str]:
    heads = state.cache["heads"]
    if unit_code not in heads:
        from django.contrib.auth import get_user_model

        pk = state.staff.head(unit_code)
        user = get_user_model().objects.filter(pk=pk).first() if pk else None
        heads[unit_code] = (pk, user.get_full_name() if user else "")
    return heads[unit_code]


def emit(fam: Family, state: SeedState) -> None:
    unit = state.units[fam.unit_code]
    symbol = (unit.case_symbol or "MOPR").replace(" ", "")
    signer_id, signer_name = _head(state, fam.unit_code)
    drafter = fam.ids["worker"] or signer_id
    for ep in fam.episodes:
        if ep.outcome == "open":
            continue
        kind = DecisionKind.GRANT if ep.outcome == "grant" else DecisionKind.REFUSAL
        ep.ids["decision"], ep.ids["number"] = _decision(
            state, fam, ep, kind=kind, issued=ep.decided_on, symbol=symbol, drafter=drafter,
            signer=(signer_id, signer_name),
        )  # fmt: skip
        ep.ids["line"] = _line(
            state, fam, ep, decision=ep.ids["decision"], amount=ep.amount,
            period_from=ep.period_from or ep.decided_on, period_to=ep.period_to,
            granted=ep.outcome == "grant",
        )  # fmt: skip
        if ep.change_on is not None:
            issued = ep.change_on - timedelta(days=20)
            ep.ids["change_decision"], ep.ids["change_number"] = _decision(
                state, fam, ep, kind=DecisionKind.CHANGE, issued=issued, symbol=symbol,
                drafter=drafter, signer=(signer_id, signer_name), refers_to=ep.ids["decision"],
                effective_from=ep.change_on,
            )  # fmt: skip
            ep.ids["change_line"] = _line(
                state, fam, ep, decision=ep.ids["change_decision"], amount=ep.change_amount,
                period_from=ep.change_on, period_to=ep.period_to, granted=True,
            )  # fmt: skip


def _decision(
    state: SeedState,
    fam: Family,
    ep: Episode,
    *,
    kind: str,
    issued: Any,
    symbol: str,
    drafter: int | None,
    signer: tuple[int | None, str],
    refers_to: int | None = None,
    effective_from: Any = None,
) -> tuple[int, str]:
    seq = state.next_number(("dec", symbol, issued.year))
    number = f"{seq:06d}/{symbol}/{issued.year}"
    delivered = issued + timedelta(days=5)
    final_on = delivered + timedelta(days=15)
    status = DecisionStatus.FINAL if final_on < state.until else DecisionStatus.DELIVERED
    benefit = BENEFITS.get(ep.benefit)
    person = fam.applicant
    pk = state.tables["decision"].add(
        {
            "case_id": fam.ids["case"],
            "application_id": ep.ids.get("application") if kind != DecisionKind.CHANGE else None,
            "kind": kind,
            "matter": str(benefit.matter) if benefit else "inne",
            "status": status,
            "number": number,
            "number_year": issued.year,
            "number_seq": seq,
            "case_reference": ep.ids.get("reference", ""),
            "addressee_id": person.ids["person"],
            "addressee_name": f"{person.first_name} {person.last_name}",
            "addressee_address": fam.address,
            "application_date": ep.received_on,
            "justification": "Uzasadnienie w aktach sprawy."
            if kind != DecisionKind.REFUSAL
            else "Dochód rodziny przekracza kryterium dochodowe (art. 8 ust. 1 u.p.s.).",
            "refers_to_id": refers_to,
            "effective_from": effective_from,
            "reason_text": "Dochód przekracza kryterium." if kind == DecisionKind.REFUSAL else "",
            "drafter_id": drafter,
            "maker_ids": [drafter],
            "drafted_at": at(issued - timedelta(days=2)),
            "checker_id": signer[0],
            "checked_at": at(issued - timedelta(days=1)),
            "signer_id": signer[0],
            "signer_name": signer[1],
            "signer_position": "Kierownik z upoważnienia Prezydenta Miasta Kielce",
            "signed_at": at(issued, 12),
            "issued_on": issued,
            "sent_on": issued + timedelta(days=1),
            "delivery_channel": "zpo",
            "delivered_on": delivered,
            "appeal_deadline": delivered + timedelta(days=14),
            "final_on": final_on,
        }
    )
    state.tables["timeline"].add(
        {"case_id": fam.ids["case"], "occurred_at": at(issued, 12), "kind": "decyzja",
         "title": f"Decyzja {number} — {DecisionKind(kind).label}", "source_app": "decisions",
         "source_id": str(pk), "actor_id": signer[0], "created_at": at(issued, 12)}
    )  # fmt: skip
    return pk, number


def _line(
    state: SeedState,
    fam: Family,
    ep: Episode,
    *,
    decision: int,
    amount: Decimal,
    period_from: Any,
    period_to: Any,
    granted: bool,
) -> int:
    benefit = BENEFITS[ep.benefit]
    b = benefit.budget
    return state.tables["line"].add(
        {
            "decision_id": decision,
            "position": 1,
            "benefit": ep.benefit,
            "granted": granted,
            "amount": amount if granted else Decimal("0.00"),
            "one_off": ep.one_off,
            "period_from": period_from,
            "period_to": period_to,
            "payment_method": ep.method,
            "account_number": nrb_for(fam.account_serial) if ep.method == "przelew" else "",
            "payment_day": 10,
            "health_insured_elsewhere": ep.benefit != "zasilek_staly" or fam.index % 3 != 0,
            "budget_section": b.section,
            "budget_chapter": b.chapter,
            "budget_paragraph": b.paragraph,
            "task_type": str(b.task_type),
            "funding": str(b.funding),
        }
    )
