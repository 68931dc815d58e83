"""Residence titles (art. 5 u.p.s.) and refusal grounds (art. 11, 12, 107 u.p.s.)."""

from ostoja.law.benefits import calculate

from .helpers import D, case, single


def test_humanitarian_stay_only_shelter_meal_clothing_zasilek_celowy_art_5_pkt_3():
    hh = single("500")
    assert calculate(
        case(hh, residence_title="pobyt_humanitarny", requested_amount=D("100")), "zasilek_celowy"
    ).eligible
    assert calculate(case(hh, residence_title="pobyt_tolerowany"), "posilek").eligible
    r = calculate(case(hh, residence_title="pobyt_tolerowany"), "zasilek_okresowy")
    assert not r.eligible
    assert any("art. 5 pkt 3" in x.basis for x in r.reasons)


def test_other_temporary_stay_gives_no_right_art_5():
    r = calculate(case(single("500"), residence_title="pobyt_czasowy_inny"), "zasilek_celowy")
    assert not r.eligible
    assert any(x.basis == "art. 5 u.p.s." for x in r.reasons)


def test_full_titles_art_5_pkt_1_2():
    for title in [
        "obywatel_pl",
        "obywatel_ue",
        "pobyt_staly",
        "rezydent_ue",
        "status_uchodzcy",
        "ochrona_uzupelniajaca",
        "pobyt_czasowy_laczenie_rodzin",
    ]:
        assert calculate(case(single("500"), residence_title=title), "zasilek_okresowy").eligible


def test_refused_interview_is_a_ground_for_refusal_art_107():
    r = calculate(case(single("500"), interview_refused=True), "zasilek_okresowy")
    assert not r.eligible
    assert r.amount == D("0.00")
    assert any("art. 107" in x.basis for x in r.reasons)
    assert any("wywiadu" in str(x) for x in r.reasons)


def test_non_cooperation_art_11_and_asset_disproportion_art_12():
    r = calculate(
        case(single("500"), non_cooperation=True, asset_disproportion=True), "zasilek_celowy"
    )
    assert not r.eligible
    bases = {x.basis for x in r.reasons}
    assert {"art. 11 ust. 2 u.p.s.", "art. 12 u.p.s."} <= bases


def test_reasons_collect_every_ground():
    r = calculate(
        case(single("2000"), interview_refused=True, residence_title="pobyt_tolerowany"),
        "zasilek_okresowy",
    )
    assert len(r.reasons) == 3
