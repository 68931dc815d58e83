"""The calculator forms: a household typed by staff → a law-core request document.

The law core validates the document and answers with field paths (``members[0].birth_date``);
this module keeps the map from those paths back to the form fields that produced them.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms

from ostoja.law import codes
from ostoja.law.interface import RequestError, calculate_document

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "RRRR-MM"})
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
LETTERS = string.ascii_uppercase


def _choices(d: dict[str, str], empty: str | None = None) -> list[tuple[str, str]]:
    return ([("", empty)] if empty is not None else []) + list(d.items())


class CaseForm(forms.Form):
    benefit = forms.ChoiceField(label="Świadczenie", choices=_choices(codes.BENEFITS))
    application_date = forms.DateField(label="Data złożenia wniosku", widget=DATE)
    income_month = forms.CharField(
        label="Miesiąc dochodu", required=False, widget=MONTH,
        help_text="Domyślnie miesiąc poprzedzający złożenie wniosku (art. 8 ust. 3 u.p.s.).",
    )  # fmt: skip
    income_lost = forms.BooleanField(
        label="Utrata dochodu (dochód z miesiąca złożenia wniosku)", required=False
    )
    entitlement_from = forms.DateField(
        label="Świadczenie od dnia", required=False, widget=DATE,
        help_text="Gdy od środka miesiąca — kwota za niepełny miesiąc (art. 106 ust. 3).",
    )  # fmt: skip
    residence_title = forms.ChoiceField(
        label="Tytuł pobytu wnioskodawcy", choices=_choices(codes.RESIDENCE_TITLES)
    )
    interview_refused = forms.BooleanField(label="Odmowa wywiadu środowiskowego", required=False)
    decision_date = forms.DateField(
        label="Data wydania decyzji", required=False, widget=DATE,
        help_text="Gdy inna niż data wniosku: kryteria i kwoty z dnia decyzji; miesiąc dochodu "
        "wg daty wniosku.",
    )  # fmt: skip
    contract_work_start = forms.DateField(
        label="Zasiłek okresowy: podjęcie pracy w ramach kontraktu socjalnego", required=False,
        widget=DATE, help_text="Zasiłek bez względu na dochód do 2 miesięcy od podjęcia pracy.",
    )  # fmt: skip
    contract_amount = forms.DecimalField(
        label="Zasiłek okresowy: kwota z dotychczasowej decyzji", required=False, widget=MONEY
    )
    funeral_costs = forms.DecimalField(
        label="Pogrzeb: udokumentowane koszty (art. 40 ust. 1a)", required=False, widget=MONEY
    )
    funeral_zus_grant_due = forms.BooleanField(
        label="Pogrzeb: po zmarłym przysługuje zasiłek pogrzebowy (ZUS/KRUS)", required=False
    )
    funeral_extraordinary_costs = forms.DecimalField(
        label="Pogrzeb: koszty nadzwyczajne niepokryte z zasiłku pogrzebowego", required=False,
        widget=MONEY,
    )  # fmt: skip
    requested_amount = forms.DecimalField(
        label="Wnioskowana kwota (zasiłek celowy)", required=False, widget=MONEY
    )
    dps_monthly_cost = forms.DecimalField(
        label="DPS: średni miesięczny koszt utrzymania", required=False, widget=MONEY
    )
    dps_resident = forms.ChoiceField(
        label="DPS: mieszkaniec (osoba z listy)", required=False,
        choices=[("", "—")] + [(c, f"Osoba {c}") for c in LETTERS[:8]],
    )  # fmt: skip
    care_hourly_price = forms.DecimalField(
        label="Usługi: cena jednej godziny", required=False, widget=MONEY
    )
    care_hours = forms.IntegerField(label="Usługi: godzin w miesiącu", required=False, min_value=0)


class MemberForm(forms.Form):
    role = forms.ChoiceField(label="Rola w rodzinie", choices=_choices(codes.ROLES), required=False)
    birth_date = forms.DateField(label="Data urodzenia", widget=DATE, required=False)
    sex = forms.ChoiceField(label="Płeć", choices=_choices(codes.SEXES, "—"), required=False)
    disability = forms.ChoiceField(
        label="Niepełnosprawność",
        choices=_choices(codes.DISABILITY_DEGREES, "brak"),
        required=False,
    )
    total_incapacity = forms.BooleanField(label="Całkowita niezdolność do pracy", required=False)
    insured_elsewhere = forms.BooleanField(
        label="Ubezpieczony zdrowotnie z innego tytułu", required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("birth_date") and not data.get("sex"):
            self.add_error("sex", "Wybierz płeć osoby (kobieta albo mężczyzna).")
        return data


class IncomeForm(forms.Form):
    member = forms.ChoiceField(
        label="Czyj dochód",
        choices=[("", "—"), ("*", "rodzina (wspólny)")] + [(c, f"Osoba {c}") for c in LETTERS[:8]],
        required=False,
    )
    kind = forms.ChoiceField(
        label="Rodzaj", choices=_choices(codes.INCOME_KINDS, "—"), required=False
    )
    amount = forms.DecimalField(label="Kwota netto", required=False, widget=MONEY)
    gross = forms.DecimalField(label="Brutto", required=False, widget=MONEY)
    tax = forms.DecimalField(label="Podatek", required=False, widget=MONEY)
    social = forms.DecimalField(label="Składki społeczne", required=False, widget=MONEY)
    health = forms.DecimalField(label="Składka zdrowotna", required=False, widget=MONEY)
    revenue = forms.DecimalField(label="Przychód", required=False, widget=MONEY)
    costs = forms.DecimalField(label="Koszty", required=False, widget=MONEY)
    hectares = forms.DecimalField(label="Hektary przeliczeniowe", required=False, widget=MONEY)
    one_off = forms.BooleanField(
        label="Dochód jednorazowy (art. 8 ust. 11)", required=False,
        help_text="Powyżej 5 × kryterium — rozliczany w 12 częściach od miesiąca wypłaty.",
    )  # fmt: skip
    received = forms.CharField(label="Miesiąc wypłaty (jednorazowy)", required=False, widget=MONTH)
    period_from = forms.CharField(
        label="Dochód za okres od (art. 8 ust. 12)", required=False, widget=MONTH
    )
    period_to = forms.CharField(label="Dochód za okres do", required=False, widget=MONTH)


class RelativeForm(forms.Form):
    relation = forms.ChoiceField(
        label="Krewny (DPS)", choices=_choices(codes.DPS_RELATIONS, "—"), required=False
    )
    household_size = forms.IntegerField(label="Osób w jego rodzinie", required=False, min_value=1)
    household_income = forms.DecimalField(
        label="Dochód jego rodziny (gdy obliczony poza kalkulatorem)", required=False,
        widget=MONEY,
    )  # fmt: skip
    # Issue 22: the relative's household income computed under art. 8 from its items.
    income_kind_1 = forms.ChoiceField(
        label="Dochód rodziny krewnego 1 — rodzaj", choices=_choices(codes.INCOME_KINDS, "—"),
        required=False,
    )  # fmt: skip
    income_amount_1 = forms.DecimalField(label="kwota netto", required=False, widget=MONEY)
    income_kind_2 = forms.ChoiceField(
        label="Dochód rodziny krewnego 2 — rodzaj", choices=_choices(codes.INCOME_KINDS, "—"),
        required=False,
    )  # fmt: skip
    income_amount_2 = forms.DecimalField(label="kwota netto", required=False, widget=MONEY)
    income_kind_3 = forms.ChoiceField(
        label="Dochód rodziny krewnego 3 — rodzaj", choices=_choices(codes.INCOME_KINDS, "—"),
        required=False,
    )  # fmt: skip
    income_amount_3 = forms.DecimalField(label="kwota netto", required=False, widget=MONEY)
    minor = forms.BooleanField(label="Małoletni zstępny", required=False)
    exemption_basis = forms.ChoiceField(
        label="Zwolnienie z opłaty", choices=_choices(codes.DPS_EXEMPTIONS, "brak"), required=False
    )
    exemption_amount = forms.DecimalField(
        label="Kwota zwolnienia (puste = całkowite)", required=False, widget=MONEY
    )
    agreed_amount = forms.DecimalField(
        label="Kwota ustalona w umowie (art. 103 ust. 2)", required=False, widget=MONEY
    )


MemberFormSet = forms.formset_factory(MemberForm, extra=4, max_num=8)
IncomeFormSet = forms.formset_factory(IncomeForm, extra=6, max_num=30)
RelativeFormSet = forms.formset_factory(RelativeForm, extra=2, max_num=6)

INCOME_FIELDS = ("amount", "gross", "tax", "social", "health", "revenue", "costs", "hectares")
TIMING_FIELDS = ("received", "period_from", "period_to")


@dataclass
class CalculatorOutcome:
    result: dict[str, Any] | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    document: dict[str, Any] | None = None


def _money(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:.2f}"


def build_document(
    case: CaseForm, members: Any, incomes: Any, relatives: Any
) -> tuple[dict[str, Any], dict[str, tuple[forms.Form, str]]]:
    """Forms (already validated) → request document, and path → (form, field) for errors."""
    c = case.cleaned_data
    where: dict[str, tuple[forms.Form, str]] = {}
    doc: dict[str, Any] = {
        "benefit": c["benefit"],
        "application_date": c["application_date"].isoformat(),
        "income_lost": c["income_lost"],
        "residence_title": c["residence_title"],
        "interview_refused": c["interview_refused"],
        "members": [],
        "household_incomes": [],
    }
    for name in ("benefit", "application_date", "residence_title", "income_month"):
        where[name] = (case, name)
    if c.get("income_month"):
        doc["income_month"] = c["income_month"]
    if c.get("entitlement_from"):
        doc["entitlement_from"] = c["entitlement_from"].isoformat()
        where["entitlement_from"] = (case, "entitlement_from")
    if c.get("requested_amount") is not None:
        doc["requested_amount"] = _money(c["requested_amount"])
        where["requested_amount"] = (case, "requested_amount")
    for name in ("decision_date", "contract_work_start"):
        if c.get(name):
            doc[name] = c[name].isoformat()
            where[name] = (case, name)
    if c.get("contract_amount") is not None:
        doc["contract_amount"] = _money(c["contract_amount"])
        where["contract_amount"] = (case, "contract_amount")
    if c.get("funeral_costs") is not None or c.get("funeral_zus_grant_due"):
        funeral: dict[str, Any] = {
            "costs": _money(c.get("funeral_costs") or Decimal(0)),
            "zus_grant_due": bool(c.get("funeral_zus_grant_due")),
        }
        if c.get("funeral_extraordinary_costs") is not None:
            funeral["extraordinary_costs"] = _money(c["funeral_extraordinary_costs"])
        doc["funeral"] = funeral
        where["funeral"] = (case, "funeral_costs")
        for f in ("costs", "zus_grant_due", "extraordinary_costs"):
            where[f"funeral.{f}"] = (case, f"funeral_{f}")
    index_of: dict[str, int] = {}
    for i, form in enumerate(members.forms):
        m = form.cleaned_data
        if not m or not m.get("birth_date"):
            continue
        letter = LETTERS[i]
        pos = len(doc["members"])
        index_of[letter] = pos
        doc["members"].append(
            {
                "id": letter,
                "role": m.get("role") or ("wnioskodawca" if pos == 0 else "inny"),
                "birth_date": m["birth_date"].isoformat(),
                "sex": m.get("sex") or "",
                "disability": m.get("disability") or None,
                "total_incapacity": bool(m.get("total_incapacity")),
                "insured_elsewhere": bool(m.get("insured_elsewhere")),
                "incomes": [],
            }
        )
        for f in ("role", "birth_date", "sex", "disability"):
            where[f"members[{pos}].{f}"] = (form, f)
    for form in incomes.forms:
        inc = form.cleaned_data
        if not inc or not inc.get("kind"):
            continue
        item: dict[str, Any] = {"kind": inc["kind"]}
        for f in INCOME_FIELDS:
            if inc.get(f) is not None:
                item[f] = _money(inc[f]) if f != "hectares" else f"{inc[f]:.4f}"
        if inc.get("one_off"):
            item["one_off"] = True
        for f in TIMING_FIELDS:
            if inc.get(f):
                item[f] = inc[f]
        owner = inc.get("member") or "*"
        if owner == "*" or owner not in index_of:
            target = doc["household_incomes"]
            prefix = f"household_incomes[{len(target)}]"
        else:
            target = doc["members"][index_of[owner]]["incomes"]
            prefix = f"members[{index_of[owner]}].incomes[{len(target)}]"
        target.append(item)
        where[f"{prefix}.kind"] = (form, "kind")
        for f in (*INCOME_FIELDS, *TIMING_FIELDS, "one_off"):
            where[f"{prefix}.{f}"] = (form, f)
    if c.get("dps_monthly_cost") is not None:
        doc["dps"] = {
            "monthly_cost": _money(c["dps_monthly_cost"]),
            "resident": c.get("dps_resident")
            or (doc["members"][0]["id"] if doc["members"] else ""),
            "relatives": [],
        }
        where["dps.monthly_cost"] = (case, "dps_monthly_cost")
        where["dps.resident"] = (case, "dps_resident")
        for form in relatives.forms:
            r = form.cleaned_data
            if not r or not r.get("relation"):
                continue
            pos = len(doc["dps"]["relatives"])
            path = f"dps.relatives[{pos}]"
            relative: dict[str, Any] = {"relation": r["relation"]}
            lines = [
                {"kind": r[f"income_kind_{n}"], "amount": _money(r[f"income_amount_{n}"])}
                for n in (1, 2, 3)
                if r.get(f"income_kind_{n}") and r.get(f"income_amount_{n}") is not None
            ]
            if lines:
                # Art. 8 from the relative's own household: the items count for the household;
                # the other members only make up its size.
                size = r.get("household_size") or 1
                relative["household"] = {
                    "members": [{"id": str(n + 1)} for n in range(size)],
                    "household_incomes": lines,
                }
                for n in (1, 2, 3):
                    where[f"{path}.household.household_incomes[{n - 1}].kind"] = (
                        form, f"income_kind_{n}",
                    )  # fmt: skip
                    where[f"{path}.household.household_incomes[{n - 1}].amount"] = (
                        form, f"income_amount_{n}",
                    )  # fmt: skip
            else:
                relative["household_size"] = r.get("household_size") or 1
                relative["household_income"] = _money(r.get("household_income") or Decimal(0))
            if r.get("minor"):
                relative["minor"] = True
            if r.get("exemption_basis"):
                relative["exemption"] = {"basis": r["exemption_basis"]}
                if r.get("exemption_amount") is not None:
                    relative["exemption"]["amount"] = _money(r["exemption_amount"])
            if r.get("agreed_amount") is not None:
                relative["agreed_amount"] = _money(r["agreed_amount"])
            doc["dps"]["relatives"].append(relative)
            for f in ("relation", "household_size", "household_income", "minor",
                      "agreed_amount"):  # fmt: skip
                where[f"{path}.{f}"] = (form, f)
            where[f"{path}.exemption.basis"] = (form, "exemption_basis")
            where[f"{path}.exemption.amount"] = (form, "exemption_amount")
    if c.get("care_hourly_price") is not None:
        doc["care"] = {
            "hourly_price": _money(c["care_hourly_price"]),
            "hours": c.get("care_hours") or 0,
        }
        where["care.hourly_price"] = (case, "care_hourly_price")
        where["care.hours"] = (case, "care_hours")
    where["members"] = (case, "benefit")
    return doc, where


def calculate_from_forms(
    case: CaseForm, members: Any, incomes: Any, relatives: Any
) -> CalculatorOutcome:
    """Validate the forms, call the law core once, and put its errors back on the fields.

    Every error is also listed with the field's Polish name (``label``), because the htmx
    answer replaces only the result box: a wrong date or amount never fails silently."""
    names = _form_names(case, members, incomes, relatives)
    if not all(f.is_valid() for f in (case, members, incomes, relatives)):
        return CalculatorOutcome(errors=_form_errors(names))
    doc, where = build_document(case, members, incomes, relatives)
    if not doc["members"]:
        message = "Podaj datę urodzenia co najmniej jednej osoby (wnioskodawcy)."
        members.forms[0].add_error("birth_date", message)
        return CalculatorOutcome(
            errors=[{"field": "members", "label": "Osoba A — Data urodzenia", "message": message}],
            document=doc,
        )
    try:
        return CalculatorOutcome(result=calculate_document(doc), document=doc)
    except RequestError as exc:
        errors = []
        for error in exc.errors:
            target = where.get(error["field"])
            label = "Dane wniosku"
            message = _without_path(str(error["message"]))
            if target is not None:
                form, name = target
                form.add_error(name, message)
                label = _label(names, form, name)
            errors.append({**error, "message": message, "label": label})
        return CalculatorOutcome(errors=errors, document=doc)


def _without_path(message: str) -> str:
    """The law core names the field by its API path ("Pole „members[0].sex”: …"); the page
    names it by its label, so the path goes."""
    text = re.sub(r"^Pole „[^”]*”:\s*", "", message)
    return text[:1].upper() + text[1:]


def _form_names(case: Any, members: Any, incomes: Any, relatives: Any) -> list[tuple[Any, str]]:
    """Each form with the Polish name of its row: "" (the case), "Osoba A", "Dochód 2"…"""
    names: list[tuple[Any, str]] = [(case, "")]
    names += [(f, f"Osoba {LETTERS[i]}") for i, f in enumerate(members.forms)]
    names += [(f, f"Dochód {i + 1}") for i, f in enumerate(incomes.forms)]
    names += [(f, f"Krewny {i + 1}") for i, f in enumerate(relatives.forms)]
    return names


def _label(names: list[tuple[Any, str]], form: Any, name: str) -> str:
    row = next((n for f, n in names if f is form), "")
    field_label = str(form.fields[name].label) if name in form.fields else name
    return f"{row} — {field_label}" if row else field_label


def _form_errors(names: list[tuple[Any, str]]) -> list[dict[str, str]]:
    out = []
    for form, row in names:
        for name, messages in form.errors.items():
            label = row or "Formularz"
            if name != "__all__":
                label = _label(names, form, name)
            out += [{"field": name, "label": label, "message": str(m)} for m in messages]
    return out


class PlainAmountField(forms.DecimalField):
    """An amount as people type it: "1200,50", "1 200", "1200.50" (spaces and a decimal comma
    are fine)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("zł", "")
            value = value.replace(",", ".")
        return super().to_python(value)


class PreCheckForm(forms.Form):
    """The public pre-check: a resident's household in a few questions (nothing is stored)."""

    household_size = forms.IntegerField(
        label="Ile osób liczy Twoja rodzina (mieszkacie razem i wspólnie prowadzicie dom)?",
        min_value=1, max_value=20,
        help_text="Jeśli mieszkasz i gospodarujesz sam albo sama, wpisz 1.",
    )  # fmt: skip
    net_income = PlainAmountField(
        label="Ile w sumie Twoja rodzina dostała „na rękę” w poprzednim miesiącu (zł)?",
        min_value=0, max_digits=10, decimal_places=2, widget=MONEY,
        help_text="Np. 1200,50 albo 1 200. Nie wliczaj świadczenia 800+ ani jednorazowych "
        "zasiłków.",
        error_messages={"invalid": "Wpisz kwotę w złotych, np. 1200,50 albo 1 200."},
    )  # fmt: skip
    birth_date = forms.DateField(
        label="Kiedy się urodziłeś / urodziłaś?",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label="Twoja płeć", choices=list(codes.SEXES.items()))
    disability = forms.ChoiceField(
        label="Czy masz orzeczenie o stopniu niepełnosprawności?",
        required=False,
        choices=[("", "nie mam"), *codes.DISABILITY_DEGREES.items()],
    )
    total_incapacity = forms.BooleanField(
        label="Mam orzeczenie o całkowitej niezdolności do pracy", required=False
    )


# What each result means, in plain words addressed to the resident (the law core's reasons are
# written for staff, so they are not shown here).
PLAIN = {
    "zasilek_okresowy": (
        "Możesz dostać zasiłek okresowy — pieniądze co miesiąc przez pewien czas",
        "Zasiłek okresowy raczej Ci nie przysługuje — Twój dochód nie jest niższy od kryterium",
    ),
    "zasilek_staly": (
        "Możesz dostać zasiłek stały — pieniądze co miesiąc, bo ze względu na wiek lub "
        "orzeczenie nie możesz pracować",
        "Zasiłek stały raczej Ci nie przysługuje — jest dla osób, które ze względu na wiek "
        "(60 lat kobieta, 65 lat mężczyzna) albo orzeczenie nie mogą pracować, i mają dochód "
        "niższy od kryterium",
    ),
    "posilek": (
        "Możesz dostać bezpłatny posiłek albo pieniądze na jedzenie",
        "Bezpłatny posiłek raczej Ci nie przysługuje — dochód jest wyższy niż dwukrotność "
        "kryterium",
    ),
    "zasilek_celowy": (
        "Możesz dostać zasiłek celowy — jednorazowe pieniądze na konkretną potrzebę, np. leki, "
        "opał, jedzenie, ubranie, drobny remont",
        "Zwykły zasiłek celowy raczej Ci nie przysługuje, bo dochód przekracza kryterium",
    ),
    "specjalny_zasilek_celowy": (
        "Choć dochód przekracza kryterium, w szczególnie uzasadnionej sytuacji możesz dostać "
        "specjalny zasiłek celowy (nie trzeba go oddawać)",
        "",
    ),
}
PRECHECK_BENEFITS = (
    "zasilek_okresowy", "zasilek_staly", "zasilek_celowy", "specjalny_zasilek_celowy", "posilek",
)  # fmt: skip


def precheck(form: PreCheckForm, *, on: Any) -> list[dict[str, Any]]:
    """Indicative results for the main forms of help; nothing is stored."""
    c = form.cleaned_data
    members = [
        {
            "id": "A", "role": "wnioskodawca", "birth_date": c["birth_date"].isoformat(),
            "sex": c["sex"], "disability": c.get("disability") or None,
            "total_incapacity": c["total_incapacity"], "insured_elsewhere": True, "incomes": [],
        }
    ] + [
        {"id": LETTERS[i], "role": "inny", "birth_date": "1990-01-01", "sex": "K", "incomes": []}
        for i in range(1, c["household_size"])
    ]  # fmt: skip
    out = []
    for benefit in PRECHECK_BENEFITS:
        doc = {
            "benefit": benefit,
            "application_date": on.isoformat(),
            "members": members,
            "household_incomes": [{"kind": "inne", "amount": f"{c['net_income']:.2f}"}],
        }
        try:
            result = calculate_document(doc)
        except RequestError as exc:
            for error in exc.errors:
                form.add_error(None, error["message"])
            return []
        yes, no = PLAIN[benefit]
        result["plain"] = yes if result["eligible"] else no
        if not result["plain"]:
            continue  # specjalny when income is within the criterion: the ordinary one applies
        result["label"] = codes.BENEFITS[benefit].split(" (")[0]  # no article numbers here
        out.append(result)
    return out
