"""Data tables: what each benefit is, which matter it belongs to, where it is booked.

Budget classification per law.md §6.5 (rozporządzenie MF z 2 III 2010, dział 852); task type and
funding per §6.1–6.4. ⚠ paragraphs 4300/4330 for services and DPS fees are the usual practice,
not verified against MOPR's plan of accounts — a data change if MOPR books them elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from ostoja.decisions.lines import BudgetClassification, FundingSource, TaskType
from ostoja.org.choices import MatterKind


@dataclass(frozen=True, slots=True)
class Benefit:
    code: str  # law core benefit code
    label: str  # as it reads in a decision ("zasiłek stały")
    matter: str  # MatterKind code an authorisation must cover
    budget: BudgetClassification
    one_off: bool = False
    cash: bool = True  # paid to the person (False: a service, a fee, in kind)
    basis: str = ""  # the substantive article granting it
    label_gen: str = ""  # genitive, after „odmówić przyznania …” ("" → same as label)


def _b(
    chapter: str, paragraph: str, task: TaskType, funding: FundingSource
) -> BudgetClassification:
    return BudgetClassification("852", chapter, paragraph, task, funding)


_OWN = TaskType.GMINA_OWN_MANDATORY
_CITY = FundingSource.CITY
_STATE = FundingSource.STATE_GRANT

BENEFITS: dict[str, Benefit] = {
    b.code: b
    for b in [
        Benefit(
            "zasilek_staly",
            "zasiłek stały",
            MatterKind.PERMANENT_ALLOWANCE,
            _b("85216", "3110", _OWN, _STATE),
            basis="art. 37 u.p.s.",
            label_gen="zasiłku stałego",
        ),
        Benefit(
            "zasilek_okresowy",
            "zasiłek okresowy",
            MatterKind.PERIODIC_ALLOWANCE,
            _b("85214", "3110", _OWN, _STATE),
            basis="art. 38 u.p.s.",
            label_gen="zasiłku okresowego",
        ),
        Benefit(
            "zasilek_celowy",
            "zasiłek celowy",
            MatterKind.PURPOSE_ALLOWANCE,
            _b("85214", "3110", _OWN, _CITY),
            one_off=True,
            basis="art. 39 u.p.s.",
            label_gen="zasiłku celowego",
        ),
        Benefit(
            "specjalny_zasilek_celowy",
            "specjalny zasiłek celowy",
            MatterKind.SPECIAL_PURPOSE_ALLOWANCE,
            _b("85214", "3110", TaskType.GMINA_OWN_OPTIONAL, _CITY),
            one_off=True,
            basis="art. 41 pkt 1 u.p.s.",
            label_gen="specjalnego zasiłku celowego",
        ),
        Benefit(
            "zasilek_celowy_zdarzenie_losowe",
            "zasiłek celowy w związku ze zdarzeniem losowym",
            MatterKind.RANDOM_EVENT_ALLOWANCE,
            _b("85214", "3110", _OWN, _CITY),
            one_off=True,
            basis="art. 40 ust. 1 u.p.s.",
            label_gen="zasiłku celowego w związku ze zdarzeniem losowym",
        ),
        Benefit(
            "posilek",
            "pomoc w formie posiłku (program „Posiłek w szkole i w domu”)",
            MatterKind.MEALS,
            _b("85230", "3110", _OWN, _CITY),
            cash=False,
            basis="art. 48b ust. 2 u.p.s.",
            label_gen="pomocy w formie posiłku (program „Posiłek w szkole i w domu”)",
        ),
        Benefit(
            "skladka_zdrowotna",
            "składka na ubezpieczenie zdrowotne",
            MatterKind.PERMANENT_ALLOWANCE,
            _b("85213", "4130", _OWN, _STATE),
            cash=False,
            basis="art. 66 ust. 1 pkt 26 ustawy o świadczeniach opieki zdrowotnej",
            label_gen="składki na ubezpieczenie zdrowotne",
        ),
        Benefit(
            "uslugi_opiekuncze",
            "usługi opiekuńcze",
            MatterKind.CARE_SERVICES,
            _b("85228", "4300", _OWN, _CITY),
            cash=False,
            basis="art. 50 u.p.s.",
            label_gen="usług opiekuńczych",
        ),
        Benefit(
            "specjalistyczne_uslugi_opiekuncze_zaburzenia",
            "specjalistyczne usługi opiekuńcze dla osób z zaburzeniami psychicznymi",
            MatterKind.SPECIALISED_CARE_SERVICES,
            _b("85228", "4300", TaskType.GMINA_COMMISSIONED, _STATE),
            cash=False,
            basis="art. 50 ust. 4 u.p.s.",
            label_gen="specjalistycznych usług opiekuńczych dla osób z zaburzeniami psychicznymi",
        ),
        Benefit(
            "oplata_dps",
            "odpłatność za pobyt w domu pomocy społecznej",
            MatterKind.CARE_HOME,
            _b("85202", "4330", _OWN, _CITY),
            cash=False,
            basis="art. 59 i 61 u.p.s.",
            label_gen="odpłatności za pobyt w domu pomocy społecznej",
        ),
        Benefit(
            "pogrzeb",
            "sprawienie pogrzebu",
            MatterKind.FUNERAL,
            _b("85214", "3110", _OWN, _CITY),
            one_off=True,
            cash=False,
            basis="art. 44 u.p.s.",
            label_gen="sprawienia pogrzebu",
        ),
        Benefit(
            "schronienie",
            "schronienie",
            MatterKind.SHELTER,
            _b("85203", "4300", _OWN, _CITY),
            cash=False,
            basis="art. 48a u.p.s.",
            label_gen="schronienia",
        ),
        # Art. 97 stays other than shelter (issue 14): the fee decision's line names the kind of
        # place. ⚠ Expense chapters follow law.md §6.5 (85220 still reads „mieszkania chronione”
        # — the flats that replaced them on 1 Nov 2023; 85203 support centres), § 4300 as for
        # shelter; not verified against MOPR's plan of accounts.
        Benefit(
            "mieszkanie_treningowe",
            "pobyt w mieszkaniu treningowym",
            MatterKind.SUPPORT_AND_HOUSING,
            _b("85220", "4300", _OWN, _CITY),
            cash=False,
            basis="art. 53 u.p.s.",
            label_gen="pobytu w mieszkaniu treningowym",
        ),
        Benefit(
            "mieszkanie_wspomagane",
            "pobyt w mieszkaniu wspomaganym",
            MatterKind.SUPPORT_AND_HOUSING,
            _b("85220", "4300", _OWN, _CITY),
            cash=False,
            basis="art. 53 u.p.s.",
            label_gen="pobytu w mieszkaniu wspomaganym",
        ),
        Benefit(
            "osrodek_wsparcia",
            "pobyt w ośrodku wsparcia",
            MatterKind.SUPPORT_AND_HOUSING,
            _b("85203", "4300", _OWN, _CITY),
            cash=False,
            basis="art. 51 u.p.s.",
            label_gen="pobytu w ośrodku wsparcia",
        ),
        # Powiat tasks (art. 88–93 u.p.s.). ⚠ rozdział 85295 for leaving-care help follows the
        # payments budget table; not verified against MOPR's plan of accounts.
        Benefit(
            "pomoc_na_usamodzielnienie",
            "pomoc pieniężna na usamodzielnienie",
            MatterKind.LEAVING_CARE,
            _b("85295", "3110", TaskType.POWIAT_OWN, _CITY),
            one_off=True,
            basis="art. 88 ust. 1 pkt 1 u.p.s.",
            label_gen="pomocy pieniężnej na usamodzielnienie",
        ),
        Benefit(
            "pomoc_na_kontynuowanie_nauki",
            "pomoc pieniężna na kontynuowanie nauki",
            MatterKind.LEAVING_CARE,
            _b("85295", "3110", TaskType.POWIAT_OWN, _CITY),
            basis="art. 88 ust. 1 pkt 2 u.p.s.",
            label_gen="pomocy pieniężnej na kontynuowanie nauki",
        ),
        Benefit(
            "pomoc_na_zagospodarowanie",
            "pomoc na zagospodarowanie w formie rzeczowej",
            MatterKind.LEAVING_CARE,
            _b("85295", "3110", TaskType.POWIAT_OWN, _CITY),
            one_off=True,
            cash=False,
            basis="art. 88 ust. 1 pkt 3 u.p.s.",
            label_gen="pomocy na zagospodarowanie w formie rzeczowej",
        ),
        Benefit(
            "swiadczenie_integracyjne",
            "świadczenie pieniężne w ramach indywidualnego programu integracji",
            MatterKind.INTEGRATION,
            _b("85231", "3110", TaskType.POWIAT_COMMISSIONED, _STATE),
            basis="art. 91 i 92 u.p.s.",
            label_gen="świadczenia pieniężnego w ramach indywidualnego programu integracji",
        ),
        # Social infrastructure (issue 14): the gmina refers to a DPS (art. 59 ust. 1), the
        # Prezydent as starosta places in a city DPS (art. 59 ust. 2, a powiat's own task).
        # Neither is paid to the person: the lines carry no amount, the fee is a separate
        # „odpłatność” decision (art. 59 ust. 1, art. 61) with its ``oplata_dps`` lines.
        Benefit(
            "skierowanie_dps",
            "skierowanie do domu pomocy społecznej",
            MatterKind.CARE_HOME,
            _b("85202", "4330", _OWN, _CITY),
            cash=False,
            basis="art. 59 ust. 1 u.p.s.",
            label_gen="skierowania do domu pomocy społecznej",
        ),
        Benefit(
            "umieszczenie_dps",
            "umieszczenie w domu pomocy społecznej",
            MatterKind.CARE_HOME,
            _b("85202", "4330", TaskType.POWIAT_OWN, _CITY),
            cash=False,
            basis="art. 59 ust. 2 u.p.s.",
            label_gen="umieszczenia w domu pomocy społecznej",
        ),
    ]
}


BENEFIT_CHOICES = [(b.code, b.label[:1].upper() + b.label[1:]) for b in BENEFITS.values()]


def benefit(code: str) -> Benefit:
    try:
        return BENEFITS[code]
    except KeyError:
        raise KeyError(f"Nieznane świadczenie: {code}") from None


def label_of(code: str) -> str:
    b = BENEFITS.get(code)
    return b.label if b else code


def label_genitive(code: str) -> str:
    """„zasiłku okresowego” — the benefit after „odmówić przyznania”, „wniosek o przyznanie”."""
    b = BENEFITS.get(code)
    return (b.label_gen or b.label) if b else code
