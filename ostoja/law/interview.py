"""When a decision needs a family community interview first (rodzinny wywiad środowiskowy).

Art. 106 ust. 4 u.p.s.: a decision granting or refusing a benefit is issued after the
interview, except a refusal of bilet kredytowany and decisions for foreigners under art. 5a.
A refusal because the party would not allow the interview (or its update, or would not sign
the declaration) rests on that very fact (art. 107 ust. 4a u.p.s.), so it cannot wait for it.
Pure: no Django, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InterviewRequirement", "interview_required"]

BASIS = "art. 106 ust. 4 u.p.s."
CREDIT_TICKET = "bilet_kredytowany"  # art. 39 ust. 4; its refusal needs no interview
ART_5A_TITLES = frozenset({"ofiara_handlu_ludzmi"})  # art. 5a u.p.s.


@dataclass(frozen=True, slots=True)
class InterviewRequirement:
    required: bool
    basis: str
    why: str


def interview_required(
    *,
    grants_or_refuses: bool,
    refusal: bool,
    benefits: tuple[str, ...],
    residence_title: str = "obywatel_pl",
    interview_refused: bool = False,
) -> InterviewRequirement:
    """Whether the decision may only be drafted after a completed interview, and why."""
    if not grants_or_refuses:
        return InterviewRequirement(
            False, BASIS, "decyzja nie przyznaje ani nie odmawia świadczenia"
        )
    if residence_title in ART_5A_TITLES:
        return InterviewRequirement(
            False, "art. 106 ust. 4 i art. 5a u.p.s.", "cudzoziemiec z art. 5a"
        )
    if refusal and benefits and all(b == CREDIT_TICKET for b in benefits):
        return InterviewRequirement(False, BASIS, "odmowa przyznania biletu kredytowanego")
    if refusal and interview_refused:
        return InterviewRequirement(
            False, "art. 107 ust. 4a u.p.s.", "strona odmówiła przeprowadzenia wywiadu"
        )
    return InterviewRequirement(
        True, BASIS, "decyzja przyznaje świadczenie albo odmawia jego przyznania"
    )
