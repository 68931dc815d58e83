"""Art. 106 ust. 4 u.p.s.: a granting or refusing decision only after the community interview;
the exceptions (bilet kredytowany refusal, art. 5a foreigners) and art. 107 ust. 4a."""

from ostoja.law.interview import interview_required


def test_grant_and_refusal_need_an_interview_art_106_ust_4():
    assert interview_required(
        grants_or_refuses=True, refusal=False, benefits=("zasilek_staly",)
    ).required
    assert interview_required(
        grants_or_refuses=True, refusal=True, benefits=("zasilek_celowy",)
    ).required


def test_credit_ticket_refusal_needs_none_art_106_ust_4():
    r = interview_required(grants_or_refuses=True, refusal=True, benefits=("bilet_kredytowany",))
    assert not r.required and "biletu kredytowanego" in r.why


def test_art_5a_foreigner_needs_none():
    r = interview_required(
        grants_or_refuses=True, refusal=False, benefits=("zasilek_celowy",),
        residence_title="ofiara_handlu_ludzmi",
    )  # fmt: skip
    assert not r.required and "art. 5a" in r.basis


def test_refusal_because_the_interview_was_refused_art_107_ust_4a():
    r = interview_required(
        grants_or_refuses=True, refusal=True, benefits=("zasilek_okresowy",), interview_refused=True
    )
    assert not r.required and r.basis == "art. 107 ust. 4a u.p.s."
    # …but a grant never skips it
    assert interview_required(
        grants_or_refuses=True,
        refusal=False,
        benefits=("zasilek_okresowy",),
        interview_refused=True,
    ).required


def test_other_decisions_need_none():
    assert not interview_required(grants_or_refuses=False, refusal=False, benefits=()).required
