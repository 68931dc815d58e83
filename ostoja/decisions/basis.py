"""The legal basis of a decision (podstawa prawna, art. 107 § 1 pkt 4 KPA) as a lawyer cites it.

The calculation trace names every provision a step applied; a decision cites only the operative
ones. From the trace's ``basis`` entries and the procedural basis of the decision's kind this
module keeps the citations, drops definitions (art. 6 u.p.s. — „ilekroć w ustawie jest mowa”)
and internal acts (a director's order binds the staff, not the party), removes duplicates and
citations contained in a wider one (``art. 8 ust. 1`` beside ``art. 8 ust. 1 pkt 1–2``; ``art.
38 ust. 3`` beside ``art. 38 ust. 2–4``), orders them by act and article, and renders them
grouped per act with the act's full title: „art. 8 ust. 1 pkt 2 i art. 38 ust. 1 pkt 2 ustawy
z dnia 12 marca 2004 r. o pomocy społecznej (…) oraz art. 104 ustawy … Kodeks postępowania
administracyjnego (…)”.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

UPS = "u.p.s."
KPA = "KPA"

# The acts the short forms stand for, in the genitive after „Na podstawie art. …”.
ACT_TITLES: dict[str, str] = {
    UPS: "ustawy z dnia 12 marca 2004 r. o pomocy społecznej (Dz.U. z 2025 r. poz. 1214 ze zm.)",
    KPA: "ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego (Dz.U. "
    "z 2024 r. poz. 572 ze zm.)",
}

# Where an act stands in the list: the Act first, other statutes, regulations, local law, KPA.
_RANK_UPS, _RANK_STATUTE, _RANK_REGULATION, _RANK_LOCAL, _RANK_KPA = range(5)

_DEFINITIONS = {(UPS, "6")}  # art. 6 u.p.s.: „Określenia użyte w ustawie oznaczają …”
_INTERNAL = re.compile(r"zarządzeni\w* .*dyrektor|regulamin|procedur", re.IGNORECASE)
_CITATION = re.compile(
    r"^(art\.|§|ustaw|rozporządzeni|uchwał|zarządzeni|obwieszczeni|Kodeks)", re.IGNORECASE
)
_UNIT = re.compile(r"^(?P<unit>(?:art\.|§)\s*\d+[a-z]*)\s*(?P<rest>.*)$")
_SHORT_ACT = re.compile(r"^(?P<detail>.*?)\s*(?P<act>u\.p\.s\.|KPA)$")
_LONG_ACT = re.compile(
    r"^(?P<detail>.*?)\s*(?P<act>(?:ustawy|rozporządzenia|uchwały|Kodeksu)\b.*)$", re.IGNORECASE
)
_RANGE = re.compile(r"^ust\.\s*(\d+)\s*[–-]\s*(\d+)$")
_UST = re.compile(r"^ust\.\s*(\d+)\b")


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited provision: ``art. 38`` + ``ust. 1 pkt 2`` of act ``u.p.s.``.

    ``unit`` is empty for a whole act cited as such (the criteria regulation)."""

    unit: str
    detail: str
    act: str

    @property
    def short(self) -> str:
        """The short form shown in the application (``art. 38 ust. 1 pkt 2 u.p.s.``)."""
        return " ".join(p for p in (self.unit, self.detail, self.act) if p)

    @property
    def rank(self) -> int:
        if self.act == UPS:
            return _RANK_UPS
        if self.act == KPA:
            return _RANK_KPA
        low = self.act.lower()
        if low.startswith("rozporządzeni"):
            return _RANK_REGULATION
        if low.startswith("uchwał"):
            return _RANK_LOCAL
        return _RANK_STATUTE

    @property
    def article(self) -> tuple[int, str]:
        m = re.search(r"(\d+)([a-z]*)", self.unit)
        return (int(m.group(1)), m.group(2)) if m else (0, "")


def split_bases(basis: str) -> list[str]:
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


def _genitive_act(act: str) -> str:
    """A whole act cited in the trace in the nominative („Rozporządzenie …”) → genitive."""
    for nom, gen in (
        ("rozporządzenie", "rozporządzenia"),
        ("ustawa", "ustawy"),
        ("uchwała", "uchwały"),
        ("kodeks", "Kodeksu"),
    ):
        if act.lower().startswith(nom):
            return gen + act[len(nom) :]
    return act[:1].lower() + act[1:] if act[:1].isupper() and " " in act else act


def _without_remarks(act: str) -> str:
    """Drop explanatory brackets („(składka 9%, …)”) but keep the journal reference."""

    def keep(m: re.Match[str]) -> str:
        return m.group(0) if "Dz.U" in m.group(0) or "Dz. U" in m.group(0) else ""

    return re.sub(r"\s*\([^()]*\)", keep, act).strip().rstrip(",;")


def parse(text: str) -> Citation | None:
    """One citation in the trace's words → :class:`Citation` (``None``: not citable)."""
    text = " ".join(text.split()).rstrip(",;")
    if _INTERNAL.search(text):
        return None
    unit, rest = "", text
    m = _UNIT.match(text)
    if m:
        unit, rest = m.group("unit"), m.group("rest")
    short = _SHORT_ACT.match(rest)
    if short:
        detail, act = short.group("detail"), short.group("act")
    else:
        long = _LONG_ACT.match(rest)
        if long is None:
            if unit:
                return None  # an article of no named act: cannot be cited on a document
            detail, act = "", rest
        else:
            detail, act = long.group("detail"), long.group("act")
        act = _without_remarks(_genitive_act(act))
        if act.lower().startswith("kodeks"):
            act = KPA
    detail = detail.strip().rstrip(",")
    span = re.match(r"^[–-]\s*(\d+[a-z]*)\s*(.*)$", detail)
    if unit and span:  # „art. 60–61”: a span of articles is one unit, not a detail „–61”
        unit, detail = f"{unit}–{span.group(1)}", span.group(2)
    c = Citation(unit.replace("  ", " "), detail, act)
    if (c.act, str(c.article[0]) + c.article[1]) in _DEFINITIONS:
        return None
    return c


@dataclass(frozen=True, slots=True)
class _Piece:
    """One ``ust.`` of an article: ``ust. 1 pkt 1–2`` → ust 1..1, pkt 1..2."""

    ust: tuple[tuple[int, str], tuple[int, str]]  # („1”, „1a”): number and letter
    pkt: tuple[int, int] | None
    text: str

    @property
    def bare(self) -> bool:
        return self.pkt is None and self.ust[0] == self.ust[1]

    def covers(self, other: _Piece) -> bool:
        if self == other:
            return False
        if self.ust[0] != self.ust[1]:  # a range of ustępy covers everything inside it
            return self.ust[0] <= other.ust[0] and other.ust[1] <= self.ust[1]
        if other.ust != self.ust:
            return False
        if other.pkt is None:  # „ust. 1” says less than „ust. 1 pkt 2”: keep the specific one
            return self.pkt is not None
        if self.pkt is None:
            return False
        return self.pkt[0] <= other.pkt[0] and other.pkt[1] <= self.pkt[1]


_PIECE = re.compile(
    r"^ust\.\s*(\d+[a-z]?)(?:\s*[–-]\s*(\d+[a-z]?))?"
    r"(?:\s+pkt\s*(\d+)(?:\s*[–-]\s*(\d+))?)?(?P<tail>.*)$"
)


def _ust(text: str) -> tuple[int, str]:
    """„1a” → (1, "a"): ustępy added later (ust. 1a) sort after their number."""
    m = re.match(r"(\d+)([a-z]?)", text)
    assert m is not None
    return int(m.group(1)), m.group(2)


def _pieces(detail: str) -> list[_Piece] | None:
    """``"ust. 1 pkt 2 i ust. 3"`` → two pieces; ``"ust. 7 i 8"`` → two; ``None`` if the detail
    has another shape (``pkt 16``, ``§ 1``): such a citation is kept as written."""
    out: list[_Piece] = []
    for raw in re.split(r",\s*|\s+i\s+", detail):
        raw = raw.strip()
        if re.fullmatch(r"\d+[a-z]?", raw) and out:  # „ust. 7 i 8”, „ust. 1, 1a i 5”
            raw = f"ust. {raw}"
        m = _PIECE.match(raw)
        if m is None or m.group("tail").strip():
            return None
        lo = _ust(m.group(1))
        pkt = None
        if m.group(3):
            pkt = (int(m.group(3)), int(m.group(4) or m.group(3)))
        out.append(_Piece((lo, _ust(m.group(2)) if m.group(2) else lo), pkt, raw))
    return out


def _render_pieces(pieces: list[_Piece]) -> str:
    words = [
        f"{p.ust[0][0]}{p.ust[0][1]}" if p.bare and i > 0 and pieces[i - 1].bare else p.text
        for i, p in enumerate(pieces)
    ]
    return _join(words)


def _merge(article: list[Citation]) -> list[Citation]:
    """The citations of one article of one act → one citation (or more when a detail has a
    shape this module does not read, e.g. ``pkt 16``, which is then kept as written)."""
    first = article[0]
    details = list(dict.fromkeys(c.detail for c in article if c.detail))
    if not details:
        return [first]
    parsed: list[_Piece] = []
    other: list[str] = []
    for d in details:
        ps = _pieces(d)
        if ps is None:
            other.append(d)
        else:
            parsed.extend(ps)
    unique = list(dict.fromkeys(parsed))
    kept = sorted(
        (p for p in unique if not any(o.covers(p) for o in unique)),
        key=lambda p: (p.ust, p.pkt or (0, 0)),
    )
    out = [Citation(first.unit, _render_pieces(kept), first.act)] if kept else []
    out.extend(Citation(first.unit, d, first.act) for d in other)
    return out


def citations(bases: Iterable[str]) -> list[Citation]:
    """Deduplicated, without definitions, internal acts and contained citations, ordered by
    act and article; the pieces of one article merged („art. 8 ust. 1 pkt 1–2 i ust. 3”)."""
    articles: dict[tuple[str, str], list[Citation]] = {}
    for basis in bases:
        for part in split_bases(basis):
            c = parse(part)
            if c is not None:
                articles.setdefault((c.act, c.unit), []).append(c)
    merged = [m for group in articles.values() for m in _merge(group)]
    unique = list({c.short: c for c in merged}.values())
    order = {c.short: i for i, c in enumerate(unique)}
    return sorted(unique, key=lambda c: (c.rank, c.act, c.article, order[c.short]))


def _join(items: list[str], last: str = "i") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def render(cited: list[Citation]) -> str:
    """The citations as one phrase after „Na podstawie”, grouped per act with its title."""
    groups: dict[str, list[Citation]] = {}
    for c in cited:
        groups.setdefault(c.act, []).append(c)
    phrases = []
    for act, items in groups.items():
        title = ACT_TITLES.get(act, act)
        units = [" ".join(p for p in (c.unit, c.detail) if p) for c in items if c.unit]
        phrases.append(f"{_join(units)} {title}" if units else title)
    return _join(phrases, "oraz") if phrases else ""
