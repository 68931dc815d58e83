"""The decision as a document: a frozen description → template context → HTML → PDF.

Everything here is pure except the last two steps (Django's template engine, WeasyPrint), so the
contents of a decision — every element art. 107 § 1 KPA requires — can be tested without a
database. The legal basis is assembled from the calculation trace's ``basis`` entries plus the
procedural basis of the decision's kind; it is never typed by hand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ostoja.decisions.catalog import label_of
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.words import amount_in_words
from ostoja.law.money import pln

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
# authority's competence with the authorisation (art. 110 ust. 1 i 8 u.p.s.).
_AUTHORITY = "art. 110 ust. 1 i 8 u.p.s."
PROCEDURAL_BASIS: dict[str, tuple[str, ...]] = {
    DecisionKind.GRANT: ("art. 104 KPA", "art. 106 ust. 1 u.p.s.", _AUTHORITY),
    DecisionKind.REFUSAL: ("art. 104 KPA", "art. 106 ust. 1 i 4 u.p.s.", _AUTHORITY),
    DecisionKind.CHANGE: ("art. 104 KPA", "art. 106 ust. 5 u.p.s.", _AUTHORITY),
    DecisionKind.REVOCATION: ("art. 104 KPA", "art. 106 ust. 5 u.p.s.", _AUTHORITY),
    DecisionKind.EXPIRY: ("art. 162 § 1 pkt 1 KPA", "art. 104 KPA", _AUTHORITY),
    DecisionKind.RECOVERY: (
        "art. 104 KPA",
        "art. 6 pkt 16 u.p.s.",
        "art. 98 ust. 1 u.p.s.",
        "art. 104 ust. 1 u.p.s.",
        _AUTHORITY,
    ),
    DecisionKind.WRITE_OFF: ("art. 104 KPA", "art. 104 ust. 4 u.p.s.", _AUTHORITY),
    DecisionKind.INSTALMENTS: ("art. 104 KPA", "art. 104 ust. 4 u.p.s.", _AUTHORITY),
    DecisionKind.FEE: ("art. 104 KPA", "art. 106 ust. 1 u.p.s.", _AUTHORITY),
    DecisionKind.DISCONTINUANCE: ("art. 105 § 1 KPA", _AUTHORITY),
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
    """``date(2025, 12, 10)`` → ``"10 grudnia 2025 r."``."""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} r."


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


@dataclass(frozen=True, slots=True)
class Addressee:
    full_name: str
    address_lines: tuple[str, ...]


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
    draft: bool = field(default=False)


def legal_basis(content: DecisionContent) -> list[str]:
    """The cited provisions: the trace's bases (in order, de-duplicated) and the procedural ones."""
    seen: set[str] = set()
    out: list[str] = []
    for item in content.trace_bases:
        for part in _split_basis(item):
            if part and part not in seen:
                seen.add(part)
                out.append(part)
    procedural = list(PROCEDURAL_BASIS.get(content.kind, ("art. 104 KPA",)))
    if content.immediate:
        procedural.append(IMMEDIATE_BASIS)
    for part in procedural:
        if part not in seen:
            seen.add(part)
            out.append(part)
    return out


_CITATION = re.compile(
    r"^(art\.|§|ustaw|rozporządzeni|uchwał|zarządzeni|obwieszczeni|Kodeks)", re.IGNORECASE
)


def _split_basis(basis: str) -> list[str]:
    """``"art. 8 ust. 1 u.p.s.; Rozporządzenie …"`` → the cited provisions, one each; fragments
    that are not a citation (explanations after a semicolon) are dropped."""
    parts, depth, cur = [], 0, ""
    for ch in basis:
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if _CITATION.match(p.strip())]


def _period_text(line: ContentLine) -> str:
    if line.one_off:
        month = MONTHS_GENITIVE[line.period_from.month - 1]
        return f"jednorazowo, w {month} {line.period_from.year} r."
    if line.period_to is None:
        return f"od {date_pl(line.period_from)} na czas nieokreślony"
    from datetime import timedelta

    last = line.period_to - timedelta(days=1)
    return f"od {date_pl(line.period_from)} do {date_pl(last)}"


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
    who = content.addressee.full_name
    k = content.kind
    ref = content.referenced
    ref_text = f"decyzji nr {ref.number} z dnia {date_pl(ref.issued_on)}" if ref else "decyzji"
    # instrumental case: „przyznane decyzją nr …”, „ustaloną decyzją nr …”
    ref_by = f"decyzją nr {ref.number} z dnia {date_pl(ref.issued_on)}" if ref else "decyzją"
    points: list[str] = []
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
        if k in (DecisionKind.GRANT, DecisionKind.CHANGE) and line.granted:
            verb = "Przyznać" if k == DecisionKind.GRANT else f"Zmienić {ref_text} i przyznać"
            points.append(
                f"{verb} stronie ({who}) świadczenie: {label}{purpose} w kwocie "
                f"{amount}{per}, {_full_stop(_period_text(line))} {_payment_text(line)}"
            )
        elif k == DecisionKind.REFUSAL or not line.granted:
            points.append(
                f"Odmówić stronie ({who}) przyznania świadczenia: {label}{purpose} "
                f"w kwocie {amount}{per}, za okres {_full_stop(_period_text(line))}"
            )
        elif k == DecisionKind.FEE:
            note = f" ({line.note})" if line.note else ""
            points.append(
                f"Ustalić stronie ({who}) odpłatność za "
                f"{label.removeprefix('odpłatność za ')}"
                f" w kwocie {amount}{per}{note}, {_full_stop(_period_text(line))} "
                "Odpłatność należy wnosić "
                f"do {line.payment_day}. dnia każdego miesiąca na rachunek ośrodka."
            )
    if k in (DecisionKind.REVOCATION, DecisionKind.EXPIRY):
        verb = "Uchylić" if k == DecisionKind.REVOCATION else "Stwierdzić wygaśnięcie"
        since = f" z dniem {date_pl(content.effective_from)}" if content.effective_from else ""
        points.insert(0, f"{verb} {ref_text}{since}.")
    if k == DecisionKind.CHANGE and content.effective_from:
        points.append(
            f"Zmiana obowiązuje od dnia {date_pl(content.effective_from)}; w pozostałym zakresie "
            f"{ref_text} pozostaje bez zmian."
        )
    if k == DecisionKind.RECOVERY and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        due = f" w terminie do dnia {date_pl(content.recovery_due)}" if content.recovery_due else ""
        points.append(
            f"Ustalić, że strona ({who}) nienależnie pobrała świadczenie "
            f"przyznane {ref_by}, i zobowiązać do jego zwrotu w kwocie {m['figures']} "
            f"(słownie: {m['words']}){due} na rachunek bankowy ośrodka."
        )
    if k == DecisionKind.WRITE_OFF and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        points.append(
            f"Umorzyć stronie ({who}) w całości należność z tytułu nienależnie "
            f"pobranego świadczenia ustaloną {ref_by} w kwocie {m['figures']} "
            f"(słownie: {m['words']})."
        )
    if k == DecisionKind.INSTALMENTS and content.recovery_amount is not None:
        m = _money(content.recovery_amount)
        points.append(
            f"Rozłożyć stronie ({who}) na {len(content.instalments)} rat(y) "
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
        points.append(
            "Decyzji nadać rygor natychmiastowej wykonalności (art. 108 § 1 KPA)"
            + (f" ze względu na {content.immediate_reason}" if content.immediate_reason else "")
            + "."
        )
    return points


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
    return [f"Adresat — {content.addressee.full_name}", *content.extra_recipients, "a/a"]


def document_context(content: DecisionContent) -> dict[str, Any]:
    """The template context of a decision (pure: no database, no clock)."""
    kind_label = DecisionKind(content.kind).label if content.kind in DecisionKind.values else ""
    total = sum((ln.amount for ln in content.lines if ln.granted), Decimal("0"))
    return {
        "c": content,
        "kind_label": kind_label,
        "title": "DECYZJA" + (f" nr {content.number}" if content.number else " (projekt)"),
        "subtitle": KIND_TITLES.get(content.kind, ""),
        "issued_on_text": f"{content.place}, dnia {date_pl(content.issued_on)}",
        "application_date_text": date_pl(content.application_date)
        if content.application_date
        else "",
        "legal_basis": legal_basis(content),
        "acts": ACTS,
        "points": operative_points(content),
        "justification_paragraphs": [p for p in content.justification.split("\n\n") if p.strip()],
        "appeal": appeal_instruction(content),
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
    from django.template.loader import render_to_string

    return render_to_string(template_for(content.kind), document_context(content))


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


PDF_VARIANT = "pdf/a-2b"


def render_pdf(html: str) -> bytes:
    """HTML → PDF (A4, PDF/A-2b metadata and output intent; fonts embedded)."""
    from weasyprint import HTML

    base = Path(__file__).resolve().parent
    doc = HTML(string=html, base_url=str(base))
    return bytes(doc.write_pdf(pdf_variant=PDF_VARIANT, font_config=_font_config()))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Proceedings the centre opens of its own motion (art. 106 ust. 5, art. 104 u.p.s.): their
# justification does not begin with „strona wystąpiła z wnioskiem”.
EX_OFFICIO_KINDS = frozenset(
    {DecisionKind.CHANGE, DecisionKind.REVOCATION, DecisionKind.EXPIRY, DecisionKind.RECOVERY}
)


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
) -> str:
    """The first version of the justification, from the trace and the interview (editable)."""
    paras: list[str] = []
    if application_date and kind not in EX_OFFICIO_KINDS:
        paras.append(
            f"W dniu {date_pl(application_date)} {addressee_name} wystąpił(a) z wnioskiem "
            f"o przyznanie świadczenia: {benefit_label}."
        )
    if interview_date:
        text = (
            f"W dniu {date_pl(interview_date)} pracownik socjalny przeprowadził rodzinny "
            "wywiad środowiskowy (art. 106 ust. 4 u.p.s.)"
        )
        paras.append(
            text
            + (
                _full_stop(f", w którym ustalono: {interview_summary.strip()}")
                if interview_summary.strip()
                else "."
            )
        )
    if trace:
        facts = ["Organ ustalił i wyliczył, co następuje:"]
        for s in trace:
            if s.get("step", "").startswith("⚠"):
                continue
            facts.append(f"— {s['step']}: {s['value']} ({s['basis']});")
        paras.append("\n".join(facts))
    if reasons:
        paras.append(
            _full_stop("Przyczyny rozstrzygnięcia: " + "; ".join(r.rstrip(".") for r in reasons))
        )
    legal = {
        DecisionKind.GRANT: "Wnioskodawca spełnia ustawowe przesłanki przyznania świadczenia, "
        "a jego wysokość ustalono zgodnie z przytoczonymi przepisami.",
        DecisionKind.REFUSAL: "Wobec niespełnienia ustawowych przesłanek organ odmówił "
        "przyznania świadczenia.",
        DecisionKind.CHANGE: "Zmiana sytuacji strony uzasadnia zmianę decyzji bez jej zgody na "
        "podstawie art. 106 ust. 5 u.p.s.; zmiana działa wyłącznie na przyszłość.",
        DecisionKind.REVOCATION: "Zmiana sytuacji strony uzasadnia uchylenie decyzji na "
        "podstawie art. 106 ust. 5 u.p.s.; uchylenie działa wyłącznie na przyszłość.",
        DecisionKind.RECOVERY: "Świadczenie pobrane na podstawie nieprawdziwych informacji lub "
        "wskutek niepoinformowania o zmianie sytuacji jest świadczeniem nienależnie pobranym "
        "(art. 6 pkt 16 u.p.s.) i podlega zwrotowi niezależnie od dochodu (art. 98 ust. 1 u.p.s.).",
    }.get(kind, "")
    if legal:
        paras.append(legal)
    paras.append("Mając powyższe na uwadze, orzeczono jak w sentencji.")
    return "\n\n".join(paras)
