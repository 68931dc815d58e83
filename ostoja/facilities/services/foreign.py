"""Decisions of OTHER authorities recorded by number only (issue 14): a DPS referral by another
gmina (art. 59 ust. 1 u.p.s.) or a placement by another powiat (art. 59 ust. 2). A decision of
Kielce — the gmina or powiat Kielce, the Prezydent Miasta Kielce, MOPR Kielce — must go through
the decisions workflow (draft, check by a second person, signature, delivery), so it is refused
here: by the authority's name and by a number in our own formats (the case reference, znak
sprawy, ``{unit}.{jrwa}.{number}.{year}`` with one of our units' symbols; the decision number
``000123/RO1/2026``) or equal to one of our real decisions or case references.

A number shaped like a znak sprawy with a unit symbol that is not ours is accepted: every
authority in Poland uses the same instrukcja kancelaryjna (formats.md §5.2), so the shape alone
does not tell whose decision it is.
"""

from __future__ import annotations

import re
import unicodedata

from ostoja.cases.models import Application
from ostoja.cases.services import reference_pattern
from ostoja.core.errors import ValidationFailed
from ostoja.decisions.models import Decision
from ostoja.org.models import Unit

# Letters that NFKD does not decompose.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o"})


def _squash(text: str) -> str:
    """Lower case, without Polish diacritics, punctuation or any white space."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD).casefold())
    return "".join(c for c in folded if c.isalnum())


def is_own_authority(authority: str) -> bool:
    """Whether ``authority`` names a Kielce authority (gmina/powiat Kielce, the Prezydent Miasta
    Kielce, MOPR Kielce) — case, spaces, punctuation and diacritics ignored. The powiat
    kielecki (Starosta Kielecki, Starostwo Powiatowe w Kielcach) is another authority,
    although its office is in Kielce."""
    s = _squash(authority)
    city = any(w in s for w in ("miast", "mopr", "prezydent", "gmin", "osrodek"))
    if ("kieleck" in s or "starost" in s) and not city:
        # powiat kielecki: Starosta Kielecki, Starostwo Powiatowe w Kielcach (the city of
        # Kielce has no starosta — the Prezydent does the powiat's tasks)
        return False
    if "kielc" in s:
        return True
    # „MOPR” or the centre's full name with no place: ours.
    return s in {"mopr", "miejskiosrodekpomocyrodzinie", "prezydentmiasta"}


def _own_symbols() -> set[str]:
    symbols = {"mopr"}
    for symbol, code in Unit.objects.values_list("case_symbol", "code"):
        for s in (symbol, code):
            if s:
                symbols.add(_squash(s))
    return symbols


def _reference_regex() -> re.Pattern[str]:
    """Our znak sprawy pattern (setting ``OSTOJA_CASE_REFERENCE_PATTERN``) as a regex over the
    squashed-but-dotted text; the unit part captured."""
    parts = re.split(r"(\{unit\}|\{jrwa\}|\{number\}|\{year\})", reference_pattern())
    fields = {
        "{unit}": r"(?P<unit>[^\W_]+(?:-[^\W_]+)?)",
        "{jrwa}": r"\d{1,4}(?:\.\d+)?",
        "{number}": r"\d+",
        "{year}": r"\d{4}",
    }
    body = "".join(fields.get(p, re.escape(p)) for p in parts)
    return re.compile(rf"^{body}(?:\.[^\W\d_]{{2,3}})?$")


def is_own_number(number: str) -> bool:
    """Whether ``number`` is one of ours: a real decision or case reference of the system, or
    a case reference / decision number in our format with one of our units' symbols."""
    compact = re.sub(r"\s+", "", number)
    if not compact:
        return False
    if (
        Decision.objects.filter(number__iexact=compact).exists()
        or Application.objects.filter(reference__iexact=compact).exists()
    ):
        return True
    folded = unicodedata.normalize("NFKD", compact.translate(_FOLD).casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    symbols = _own_symbols()
    m = _reference_regex().match(folded)
    if m and _squash(m.group("unit")) in symbols:
        return True
    m = re.match(r"^\d+/(?P<unit>[^/]+)/\d{4}$", folded)
    return bool(m and _squash(m.group("unit")) in symbols)


def foreign_decision_check(*, authority: str, number: str, authority_field: str,
                           number_field: str) -> None:  # fmt: skip
    """Refuse (with the field named) a Kielce authority or one of our own numbers."""
    errors: dict[str, list[str]] = {}
    if is_own_authority(authority):
        errors[authority_field] = [
            "Decyzję organu z Kielc (gmina lub powiat Kielce, Prezydent Miasta Kielce, MOPR "
            "Kielce) wydaje się w systemie: przygotuj projekt decyzji, który sprawdza druga "
            "osoba i podpisuje osoba upoważniona. Tu zapisuje się tylko decyzje innych organów."
        ]
    if is_own_number(number):
        errors[number_field] = [
            "Ten znak ma format znaku sprawy lub numeru decyzji MOPR Kielce albo jest znakiem "
            "naszej decyzji — decyzję Kielc wydaje się w systemie (projekt, sprawdzenie, "
            "podpis). Podaj znak decyzji innego organu."
        ]
    if errors:
        raise ValidationFailed(errors)
