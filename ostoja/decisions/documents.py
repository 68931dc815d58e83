"""The decision as a document: a frozen description → template context → HTML → PDF.

Everything here is pure except the last two steps (Django's template engine, WeasyPrint), so the
contents of a decision — every element art. 107 § 1 KPA requires — can be tested without a
database. The legal basis is assembled from the calculation trace's ``basis`` entries plus the
procedural basis of the decision's kind; it is never typed by hand.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from ostoja.core.polish import (
    MONTHS_GENITIVE,
    by_sex,
    date_long,
    decline_name,
    honorific,
    in_month,
    plural,
)
from ostoja.decisions import basis, justification
from ostoja.decisions.catalog import BENEFITS, label_genitive, label_of
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.words import amount_in_words
from ostoja.law.money import pln

__all__ = ["MONTHS_GENITIVE", "date_pl"]

PAYMENT_METHOD_TEXT = {
    "przelew": "przelewem na rachunek bankowy nr {account}",
    "kasa": "gotówką w kasie Miejskiego Ośrodka Pomocy Rodzinie w Kielcach",
    "poczta": "przekazem pocztowym na adres zamieszkania",
    "rzeczowa": "bezgotówkowo — na rzecz realizatora świadczenia",
}

ACTS = (
    "u.p.s. — ustawa z dnia 12 marca 2004 r. o pomocy społecznej (t.j. Dz.U. z 2025 r. poz. 1214 "
    "ze zm.)",
    "KPA — ustawa z dnia 14 czerwca 1960 r. Kodeks postępowania administracyjnego (t.j. Dz.U. "
    "z 2024 r. poz. 572 ze zm.)",
)

# Procedural basis per kind: art. 104 KPA (a decision), the Act's article for the kind, and the
# authorisation to decide in the Prezydent's name: art. 110 ust. 7 (the director) and ust. 8
# (another person, at the director's request) u.p.s., with art. 268a KPA.
_AUTHORITY = "art. 110 ust. 7 i 8 u.p.s.; art. 268a KPA"
PROCEDURAL_BASIS: dict[str, tuple[str, ...]] = {
    DecisionKind.GRANT: ("art. 104 KPA", "art. 106 ust. 1 u.p.s.", _AUTHORITY),
    DecisionKind.REFUSAL: ("art. 104 KPA", "art. 106 ust. 1 i 4 u.p.s.", _AUTHORITY),
    DecisionKind.CHANGE: ("art. 104 KPA", "art. 106 ust. 5 u.p.s.", _AUTHORITY),
    DecisionKind.REVOCATION: ("art. 104 KPA", "art. 106 ust. 5 u.p.s.", _AUTHORITY),
    DecisionKind.EXPIRY: ("art. 162 § 1 pkt 1 KPA", "art. 104 KPA", _AUTHORITY),
    DecisionKind.RECOVERY: (
        "art. 104 KPA",
        "art. 98 ust. 1 u.p.s.",
        "art. 104 ust. 1 u.p.s.",
        _AUTHORITY,
    ),
    DecisionKind.WRITE_OFF: ("art. 104 KPA", "art. 104 ust. 4 u.p.s.", _AUTHORITY),
    DecisionKind.INSTALMENTS: ("art. 104 KPA", "art. 104 ust. 4 u.p.s.", _AUTHORITY),
    DecisionKind.FEE: ("art. 104 KPA", "art. 106 ust. 1 u.p.s.", _AUTHORITY),
    DecisionKind.DISCONTINUANCE: ("art. 105 § 1 KPA", "art. 104 KPA", _AUTHORITY),
}
IMMEDIATE_BASIS = "art. 108 § 1 KPA"

KIND_TITLES: dict[str, str] = {
    DecisionKind.GRANT: "w sprawie przyznania świadczenia z pomocy społecznej",
    DecisionKind.REFUSAL: "w sprawie odmowy przyznania świadczenia z pomocy społecznej",
    DecisionKind.CHANGE: "w sprawie zmiany decyzji",
    DecisionKind.REVOCATION: "w sprawie uchylenia decyzji",
    DecisionKind.EXPIRY: "w sprawie wygaszenia decyzji",
    DecisionKind.RECOVERY: "w sprawie zwrotu nienależnie pobranego świadczenia",
    DecisionKind.WRITE_OFF: "w sprawie umorzenia należności",
    DecisionKind.INSTALMENTS: "w sprawie rozłożenia należności na raty",
    DecisionKind.FEE: "w sprawie ustalenia odpłatności",
    DecisionKind.DISCONTINUANCE: "w sprawie umorzenia postępowania",
}

DUTY_TO_REPORT = (
    "Zgodnie z art. 109 u.p.s. osoby i rodziny korzystające ze świadczeń z pomocy społecznej są "
    "obowiązane niezwłocznie poinformować organ, który przyznał świadczenie, o każdej zmianie "
    "w ich sytuacji osobistej, dochodowej i majątkowej, która wiąże się z podstawą do przyznania "
    "świadczeń. Świadczenia nienależnie pobrane podlegają zwrotowi (art. 98 ust. 1 u.p.s.)."
)


def date_pl(d: date) -> str:
    """``date(2025, 12, 10)`` → ``"10 grudnia 2025 r."`` (see :mod:`ostoja.core.polish`)."""
    return date_long(d)


@dataclass(frozen=True, slots=True)
class Authority:
    name: str  # "Prezydent Miasta Kielce"
    centre_name: str
    street_address: str
    postal_code: str
    city: str
    phone: str = ""
    email: str = ""
    epuap: str = ""
    nip: str = ""
    regon: str = ""
    appeal_body: str = "Samorządowe Kolegium Odwoławcze w Kielcach"
    appeal_body_address: str = ""
    bank_account: str = ""  # NRB the centre receives fees and repayments on („” → not named)


@dataclass(frozen=True, slots=True)
class Addressee:
    full_name: str
    address_lines: tuple[str, ...]
    sex: str = ""  # "K" / "M": verbs and the declined name follow it; "" → neutral „strona”


@dataclass(frozen=True, slots=True)
class ContentLine:
    """One operative line as the document states it."""

    benefit: str  # catalog code
    granted: bool
    amount: Decimal
    period_from: date
    period_to: date | None  # exclusive
    one_off: bool = False
    payment_method: str = "przelew"
    account_number: str = ""
    payment_day: int = 10
    purpose: str = ""  # zasiłek celowy: what for
    note: str = ""  # e.g. "odpłatność 10% ceny godziny usług"


@dataclass(frozen=True, slots=True)
class ReferencedDecision:
    number: str
    issued_on: date
    kind: str = ""  # the referenced decision's kind: a change of a fee decision reads as one


def fee_change(content: DecisionContent) -> bool:
    """A decision changing a fee decision (zmiana decyzji ustalającej odpłatność, art. 106
    ust. 5 u.p.s. with art. 59, 61 or 97): its lines are fees set anew, not benefits granted."""
    ref = content.referenced
    return content.kind == DecisionKind.CHANGE and ref is not None and ref.kind == DecisionKind.FEE


@dataclass(frozen=True, slots=True)
class Instalment:
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Signatory:
    full_name: str
    position: str
    authorisation_number: str
    authority_name: str = "Prezydenta Miasta Kielce"  # genitive, after "z upoważnienia"


# How the original is signed (art. 107 § 1 pkt 8, art. 14 KPA): by hand on paper, or with a
# qualified electronic signature or seal (PAdES) for electronic delivery.
SIGNATURE_HANDWRITTEN = "odreczny"
SIGNATURE_ELECTRONIC = "elektroniczny"


@dataclass(frozen=True, slots=True)
class DecisionContent:
    """Everything a decision says, frozen; built from the database or directly in tests."""

    kind: str
    number: str  # "" while a draft
    case_reference: str
    issued_on: date
    place: str
    authority: Authority
    addressee: Addressee
    lines: tuple[ContentLine, ...] = ()
    trace_bases: tuple[str, ...] = ()
    justification: str = ""
    application_date: date | None = None
    immediate: bool = False
    immediate_reason: str = ""
    signatory: Signatory | None = None
    referenced: ReferencedDecision | None = None  # the decision changed / revoked / recovered
    effective_from: date | None = None  # change/revocation: from when (art. 106 ust. 5)
    recovery_amount: Decimal | None = None
    recovery_due: date | None = None
    instalments: tuple[Instalment, ...] = ()
    discontinuance_reason: str = ""
    refusal_reason: str = ""
    extra_recipients: tuple[str, ...] = ()
    rectification_of: str = ""  # art. 113 KPA: the number of the decision being rectified
    signature_method: str = SIGNATURE_HANDWRITTEN
    draft: bool = field(default=False)


def _bases(content: DecisionContent) -> list[str]:
    procedural = list(PROCEDURAL_BASIS.get(content.kind, ("art. 104 KPA",)))
    if fee_change(content):  # the fee set anew cites what a fee decision cites, too
        procedural += [b for b in PROCEDURAL_BASIS[DecisionKind.FEE] if b not in procedural]
    if content.immediate:
        procedural.append(IMMEDIATE_BASIS)
    return [*content.trace_bases, *procedural]


def legal_basis(content: DecisionContent) -> list[str]:
    """The cited provisions, short form, one per article: from the trace and the procedure,
    deduplicated, ordered, without definitions or internal acts (:mod:`.basis`)."""
    return [c.short for c in basis.citations(_bases(content))]


def legal_basis_text(content: DecisionContent) -> str:
    """The legal basis as the decision states it, grouped per act with the act's title."""
    return basis.render(basis.citations(_bases(content)))


def _period_text(line: ContentLine) -> str:
    if line.one_off:
        return f"jednorazowo, {in_month(line.period_from.year, line.period_from.month)}"
    if line.period_to is None:
        return f"od {date_pl(line.period_from)} na czas nieokreślony"
    last = line.period_to - timedelta(days=1)
    return f"od {date_pl(line.period_from)} do {date_pl(last)}"


def party(addressee: Addressee, case: str) -> str:
    """The party named in a sentence: „Panu Janowi Kowalskiemu” (dative) / „Pani Annie Nowak”;
    with the sex unknown, the neutral „stronie (Jan Kowalski)” in the right case."""
    sex = addressee.sex
    if sex in ("K", "M"):
        name = decline_name(addressee.full_name, case, sex)  # type: ignore[arg-type]
        return f"{honorific(sex, case)} {name}"  # type: ignore[arg-type]
    strona = {"nom": "strona", "gen": "strony", "dat": "stronie", "acc": "stronę"}
    return f"{strona.get(case, 'strona')} ({addressee.full_name})"


def _full_stop(text: str) -> str:
    """End a sentence once: ``"… 2026 r."`` stays, ``"… potrzeb"`` gets its period."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _payment_text(line: ContentLine) -> str:
    method = PAYMENT_METHOD_TEXT.get(line.payment_method, line.payment_method)
    method = method.format(account=_account(line.account_number))
    if line.one_off:
        return (
            f"Świadczenie zostanie wypłacone {method} w terminie do {line.payment_day}. dnia "
            "miesiąca następującego po dniu, w którym decyzja stała się wykonalna."
        )
    return (
        f"Świadczenie płatne miesięcznie, do {line.payment_day}. dnia każdego miesiąca, {method}."
    )


def _account(nrb: str) -> str:
    digits = "".join(c for c in nrb if c.isdigit())
    if len(digits) != 26:
        return nrb
    return digits[:2] + " " + " ".join(digits[i : i + 4] for i in range(2, 26, 4))


def _money(amount: Decimal) -> dict[str, str]:
    return {"figures": pln(amount), "words": amount_in_words(amount)}


def operative_points(content: DecisionContent) -> list[str]:
    """The ruling (rozstrzygnięcie), point by point, in the document's words."""
    who_dat = party(content.addressee, "dat")
    who_nom = party(content.addressee, "nom")
    sex = content.addressee.sex
    k = content.kind
    ref = content.referenced
    ref_text = f"decyzji nr {ref.number} z dnia {date_pl(ref.issued_on)}" if ref else "decyzji"
    # the same in the accusative („Zmienić / Uchylić decyzję nr …”) and the nominative
    # („… decyzja nr … pozostaje bez zmian”)
    ref_acc = ref_text.replace("decyzji", "decyzję", 1)
    ref_nom = ref_text.replace("decyzji", "decyzja", 1)
    # instrumental case: „przyznane decyzją nr …”, „ustaloną decyzją nr …”
    ref_by = f"decyzją nr {ref.number} z dnia {date_pl(ref.issued_on)}" if ref else "decyzją"
    points: list[str] = []
    changes_fee = fee_change(content)
    if content.rectification_of:
        points.append(
            f"Sprostować z urzędu oczywistą omyłkę w decyzji nr {content.rectification_of} "
            "w sposób opisany poniżej."
        )
    for line in content.lines:
        if k == DecisionKind.DISCONTINUANCE:
            continue  # its lines only name the forms of help discontinued (point below)
        label = label_of(line.benefit)
        m = _money(line.amount)
        amount = f"{m['figures']} (słownie: {m['words']})"
        per = "" if line.one_off else " miesięcznie"
        purpose = f" z przeznaczeniem na {line.purpose}" if line.purpose else ""
        change = f"Zmienić {ref_acc} i przyznać"
        if k in (DecisionKind.GRANT, DecisionKind.CHANGE) and line.granted and not changes_fee:
            if _in_kind_without_amount(line):
                point = _in_kind_point(content.addressee, line)
                if k == DecisionKind.CHANGE:  # a service's new terms from a date (its fee)
                    point = (
                        point.replace("Przyznać", change, 1)
                        if point.startswith("Przyznać")
                        else f"Zmienić {ref_acc}: {point}"
                    )
                points.append(point)
                continue
            verb = "Przyznać" if k == DecisionKind.GRANT else change
            points.append(
                f"{verb} {who_dat} {label}{purpose} w kwocie "
                f"{amount}{per}, {_full_stop(_period_text(line))} {_payment_text(line)}"
            )
        elif k == DecisionKind.REFUSAL or not line.granted:
            period = (
                in_month(line.period_from.year, line.period_from.month)
                if line.one_off
                else f"na okres {_period_text(line)}"
            )
            points.append(
                f"Odmówić {who_dat} przyznania {label_genitive(line.benefit)}{purpose} "
                f"w kwocie {amount}{per} {_full_stop(period)}"
            )
        elif k == DecisionKind.FEE or changes_fee:
            if _other_payer(line):
                continue  # not the addressee's fee: stated as information (fee_others)
            note = f" ({line.note})" if line.note else ""
            # A change: „Zmienić decyzję nr … w ten sposób, że ustala się Panu odpłatność …”
            so = f"Zmienić {ref_acc} w ten sposób, że" if changes_fee else "Ustalić, że"
            if not line.amount:
                # Free (income within the criterion) or exempted in full on request: nothing
                # to pay, so no "0,00 zł" and no payment day or account.
                points.append(
                    f"{so} {who_nom} nie ponosi odpłatności za "
                    f"{label.removeprefix('odpłatność za ')}{note}, "
                    f"{_full_stop(_period_text(line))}"
                )
                continue
            verb = f"{so} ustala się" if changes_fee else "Ustalić"
            points.append(
                f"{verb} {who_dat} odpłatność za "
                f"{label.removeprefix('odpłatność za ')}"
                f" w kwocie {amount}{per}{note}, {_full_stop(_period_text(line))} "
                "Odpłatność należy wnosić "
                f"do {line.payment_day}. dnia każdego miesiąca {_centre_account(content)}."
            )
    if k in (DecisionKind.REVOCATION, DecisionKind.EXPIRY):
        verb = "Uchylić" if k == DecisionKind.REVOCATION else "Stwierdzić wygaśnięcie"
        since = f" z dniem {date_pl(content.effective_from)}" if content.effective_from else ""
        # „Uchylić decyzję nr …”, „Stwierdzić wygaśnięcie decyzji nr …” (genitive)
        what = ref_acc if k == DecisionKind.REVOCATION else ref_text
        points.insert(0, f"{verb} {what}{since}.")
    if k == DecisionKind.CHANGE and content.effective_from:
        points.append(
            f"Zmiana obowiązuje od dnia {date_pl(content.effective_from)}; w pozostałym zakresie "
            f"{ref_nom} pozostaje bez zmian."
        )
    if k == DecisionKind.RECOVERY and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        due = f" w terminie do dnia {date_pl(content.recovery_due)}" if content.recovery_due else ""
        points.append(
            f"Ustalić, że {who_nom} nienależnie "
            f"{by_sex(sex, 'pobrał', 'pobrała', 'pobrała')} świadczenie "
            f"przyznane {ref_by}, i zobowiązać {by_sex(sex, 'go', 'ją', 'ją')} do jego zwrotu "
            f"w kwocie {m['figures']} "
            f"(słownie: {m['words']}){due} {_centre_account(content)}."
        )
    if k == DecisionKind.WRITE_OFF and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        points.append(
            f"Umorzyć {who_dat} w całości należność z tytułu nienależnie "
            f"pobranego świadczenia ustaloną {ref_by} w kwocie {m['figures']} "
            f"(słownie: {m['words']})."
        )
    if k == DecisionKind.INSTALMENTS and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        n = len(content.instalments)
        points.append(
            f"Rozłożyć {who_dat} na {n} {plural(n, 'ratę', 'raty', 'rat')} "
            f"należność ustaloną {ref_by} w kwocie {m['figures']} (słownie: {m['words']}), "
            "płatne w następujących terminach i kwotach:"
        )
        for n, inst in enumerate(content.instalments, 1):
            mi = _money(inst.amount)
            points.append(
                f"rata {n}: {mi['figures']} (słownie: {mi['words']}) do dnia {date_pl(inst.due)}"
            )
    if k == DecisionKind.DISCONTINUANCE:
        points.append(
            "Umorzyć postępowanie administracyjne w sprawie wszczętej wnioskiem z dnia "
            f"{date_pl(content.application_date) if content.application_date else '—'}"
            + (
                " w zakresie: " + ", ".join(label_of(ln.benefit) for ln in content.lines)
                if content.lines
                else ""
            )
            + (f" — {content.discontinuance_reason}" if content.discontinuance_reason else "")
            + "."
        )
    if content.immediate:
        # The reason is free text typed by the drafter (a sentence, not a noun phrase after
        # „ze względu na”): it stands after a colon, without its own capital or full stop.
        reason = " ".join(content.immediate_reason.split()).rstrip(". ")
        reason = reason[:1].lower() + reason[1:] if reason[1:2].islower() else reason
        points.append(
            "Decyzji nadać rygor natychmiastowej wykonalności (art. 108 § 1 KPA)"
            + (f" — przyczyna: {reason}" if reason else "")
            + "."
        )
    return points


def _centre_account(content: DecisionContent) -> str:
    """Where a fee or a repayment is paid (art. 107 § 1 KPA: the ruling must be executable):
    „na rachunek bankowy ośrodka nr 61 1090 …” once the centre's account is configured."""
    nrb = content.authority.bank_account
    return f"na rachunek bankowy ośrodka nr {_account(nrb)}" if nrb else "na rachunek ośrodka"


# Services and placements granted without a sum (art. 50, art. 59 ust. 1 and 2 u.p.s.): the
# operative verb of each and the preposition its object takes. „Przyznać … skierowanie … w kwocie
# 0,00 zł miesięcznie, płatne do 10. dnia” is what a client must never read.
_IN_KIND_VERBS: dict[str, str] = {
    "skierowanie_dps": "Skierować {who} do domu pomocy społecznej",
    "umieszczenie_dps": "Umieścić {who} w domu pomocy społecznej",
}


def _in_kind_without_amount(line: ContentLine) -> bool:
    b = BENEFITS.get(line.benefit)
    return b is not None and not b.cash and line.amount == 0 and not line.one_off


def _in_kind_point(addressee: Addressee, line: ContentLine) -> str:
    """The ruling of a service or placement granted without a sum: the DPS referral
    (art. 59 ust. 1: the type of home), the placement (art. 59 ust. 2: the home named) and care
    services (art. 50: scope, period and place, with the fee the resolution sets, in ``note``)."""
    note = line.note.strip()
    template = _IN_KIND_VERBS.get(line.benefit)
    if template is not None:
        text = template.format(who=party(addressee, "acc"))
        if note:
            text += f" {note}" if note.startswith("dla ") else f": {note}"
        return _full_stop(text)
    purpose = f" {line.purpose.strip()}" if line.purpose.strip() else ""
    text = (
        f"Przyznać {party(addressee, 'dat')} {label_of(line.benefit)}{purpose}, "
        f"{_full_stop(_period_text(line))}"
    )
    return f"{text} {_full_stop(note)}" if note else text


# The DPS fee decision (art. 59 ust. 1, art. 61 u.p.s.) is addressed to the resident; the
# shares of the spouse, descendants and ascendants (art. 61 ust. 1 pkt 2 — by agreement, art. 103
# ust. 2) and of the gmina (pkt 3) are not fees set on the resident and must not read as such.
_OTHER_PAYER = re.compile(r"art\. 61 ust\. 1 pkt [23]\b")


def _other_payer(line: ContentLine) -> bool:
    return line.benefit == "oplata_dps" and bool(_OTHER_PAYER.search(line.note))


def fee_others(content: DecisionContent) -> str:
    """The information under a DPS fee ruling on who pays the rest of the cost (not ruled on):
    „Pozostałą część … ponoszą: Adam Syn (syn) — 4 600,00 zł miesięcznie …”; the lines of a zero
    share are left out; ``""`` when there is nobody else."""
    if content.kind != DecisionKind.FEE and not fee_change(content):
        return ""
    parts = []
    for line in content.lines:
        if _other_payer(line) and line.amount > 0:
            who, _, article = line.note.partition(" — ")
            parts.append(f"{who} — {pln(line.amount)} miesięcznie ({article.strip()})")
    if not parts:
        return ""
    relatives = any("pkt 2" in ln.note for ln in content.lines if _other_payer(ln))
    return (
        "Informacja: pozostałą część średniego miesięcznego kosztu utrzymania w domu pomocy "
        "społecznej ponoszą: "
        + "; ".join(parts)
        + "."
        + (
            " Wysokość opłaty wnoszonej przez małżonka, zstępnych i wstępnych ustala się "
            "w umowie (art. 103 ust. 2 u.p.s.); niniejsza decyzja jej nie ustala."
            if relatives
            else ""
        )
    )


def appeal_instruction(content: DecisionContent) -> list[str]:
    a = content.authority
    via = f"{a.name} — {a.centre_name}, {a.street_address}, {a.postal_code} {a.city}"
    return [
        f"Od niniejszej decyzji przysługuje stronie odwołanie do {_dative(a.appeal_body)} "
        f"za pośrednictwem organu, który wydał decyzję ({via}), w terminie 14 dni od dnia jej "
        "doręczenia (art. 127 § 1 i art. 129 § 1 i 2 KPA).",
        "W trakcie biegu terminu do wniesienia odwołania strona może zrzec się prawa do wniesienia "
        "odwołania wobec organu, który wydał decyzję. Z dniem doręczenia organowi oświadczenia "
        "o zrzeczeniu się prawa do wniesienia odwołania przez ostatnią ze stron postępowania "
        "decyzja staje się ostateczna i prawomocna (art. 127a KPA).",
    ]


def _dative(body: str) -> str:
    # "Samorządowe Kolegium Odwoławcze w Kielcach" → dative for "odwołanie do …" takes genitive
    return body.replace("Samorządowe Kolegium Odwoławcze", "Samorządowego Kolegium Odwoławczego")


def distribution(content: DecisionContent) -> list[str]:
    a = content.addressee
    addressee = f"{honorific(a.sex, 'nom')} {a.full_name}".strip()
    return [addressee, *content.extra_recipients, "a/a"]


# A DPS referral or placement is not „przyznanie świadczenia” in the client's eyes: the title
# names the matter (art. 59 ust. 1 and 2 u.p.s.).
_GRANT_TITLES: dict[str, str] = {
    "skierowanie_dps": "w sprawie skierowania do domu pomocy społecznej",
    "umieszczenie_dps": "w sprawie umieszczenia w domu pomocy społecznej",
}


def _subtitle(content: DecisionContent) -> str:
    benefits = {ln.benefit for ln in content.lines}
    if content.kind == DecisionKind.GRANT and len(benefits) == 1:
        (only,) = benefits
        if only in _GRANT_TITLES:
            return _GRANT_TITLES[only]
    return KIND_TITLES.get(content.kind, "")


def document_context(content: DecisionContent) -> dict[str, Any]:
    """The template context of a decision (pure: no database, no clock)."""
    kind_label = DecisionKind(content.kind).label if content.kind in DecisionKind.values else ""
    total = sum((ln.amount for ln in content.lines if ln.granted), Decimal("0"))
    return {
        "c": content,
        "kind_label": kind_label,
        "title": "DECYZJA" + (f" nr {content.number}" if content.number else " (projekt)"),
        "subtitle": _subtitle(content),
        "issued_on_text": f"{content.place}, dnia {date_pl(content.issued_on)}",
        "application_date_text": date_pl(content.application_date)
        if content.application_date
        else "",
        "legal_basis": legal_basis(content),
        "legal_basis_text": legal_basis_text(content),
        "electronic": content.signature_method == SIGNATURE_ELECTRONIC,
        "acts": ACTS,
        "points": operative_points(content),
        "justification_paragraphs": [p for p in content.justification.split("\n\n") if p.strip()],
        "appeal": appeal_instruction(content),
        "fee_others": fee_others(content),
        "duty_to_report": DUTY_TO_REPORT
        if content.kind in (DecisionKind.GRANT, DecisionKind.CHANGE)
        else "",
        "distribution": distribution(content),
        "signatory": content.signatory,
        "total": total,
        "draft": content.draft or content.signatory is None,
    }


def template_for(kind: str) -> str:
    return f"decisions/pdf/{kind}.html"


def render_html(content: DecisionContent) -> str:
    return render_to_string(template_for(content.kind), document_context(content))


@lru_cache(maxsize=1)
def _font_config() -> Any:
    # local: heavy library (Pango, fonts), loaded only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# PDF/A-2a: archival (PDF/A-2) at conformance level A, which requires a tagged, logically
# structured document (WeasyPrint writes the structure tree, ``pdf_tags``) — so screen readers
# can read a decision (PDF/UA's aim) and the archive keeps it. WeasyPrint's ``pdf_variant``
# takes one variant, so ``pdf/ua-1`` would drop the PDF/A profile the centre archives in;
# PDF/A-2a keeps that profile and adds the tags.
PDF_VARIANT = "pdf/a-2a"


_WARMING = threading.Lock()


def render_pdf(html: str) -> bytes:
    """HTML → PDF (A4, PDF/A-2a: tagged, metadata and output intent; fonts embedded)."""
    with _WARMING:  # a warm-up in progress (issue 19) finishes first; otherwise free at once
        pass
    return _render_pdf(html)


def _render_pdf(html: str) -> bytes:
    # local: heavy library (Pango, fonts), loaded only when a PDF is made
    from weasyprint import HTML

    base = Path(__file__).resolve().parent
    doc = HTML(string=html, base_url=str(base))
    return bytes(doc.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=_font_config()))


def warm_up() -> float:
    """Issue 19: the first PDF of a process pays WeasyPrint's start-up (imports, fontconfig,
    the PDF/A machinery — ~2 s, far more on a busy machine); render a one-line document once
    so that the first draft a clerk opens answers at once. Called by the served process only
    (``ostoja/wsgi.py``), never by tests or the CLI. Returns the seconds it took."""
    start = time.perf_counter()
    with _WARMING:
        _render_pdf('<html lang="pl"><body><p>Ostoja — rozgrzewka</p></body></html>')
    return time.perf_counter() - start


def warm_up_in_background() -> threading.Thread:
    """:func:`warm_up` in a daemon thread: the process answers at once; a PDF asked for while
    the warm-up runs waits for it (``_WARMING``) instead of paying the start-up a second time."""
    thread = threading.Thread(target=_warm_quietly, name="ostoja-pdf-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_quietly() -> None:
    try:
        warm_up()
    except Exception:  # a warm-up failure must never stop the server; the PDF view reports
        logging.getLogger(__name__).exception("Rozgrzewka WeasyPrint nie powiodła się")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def justification_draft(
    *,
    kind: str,
    addressee_name: str,
    application_date: date | None,
    benefit_label: str,
    trace: list[dict[str, str]],
    interview_date: date | None = None,
    interview_summary: str = "",
    reasons: list[str] | None = None,
    sex: str = "",
    benefit: str = "",
    request: Mapping[str, Any] | None = None,
    result: Mapping[str, Any] | None = None,
    art7: Sequence[tuple[str, str]] = (),
    art7_other: str = "",
    line: ContentLine | None = None,
    amount_reason: str = "",
    period_reason: str = "",
    immediate_reason: str = "",
    in_kind: bool = False,
) -> str:
    """The first version of the justification (editable): facts found and legal reasoning,
    drafted by :mod:`ostoja.decisions.justification` from the application, the interview and
    the calculation. ``reasons`` are the refusal grounds (a refusal) or the reason of an ex
    officio decision; ``trace`` is kept for callers that have no calculation document."""
    # The figures come from ``result``; the trace stays in the file, not the text — except for
    # a fee decision without a calculation document, whose only facts are its trace.
    fee_trace = trace if kind == DecisionKind.FEE and not result else []
    refusal = kind == DecisionKind.REFUSAL
    facts = justification.Facts(
        kind=kind,
        addressee_name=addressee_name,
        sex=sex,
        application_date=application_date,
        benefit=benefit,
        benefit_label=benefit_label,
        request=request or {},
        result=result or {},
        interview_date=interview_date,
        interview_summary=interview_summary,
        art7=tuple(art7),
        art7_other=art7_other,
        refusal_reasons=tuple(reasons or ()) if refusal else (),
        other_reason="" if refusal else "; ".join(reasons or ()),
        amount=line.amount if line is not None else None,
        period_from=line.period_from if line is not None else None,
        period_to=line.period_to if line is not None else None,
        one_off=line.one_off if line is not None else False,
        purpose=line.purpose if line is not None else "",
        amount_reason=amount_reason,
        period_reason=period_reason,
        immediate_reason=immediate_reason,
        in_kind=in_kind,
        fee_steps=tuple((str(s.get("step", "")), str(s.get("value", ""))) for s in fee_trace),
        fee_bases=tuple(str(s.get("basis", "")) for s in fee_trace),
        exemption=next(
            (
                (str(s["step"]), str(s.get("value", "")), str(s.get("basis", "")))
                for s in trace
                if str(s.get("step", "")).startswith("Zwolnienie")
                and "na wniosek" in str(s.get("step", ""))
            ),
            (),
        ),
        on_request=any(str(s.get("step", "")) == justification.CHANGE_REQUEST_STEP for s in trace),
    )
    return justification.draft(facts)


# What must never reach a client document: law-core codes (snake_case), ISO dates, the
# „(a)” shortcut instead of a verb agreeing with the party, internal warning notes, the
# calculator's own remarks and English words the templates could leak.
_INTERNAL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kod wewnętrzny", re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")),
    ("data w formacie ISO", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("forma „(a)”", re.compile(r"\w+\((?:a|y|o|e)\)")),
    ("notatka wewnętrzna (⚠)", re.compile("⚠")),
    ("uwaga kalkulatora", re.compile(r"kalkulator", re.IGNORECASE)),
    (
        "słowo angielskie",
        re.compile(r"\b(?:None|True|False|null|TODO|draft|amount|benefit|period)\b"),
    ),
)


def internal_markers(text: str) -> list[str]:
    """What in ``text`` must not go to a client (empty list: nothing) — used by the check step
    and by the tests that read every decision kind's PDF back."""
    found = []
    for label, pattern in _INTERNAL_PATTERNS:
        m = pattern.search(text)
        if m:
            found.append(f"{label}: „{m.group(0)}”")
    return found
