"""The first draft of a decision's justification (uzasadnienie, art. 107 § 3 KPA).

A justification has a factual part (the facts the authority found and the evidence) and a legal
part (the provisions applied and why). This module writes both as prose from what the system
knows — the application, the community interview, the calculation (request and result with its
trace) — and the drafter's own reasons for the discretionary choices (amount within the range
the Act allows, the period, immediate enforceability). The drafter edits the text before the
check; nothing here is sent unread.

Nothing internal reaches the text: no codes, no ids, no ISO dates, no notes about what the
calculator does not check. Pure: no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ostoja.core.polish import by_sex, date_long, decline_name, honorific, in_month
from ostoja.decisions.catalog import BENEFITS, label_genitive, label_of
from ostoja.decisions.choices import DecisionKind
from ostoja.law.codes import INCOME_KINDS
from ostoja.law.money import pln

# Proceedings the centre opens of its own motion (art. 106 ust. 5, art. 104 u.p.s.): their
# justification does not begin with the application.
EX_OFFICIO_KINDS = frozenset(
    {DecisionKind.CHANGE, DecisionKind.REVOCATION, DecisionKind.EXPIRY, DecisionKind.RECOVERY}
)

CLOSING = "Mając powyższe na uwadze, orzeczono jak w sentencji."

# The trace step of a changing decision the party asked for (its value: the request's day).
CHANGE_REQUEST_STEP = "Wniosek Strony o zmianę decyzji"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the justification is drafted from (every field optional but the kind and party)."""

    kind: str
    addressee_name: str
    sex: str = ""
    application_date: date | None = None
    benefit: str = ""  # catalog code of the (first) benefit decided
    benefit_label: str = ""  # fallback when there is no code
    request: Mapping[str, Any] = field(default_factory=dict)  # calculation request document
    result: Mapping[str, Any] = field(default_factory=dict)  # calculation result document
    interview_date: date | None = None
    interview_summary: str = ""
    # art. 7 u.p.s. reasons as (point, words), resolved by the caller from the cases
    # context's code list: ("4", "bezrobocie")
    art7: Sequence[tuple[str, str]] = ()
    art7_other: str = ""
    refusal_reasons: Sequence[str] = ()
    amount: Decimal | None = None
    period_from: date | None = None
    period_to: date | None = None  # exclusive
    one_off: bool = False
    purpose: str = ""
    amount_reason: str = ""  # the drafter's: why this amount within the range
    period_reason: str = ""  # the drafter's: why this period
    immediate_reason: str = ""  # art. 108 § 1 KPA
    in_kind: bool = False  # services or a placement, nothing paid out (art. 50, 59 u.p.s.)
    fee_steps: tuple[tuple[str, str], ...] = ()  # a fee decision: (what, value) found
    fee_bases: tuple[str, ...] = ()  # … and the provisions its trace cites
    # An exemption from a fee on request (the trace's "Zwolnienie … na wniosek" step of the law
    # core's ``benefits.exemption``): (what, figures, basis); empty when there is none.
    exemption: tuple[str, ...] = ()
    # A change the party asked for (the trace's "Wniosek Strony o zmianę decyzji" step): not
    # made „bez jej zgody”.
    on_request: bool = False
    other_reason: str = ""  # change / revocation / recovery / discontinuance: why


def _dec(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw not in (None, "") else None
    except InvalidOperation:
        return None


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ;,")
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _clean(text: str) -> str:
    """Text from another context made fit for a client: no snake_case codes, no ISO dates, no
    „(a)” forms, no ⚠ notes."""
    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", _iso_to_words, text)
    text = text.replace("⚠", "").replace("(a)", "")
    return " ".join(text.split())


def _iso_to_words(m: re.Match[str]) -> str:
    try:
        return date_long(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    except ValueError:
        return m.group(0)


def _who(f: Facts, case: str = "nom") -> str:
    if f.sex in ("K", "M"):
        return f"{honorific(f.sex, case)} {decline_name(f.addressee_name, case, f.sex)}"  # type: ignore[arg-type]
    return {"nom": "Strona", "gen": "Strony", "dat": "Stronie"}.get(case, "Strona")


def _v(f: Facts, masculine: str, feminine: str) -> str:
    """A verb agreeing with the party („złożył/złożyła”); „Strona” is feminine."""
    return by_sex(f.sex, masculine, feminine, feminine)


def _label(f: Facts) -> str:
    return label_of(f.benefit) if f.benefit else f.benefit_label


def _label_gen(f: Facts) -> str:
    return label_genitive(f.benefit) if f.benefit else f.benefit_label


# ----------------------------------------------------------------- the factual part


def _application(f: Facts) -> str:
    if not f.application_date or f.kind in EX_OFFICIO_KINDS:
        return ""
    what = _label_gen(f)
    purpose = f" z przeznaczeniem na {f.purpose}" if f.purpose else ""
    about = f" o przyznanie {what}{purpose}" if what else ""
    return (
        f"W dniu {date_long(f.application_date)} {_who(f)} {_v(f, 'złożył', 'złożyła')} "
        f"wniosek{about}."
    )


def _interview(f: Facts) -> str:
    if not f.interview_date:
        return ""
    text = (
        f"W dniu {date_long(f.interview_date)} pracownik socjalny przeprowadził "
        f"{'z ' + _who(f, 'inst') if f.sex in ('K', 'M') else 'ze Stroną'} rodzinny wywiad "
        "środowiskowy (art. 106 ust. 4 u.p.s.)"
    )
    summary = _clean(f.interview_summary)
    if summary:
        return (
            f"{text}, w którym ustalono: {_sentence(summary)[:1].lower()}{_sentence(summary)[1:]}"
        )
    return text + "."


def _household(f: Facts) -> str:
    members = list(f.request.get("members") or [])
    if not members:
        return ""
    n = len(members)
    if n == 1:
        return f"{_who(f)} {_v(f, 'prowadzi', 'prowadzi')} jednoosobowe gospodarstwo domowe."
    return (
        f"{_who(f)} {_v(f, 'pozostaje', 'pozostaje')} we wspólnym gospodarstwie domowym; rodzina "
        f"liczy {n} {'osoby' if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else 'osób'}."
    )


def _income_kind(code: str) -> str:
    label = INCOME_KINDS.get(code, "")
    label = re.sub(r"\s*\([^)]*\)", "", label).strip()
    return label[:1].lower() + label[1:] if label else "inny dochód"


def _income(f: Facts) -> str:
    income = f.result.get("income") or {}
    total = _dec(income.get("total"))
    month = str(income.get("month") or "")
    if total is None or not re.fullmatch(r"\d{4}-\d{2}", month):
        return ""
    year, mon = int(month[:4]), int(month[5:])
    single = len(f.request.get("members") or []) <= 1
    lost = bool(f.request.get("income_lost"))
    which = (
        "w miesiącu złożenia wniosku, wobec utraty dochodu"
        if lost
        else "w miesiącu poprzedzającym złożenie wniosku"
    )
    items: list[str] = []
    for m in f.request.get("members") or []:
        for item in m.get("incomes") or []:
            amount = _dec(item.get("amount"))
            if amount is not None:
                items.append(f"{_income_kind(str(item.get('kind', '')))} {pln(amount)}")
    label = "źródło dochodu" if len(items) == 1 else "źródła dochodu"
    sources = f" ({label}: {', '.join(items)})" if items else ""
    whose = "osoby samotnie gospodarującej" if single else "rodziny"
    text = (
        f"Dochód {whose} {in_month(year, mon)}, tj. {which} (art. 8 ust. 3 u.p.s.), wyniósł "
        f"{pln(total)}{sources}."
    )
    per_person = _dec(income.get("per_person"))
    criterion = _dec(income.get("criterion"))
    if not single and per_person is not None:
        text += f" Dochód na osobę w rodzinie wyniósł {pln(per_person)}"
        text += f", przy kryterium {pln(criterion)} na osobę." if criterion else "."
    elif criterion is not None:
        text += f" Kryterium dochodowe osoby samotnie gospodarującej wynosi {pln(criterion)}."
    return text


def _art7(f: Facts) -> str:
    parts = [f"{label} (pkt {point})" for point, label in f.art7 if point != "inne"]
    if f.art7_other.strip():
        parts.append(f"inne okoliczności: {_clean(f.art7_other)}")
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " oraz " + parts[-1]
    return (
        "Organ ustalił, że w sytuacji Strony występują okoliczności uzasadniające udzielenie "
        f"pomocy, o których mowa w art. 7 u.p.s.: {joined}."
    )


# ----------------------------------------------------------------- the legal part


def _eligibility(f: Facts) -> str:
    income = f.result.get("income") or {}
    total = _dec(income.get("total"))
    single = len(f.request.get("members") or []) <= 1
    criterion = _dec(income.get("criterion"))
    n = max(len(f.request.get("members") or []), 1)
    limit = criterion if single or criterion is None else criterion * n
    if f.benefit == "zasilek_okresowy" and total is not None and limit is not None:
        who = "osobie samotnie gospodarującej" if single else "rodzinie"
        return (
            "Zgodnie z art. 38 ust. 1 u.p.s. zasiłek okresowy przysługuje w szczególności ze "
            f"względu na długotrwałą chorobę, niepełnosprawność, bezrobocie lub możliwość "
            f"utrzymania albo nabycia uprawnień do świadczeń z innych systemów zabezpieczenia "
            f"społecznego {who}, której dochód jest niższy od kryterium dochodowego. Dochód "
            f"({pln(total)}) jest niższy od kryterium ({pln(limit)}), zatem przesłanki przyznania "
            "zasiłku zostały spełnione."
        )
    if f.benefit == "zasilek_staly" and total is not None and criterion is not None:
        own = "Dochód Strony" if single else "Dochód na osobę w rodzinie"
        figure = total if single else (_dec(income.get("per_person")) or total)
        return (
            "Zgodnie z art. 37 ust. 1 u.p.s. zasiłek stały przysługuje pełnoletniej osobie "
            "całkowicie niezdolnej do pracy z powodu wieku lub niepełnosprawności, której dochód "
            f"jest niższy od kryterium dochodowego. {own} ({pln(figure)}) jest niższy od "
            f"kryterium ({pln(criterion)}), a niezdolność do pracy ustalono w postępowaniu, "
            "zatem przesłanki przyznania zasiłku zostały spełnione."
        )
    if f.benefit in ("zasilek_celowy", "specjalny_zasilek_celowy") and total is not None:
        basis = "art. 39 ust. 1" if f.benefit == "zasilek_celowy" else "art. 41 pkt 1"
        return (
            f"Zgodnie z {basis} u.p.s. zasiłek celowy może być przyznany w celu zaspokojenia "
            "niezbędnej potrzeby bytowej. Organ uznał, że potrzeba wskazana we wniosku jest "
            "niezbędna, a sytuacja dochodowa Strony uzasadnia przyznanie pomocy."
        )
    return ""


def _amount(f: Facts) -> str:
    if f.amount is None:
        return ""
    lo, hi = _dec(f.result.get("amount_min")), _dec(f.result.get("amount_max"))
    granted = pln(f.amount)
    reason = _clean(f.amount_reason)
    if f.benefit == "zasilek_okresowy" and lo is not None and hi is not None:
        text = (
            "Zgodnie z art. 38 ust. 2 i 3 u.p.s. zasiłek okresowy ustala się do wysokości "
            f"różnicy między kryterium dochodowym a dochodem ({pln(hi)}), przy czym nie może być "
            f"on niższy niż 50% tej różnicy ({pln(lo)}). Organ ustalił zasiłek w kwocie "
            f"{granted} miesięcznie"
        )
        default = (
            "kwota ta, wraz z dochodem Strony, pozwoli zaspokoić jej niezbędne potrzeby "
            "bytowe ustalone w wywiadzie, przy uwzględnieniu środków, którymi ośrodek "
            "dysponuje na realizację tego zadania, oraz liczby osób oczekujących na pomoc"
            if f.amount == lo
            else "kwota ta odpowiada ustalonym w wywiadzie niezbędnym potrzebom Strony"
        )
        return f"{text}, ponieważ {_lower(reason or default)}".rstrip(".") + "."
    if f.benefit in ("zasilek_celowy", "specjalny_zasilek_celowy"):
        text = (
            "Ustawa nie określa wysokości zasiłku celowego; organ ustala ją, uwzględniając "
            "rodzaj i koszt potrzeby oraz możliwości ośrodka. Organ przyznał zasiłek w kwocie "
            f"{granted}"
        )
        default = "kwota ta pozwoli pokryć niezbędny koszt potrzeby wskazanej we wniosku"
        return f"{text}, ponieważ {_lower(reason or default)}".rstrip(".") + "."
    if f.benefit == "zasilek_staly":
        return (
            "Wysokość zasiłku stałego wynika z art. 37 ust. 2 u.p.s.: stanowi różnicę między "
            f"kwotą określoną w ustawie a dochodem Strony i wynosi {granted} miesięcznie."
            + (f" {_sentence(reason)}" if reason else "")
        )
    if reason:
        return _sentence(reason)
    return ""


# Words that keep their capital inside a sentence: the party as a defined term, honorifics.
_KEEP_CAPITAL = frozenset(
    {"Strona", "Strony", "Stronie", "Stronę", "Stroną", "Pan", "Pani", "Pana", "Panu", "Panią"}
)


def _lower(text: str) -> str:
    """Continue a sentence with ``text``: its first letter lowered unless it is the defined
    term „Strona”, an honorific or an acronym („ZUS”)."""
    text = " ".join(text.split())
    first = text.split(" ", 1)[0] if text else ""
    if first in _KEEP_CAPITAL or first[:2] == first[:2].upper():
        return text
    return text[:1].lower() + text[1:]


def _period(f: Facts) -> str:
    if f.period_from is None:
        return ""
    reason = _clean(f.period_reason)
    if f.one_off:
        when = in_month(f.period_from.year, f.period_from.month)  # ends with „r.”
        return f"Świadczenie ma charakter jednorazowy i zostało przyznane {when}" + (
            f" {_sentence(reason)}" if reason else ""
        )
    if f.period_to is None:
        span = f"od {date_long(f.period_from)} na czas nieokreślony"
        default = "okoliczności uzasadniające pomoc mają charakter trwały"
    else:
        last = f.period_to - timedelta(days=1)
        span = f"na okres od {date_long(f.period_from)} do {date_long(last)}"
        default = (
            "w tym czasie, według ustaleń wywiadu, Strona nie będzie w stanie samodzielnie "
            "przezwyciężyć trudnej sytuacji; po jego upływie organ ponownie oceni sytuację "
            "w ramach aktualizacji wywiadu"
        )
    basis = " (art. 38 ust. 5 u.p.s.)" if f.benefit == "zasilek_okresowy" else ""
    what = "Odpłatność ustalono" if f.kind == DecisionKind.FEE else "Świadczenie przyznano"
    return f"{what} {span}{basis}, ponieważ {_lower(reason or default)}".rstrip(".") + "."


# The law core states its refusal grounds for staff; on a decision they read as the
# authority's own reasoning.
_GROUND_WORDING = (
    (" — ośrodek skorzystał z możliwości odmowy", ", co w ocenie organu uzasadnia odmowę"),
    (") (art.", "; art."),
)


def _ground(text: str) -> str:
    text = _clean(text).rstrip(".")
    for staff, decision in _GROUND_WORDING:
        text = text.replace(staff, decision)
    return text


def _refusal(f: Facts) -> str:
    grounds = [_ground(r) for r in f.refusal_reasons if _clean(r)]
    if not grounds:
        return (
            f"Organ odmówił przyznania {_label_gen(f)}, ponieważ nie zostały spełnione "
            "ustawowe przesłanki jego przyznania."
        )
    if len(grounds) == 1:
        return f"Organ odmówił przyznania {_label_gen(f)}, ponieważ: {_lower(grounds[0])}."
    listed = "; ".join(f"{i}) {_lower(g)}" for i, g in enumerate(grounds, 1))
    return (
        f"Organ odmówił przyznania {_label_gen(f)} z następujących przyczyn, z których każda "
        f"samodzielnie uzasadnia odmowę: {listed}."
    )


def _immediate(f: Facts) -> str:
    reason = _clean(f.immediate_reason)
    if not reason:
        return ""
    # The reason is the drafter's own sentence: after a colon, not after „ze względu na” (which
    # needs a noun phrase). A service or a placement is not „paid out”: its delay is a matter of
    # care, not of money (art. 108 § 1 KPA: the party's exceptionally important interest).
    b = BENEFITS.get(f.benefit)
    delay = (
        "zwłoka w wypłacie świadczenia do czasu, gdy decyzja stanie się ostateczna, pozbawiłaby "
        "Stronę środków na zaspokojenie niezbędnych potrzeb"
        if not f.in_kind and (b is None or b.cash)
        else "zwłoka w realizacji świadczenia do czasu, gdy decyzja stanie się ostateczna, "
        "byłaby sprzeczna z wyjątkowo ważnym interesem Strony"
    )
    return (
        "Decyzji nadano rygor natychmiastowej wykonalności na podstawie art. 108 § 1 KPA, "
        f"ponieważ {delay}. Przemawia za tym następująca okoliczność: "
        f"{_lower(reason).rstrip('. ')}."
    )


_EX_OFFICIO_LEGAL: dict[str, str] = {
    DecisionKind.CHANGE: "Zmiana sytuacji Strony uzasadnia zmianę decyzji bez jej zgody "
    "(art. 106 ust. 5 u.p.s.); zmiana działa wyłącznie na przyszłość.",
    DecisionKind.REVOCATION: "Zmiana sytuacji Strony uzasadnia uchylenie decyzji "
    "(art. 106 ust. 5 u.p.s.); uchylenie działa wyłącznie na przyszłość.",
    DecisionKind.EXPIRY: "Decyzja stała się bezprzedmiotowa, co uzasadnia stwierdzenie jej "
    "wygaśnięcia (art. 162 § 1 pkt 1 KPA).",
    DecisionKind.RECOVERY: "Świadczenie pobrane na podstawie nieprawdziwych informacji lub "
    "wskutek niepoinformowania organu o zmianie sytuacji jest świadczeniem nienależnie pobranym "
    "(art. 6 pkt 16 u.p.s.) i podlega zwrotowi niezależnie od dochodu (art. 98 ust. 1 u.p.s.); "
    "kwotę i termin zwrotu ustala się w drodze decyzji (art. 104 ust. 1 u.p.s.).",
    DecisionKind.WRITE_OFF: "W szczególnie uzasadnionych przypadkach organ może umorzyć "
    "należność w całości lub w części (art. 104 ust. 4 u.p.s.).",
    DecisionKind.INSTALMENTS: "W szczególnie uzasadnionych przypadkach organ może rozłożyć "
    "należność na raty (art. 104 ust. 4 u.p.s.).",
    DecisionKind.DISCONTINUANCE: "Postępowanie stało się bezprzedmiotowe, co obliguje organ do "
    "jego umorzenia (art. 105 § 1 KPA).",
}


_CHANGE_ON_REQUEST = (
    "Zmiana sytuacji Strony, wskazana w jej wniosku, uzasadnia zmianę decyzji "
    "(art. 106 ust. 5 u.p.s.); zmiana działa wyłącznie na przyszłość."
)


# The law a fee decision applies, by the article its trace cites (law.md §4.6–4.7, services.md
# §0, §1.5): stated once, in the reasons of law (art. 107 § 3 KPA).
_FEE_LAW: tuple[tuple[str, str], ...] = (
    (
        "art. 61",
        "Zgodnie z art. 61 ust. 1 pkt 1 u.p.s. mieszkaniec domu pomocy społecznej wnosi opłatę "
        "za pobyt w wysokości nie większej niż 70% swojego dochodu; małżonek, zstępni przed "
        "wstępnymi wnoszą ją na zasadach art. 61 ust. 1 pkt 2 i art. 103 ust. 2 u.p.s., a gmina, "
        "z której osobę skierowano, pokrywa różnicę do średniego miesięcznego kosztu utrzymania "
        "(art. 61 ust. 1 pkt 3 u.p.s.).",
    ),
    (
        "art. 97",
        "Odpłatność za pobyt ustala się według art. 97 u.p.s. i uchwały Rady Miasta Kielce "
        "wskazanej w podstawie prawnej, w zależności od dochodu na osobę w stosunku do kryterium "
        "dochodowego z art. 8 ust. 1 u.p.s.; osoba, której dochód nie przekracza kryterium, "
        "nie ponosi opłaty.",
    ),
)


_DPS_OWN_STEPS = ("Średni miesięczny koszt utrzymania", "Mieszkaniec")


def _fee(f: Facts) -> str:
    """A fee decision's reasons of fact (the figures the fee was computed from, as the trace
    states them) and of law (the article applied) — otherwise its justification would say only
    „orzeczono jak w sentencji”, which an appeal body would fault (art. 107 § 3 KPA)."""
    dps = any("art. 61" in b or "art. 60" in b for b in f.fee_bases)
    facts = [
        f"{_clean(what)}: {_clean(value)}"
        for what, value in f.fee_steps
        if what.strip()
        and value.strip()
        and "⚠" not in what
        # A DPS resident's decision states her own figures only: the relatives' incomes and
        # exemptions are their data, not hers to read (art. 100 u.p.s.).
        and (not dps or what.startswith(_DPS_OWN_STEPS))
    ]
    paras = []
    if facts:
        paras.append("W toku postępowania organ ustalił: " + "; ".join(facts) + ".")
    for article, text in _FEE_LAW:
        if any(article in b for b in f.fee_bases):
            paras.append(text)
            break
    return "\n\n".join(paras)


# A fee lowered on the person's request: the reasons of law say on what terms (art. 107 § 3
# KPA) — by the provision the exemption's trace step cites.
_EXEMPTION_LAW: tuple[tuple[str, str], ...] = (
    (
        "art. 50 ust. 6",
        "Szczegółowe warunki częściowego lub całkowitego zwolnienia od opłat za usługi "
        "opiekuńcze określa uchwała Rady Miasta Kielce wydana na podstawie art. 50 ust. 6 "
        "u.p.s.; organ uwzględnił wniosek o zwolnienie w zakresie wskazanym powyżej, a "
        "odpłatność po zwolnieniu określa sentencja.",
    ),
    (
        "art. 97",
        "Osoba zobowiązana do ponoszenia opłaty może zostać na swój wniosek zwolniona z niej "
        "częściowo lub całkowicie na zasadach określonych w uchwale Rady Miasta Kielce wydanej "
        "na podstawie art. 97 ust. 5 u.p.s.; organ uwzględnił wniosek w zakresie wskazanym "
        "powyżej, a opłatę po zwolnieniu określa sentencja.",
    ),
)


def _exemption(f: Facts) -> str:
    """The exemption on request: its facts (unless a fee decision already states them with
    its other figures) and the provision it rests on."""
    what, figures, basis = f.exemption
    paras = [] if f.kind == DecisionKind.FEE else [_sentence(f"{_clean(what)}: {_clean(figures)}")]
    paras += [text for article, text in _EXEMPTION_LAW if article in basis][:1]
    return "\n\n".join(paras)


def draft(f: Facts) -> str:
    """The justification as paragraphs separated by blank lines (editable by the drafter)."""
    paras: list[str] = []
    facts = " ".join(p for p in (_application(f), _interview(f)) if p)
    situation = " ".join(p for p in (_household(f), _income(f)) if p)
    for p in (facts, situation, _art7(f)):
        if p:
            paras.append(p)
    if f.other_reason.strip() and f.kind != DecisionKind.REFUSAL:
        paras.append(_sentence(_clean(f.other_reason)))
    if f.kind == DecisionKind.REFUSAL:
        paras.append(_refusal(f))
    elif f.kind in (DecisionKind.GRANT, DecisionKind.CHANGE, DecisionKind.FEE):
        for p in (_eligibility(f), _amount(f), _period(f)):
            if p:
                paras.append(p)
    if f.kind == DecisionKind.FEE and f.fee_steps:
        fee = _fee(f)
        if fee:
            paras.append(fee)
    if f.exemption and f.kind in (DecisionKind.GRANT, DecisionKind.CHANGE, DecisionKind.FEE):
        paras.append(_exemption(f))
    if f.kind == DecisionKind.CHANGE and (f.exemption or f.on_request):
        # The change was asked for (an exemption on request, or the party's request for the
        # change): not made without consent.
        paras.append(_CHANGE_ON_REQUEST)
    elif f.kind in _EX_OFFICIO_LEGAL:
        paras.append(_EX_OFFICIO_LEGAL[f.kind])
    if f.immediate_reason:
        paras.append(_immediate(f))
    paras.append(CLOSING)
    return "\n\n".join(paras)
