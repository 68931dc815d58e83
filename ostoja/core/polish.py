"""Correct Polish for documents sent to clients: dates, months, verbs and names by sex.

One wrapper for the whole project (decisions, letters): callers never touch the morphological
library themselves. Surnames and first names are declined with Morfeusz 2 (the SGJP dictionary
ships inside the ``morfeusz2`` wheel); a name the dictionary does not know is declined by a small
rule set for the common surname patterns (``-ski/-cki/-dzki``, ``-ska/-cka/-dzka``, ``-a``) and
otherwise left as written — an unchanged name reads as indeclinable, which is never wrong in an
official letter, while a wrongly declined one is.

Sex codes are the law core's: ``"K"`` (kobieta) and ``"M"`` (mężczyzna).
"""

from __future__ import annotations

import threading
from datetime import date
from functools import lru_cache
from typing import Any, Literal

__all__ = [
    "Case",
    "by_sex",
    "date_long",
    "decline_name",
    "honorific",
    "in_month",
    "month_genitive",
    "plural",
]

Case = Literal["nom", "gen", "dat", "acc", "inst", "loc"]

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
MONTHS_LOCATIVE = (
    "styczniu",
    "lutym",
    "marcu",
    "kwietniu",
    "maju",
    "czerwcu",
    "lipcu",
    "sierpniu",
    "wrześniu",
    "październiku",
    "listopadzie",
    "grudniu",
)


def date_long(d: date) -> str:
    """``date(2026, 12, 4)`` → ``"4 grudnia 2026 r."`` (the form used in official letters)."""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} r."


def month_genitive(month: int) -> str:
    return MONTHS_GENITIVE[month - 1]


def in_month(year: int, month: int) -> str:
    """``(2026, 12)`` → ``"w grudniu 2026 r."`` (locative after „w”)."""
    return f"w {MONTHS_LOCATIVE[month - 1]} {year} r."


def by_sex(sex: str, masculine: str, feminine: str, unknown: str | None = None) -> str:
    """The form for the addressee's sex: ``by_sex("K", "złożył", "złożyła")`` → ``"złożyła"``.

    With the sex unknown the ``unknown`` form is used (default: the masculine form never mixed
    with the feminine one — callers pass a neutral wording such as „strona złożyła” instead)."""
    if sex == "K":
        return feminine
    if sex == "M":
        return masculine
    return unknown if unknown is not None else masculine


_HONORIFICS: dict[str, dict[str, str]] = {
    "M": {
        "nom": "Pan",
        "gen": "Pana",
        "dat": "Panu",
        "acc": "Pana",
        "inst": "Panem",
        "loc": "Panu",
    },
    "K": {
        "nom": "Pani",
        "gen": "Pani",
        "dat": "Pani",
        "acc": "Panią",
        "inst": "Panią",
        "loc": "Pani",
    },
}


def honorific(sex: str, case: Case = "nom") -> str:
    """„Pan/Pani” in the given case; ``""`` when the sex is unknown."""
    return _HONORIFICS.get(sex, {}).get(case, "")


def plural(n: int, one: str, few: str, many: str) -> str:
    """Polish plural after a number: 1 rata, 2–4 raty, 5–21 rat, 22–24 raty."""
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


# ----------------------------------------------------------------- names


@lru_cache(maxsize=1)
def _morfeusz() -> Any:
    """The analyser/generator, or ``None`` when the library cannot be loaded (rule fallback)."""
    try:
        # local: optional dictionary; its absence is handled below
        import morfeusz2
    except ImportError:  # pragma: no cover - the dependency is in pyproject
        return None
    return morfeusz2.Morfeusz(expand_tags=True)


_GENDER = {"M": "m1", "K": "f"}


# One Morfeusz instance is shared; the C++ object is not documented as thread-safe.
_LOCK = threading.Lock()


@lru_cache(maxsize=4096)
def _generated(word: str, case: Case, sex: str) -> str | None:
    """The form of a proper name in ``case`` from the dictionary, or ``None`` if unknown."""
    m = _morfeusz()
    if m is None:
        return None
    gender = _GENDER[sex]
    with _LOCK:
        analyses = m.analyse(word)
        lemmas = sorted(
            {
                lemma
                for _start, _end, (_form, lemma, tag, names, _q) in analyses
                if _matches(tag, "nom", gender) and {"nazwisko", "imię"} & set(names)
            }
        )
        forms = [(lemma, m.generate(lemma)) for lemma in lemmas]
    for lemma, generated in forms:
        for form, lem, tag, *_ in generated:
            if lem == lemma and _matches(tag, case, gender):
                return _same_capitalisation(word, str(form))
    return None


def _matches(tag: str, case: str, gender: str) -> bool:
    """``subst:sg:dat:m1`` (expanded tag) is a singular noun in ``case`` of ``gender``."""
    parts = tag.split(":")
    return (
        len(parts) >= 4
        and parts[0] == "subst"
        and parts[1] == "sg"
        and parts[2] == case
        and parts[3] == gender
    )


def _same_capitalisation(model: str, form: str) -> str:
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


# Adjectival surnames (Kowalski, Nowicka) decline like adjectives; these endings cover them.
_ADJ_M = {"gen": "iego", "dat": "iemu", "acc": "iego", "inst": "im", "loc": "im"}
_ADJ_F = {"gen": "iej", "dat": "iej", "acc": "ą", "inst": "ą", "loc": "iej"}


def _by_rule(word: str, case: Case, sex: str) -> str:
    low = word.lower()
    if low.endswith(("ski", "cki", "dzki")) and sex == "M":
        return word[:-1] + _ADJ_M[case]
    if low.endswith(("ska", "cka", "dzka")) and sex == "K":
        return word[:-1] + _ADJ_F[case]
    return word  # indeclinable or unknown: leave as written


def _decline_word(word: str, case: Case, sex: str) -> str:
    if case == "nom" or sex not in _GENDER or not word[:1].isalpha():
        return word
    if "-" in word:  # double-barrelled surnames: each part declines (Nowak-Kowalska)
        return "-".join(_decline_word(p, case, sex) for p in word.split("-"))
    return _generated(word, case, sex) or _by_rule(word, case, sex)


def decline_name(full_name: str, case: Case, sex: str) -> str:
    """``decline_name("Jan Kowalski", "dat", "M")`` → ``"Janowi Kowalskiemu"``.

    Unknown sex or a name outside the dictionary and the rules: returned as written."""
    return " ".join(_decline_word(w, case, sex) for w in full_name.split())


# ----------------------------------------------------------------- families

_ADJ_SURNAME = ("ski", "cki", "dzki", "ska", "cka", "dzka")


@lru_cache(maxsize=4096)
def _genitive_plural(word: str) -> str:
    """``Żółkiewski``/``Żółkiewska`` → ``Żółkiewskich``; ``Nowak`` → ``Nowaków`` (dictionary);
    a surname neither the rules nor the dictionary know stays as written."""
    low = word.lower()
    if low.endswith(_ADJ_SURNAME):  # adjectival surnames: the plural of the adjective
        return word[:-1] + "ich"
    m = _morfeusz()
    if m is None or not word[:1].isalpha():
        return word
    with _LOCK:
        lemmas = {
            lemma for _s, _e, (_f, lemma, _tag, names, _q) in m.analyse(word) if "nazwisko" in names
        }
        forms = sorted(
            str(form)
            for lemma in lemmas
            for form, lem, tag, *_ in m.generate(lemma)
            if lem == lemma and tag.split(":")[:4] == ["subst", "pl", "gen", "m1"]
        )
    if low.endswith("a"):
        # "Kmita" has two lemmas (Kmit, Kmita) giving the same plural; prefer a form built on
        # the surname as written.
        same_stem = [f for f in forms if f.lower().startswith(low[:-1])]
        chosen = (same_stem or forms or [word])[0]
    else:
        # The dictionary accepts both "Stępieniów" and "Stępniów", "Orzełów" and "Orłów": take
        # the form with the stem's alternation (the mobile e dropped, as in Stępnia, Orła),
        # which is what a surname identical to a common noun requires and the traditional form
        # for the rest. The alternated form is the shorter one (a vowel dropped, ń spelt n
        # before a vowel); among equally short ones the first in alphabetical order.
        chosen = min(forms, key=len, default=word)
    return _same_capitalisation(word, chosen)


def family_name(surname: str) -> str:
    """ "Rodzina" with the surname in the genitive plural, as Polish names a family:
    ``family_name("Żółkiewska")`` → ``"Rodzina Żółkiewskich"``; double-barrelled surnames
    decline part by part."""
    parts = surname.strip().split("-")
    return "Rodzina " + "-".join(_genitive_plural(p) for p in parts if p)


# ----------------------------------------------------------------- every form of a surname

# Alternations of a surname's stem before an ending, for surnames outside the dictionary (the
# dictionary knows most): a mobile ``e`` dropped (Wróbel → Wróbla, Kozieł → Kozła, Szczygieł →
# Szczygła, Marek → Marka, Kupiec → Kupca), with a consonant change (Orzeł → Orła, Kocioł →
# Kotła, Kozioł → Kozła), ``ó`` → ``o`` (Sokół → Sokoła). Longest suffix first; the stem as
# written is always tried too.
STEM_ALTERNATIONS: tuple[tuple[str, str], ...] = (
    ("rzeł", "rł"),
    ("cioł", "tł"),
    ("zioł", "zł"),
    ("sioł", "sł"),
    ("ieł", "ł"),
    ("eł", "ł"),
    ("iel", "l"),
    ("el", "l"),
    ("iec", "c"),
    ("ec", "c"),
    ("ek", "k"),
    ("ół", "oł"),
    ("ór", "or"),
)
# Endings of a noun-like masculine surname, both numbers (Kozł-a, -u, -owi, -em, -e, -ie,
# -y, -i, -ów, -om, -ami, -ach, -owie; Wilk-iem).
NOUN_ENDINGS: tuple[str, ...] = (
    "a", "u", "owi", "em", "iem", "e", "ie", "y", "i", "ów", "om", "ami", "ach", "owie",
)  # fmt: skip


def surname_forms(surname: str) -> frozenset[str]:
    """Every inflected form of one surname (one part of a double-barrelled one), both numbers
    and the dictionary's both sexes, the surname itself included: ``Kozieł`` → Kozła, Kozłowi,
    Kozłem… (Morfeusz 2's SGJP, entries marked *nazwisko*); a surname the dictionary does not
    know gets its stem with :data:`NOUN_ENDINGS`; the :data:`STEM_ALTERNATIONS` stem with them
    is added in both cases.

    Only forms of *this* surname: ``Wilk`` gives Wilka, Wilkiem, Wilkowie, never Wilczyńska (a
    different name), and no prefix match (Kozłowski is not a form of Kozieł)."""
    word = surname.strip()
    if not word or not word[:1].isalpha():
        return frozenset()
    known = _dictionary_forms(word)
    ruled = _alternation_forms(word)
    if known:
        # The dictionary declines some surnames only on the written stem (SGJP: Kozieł →
        # Kozieła, while people write Kozła too): keep the alternated-stem forms as well.
        ruled = frozenset(f for f in ruled if not f.lower().startswith(word.lower()))
    return frozenset({word, *known, *ruled})


@lru_cache(maxsize=4096)
def _dictionary_forms(word: str) -> frozenset[str]:
    m = _morfeusz()
    if m is None:  # pragma: no cover - the dependency is in pyproject
        return frozenset()
    with _LOCK:
        lemmas = {
            lemma
            for candidate in dict.fromkeys((word, word[:1].upper() + word[1:].lower()))
            for _s, _e, (_f, lemma, _tag, names, _q) in m.analyse(candidate)
            if "nazwisko" in names
        }
        generated = [(lemma, m.generate(lemma)) for lemma in sorted(lemmas)]
    return frozenset(
        str(form)
        for lemma, rows in generated
        for form, lem, _tag, names, *_ in rows
        if lem == lemma and "nazwisko" in names
    )


def _alternation_forms(word: str) -> frozenset[str]:
    """The rule fallback of :func:`surname_forms`: adjectival surnames (-ski/-cki/-dzki and
    their feminine -ska/-cka/-dzka) decline regularly on the written stem; the others take the
    noun endings on the stem as written and on its alternated stem."""
    low = word.lower()
    if low.endswith(_ADJ_SURNAME):
        stem = word[:-1]
        return frozenset(
            stem + e for e in ("i", "a", "iego", "iemu", "im", "iej", "ą", "ich", "imi", "ie")
        ) | frozenset({word[:-2] + ("cy" if low.endswith(("ski", "ska")) else "y")})
    stems = {word}
    for old, new in STEM_ALTERNATIONS:
        if low.endswith(old) and len(word) > len(old):
            stems.add(word[: -len(old)] + new)
            break
    return frozenset(stem + ending for stem in stems for ending in NOUN_ENDINGS)
