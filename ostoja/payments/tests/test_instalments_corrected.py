"""The instalment schedule after a correcting document (art. 104 ust. 4 u.p.s.: the decided
schedule stays; the change is read from its end) — examples and invariants."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from ostoja.payments.instalments import instalments_as_corrected

money = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


def test_a_lowering_takes_the_last_instalments_first():
    assert instalments_as_corrected([D("100"), D("100"), D("100")], D("-150")) == [
        D("100"), D("50"), D("0"),
    ]  # fmt: skip


def test_a_raise_is_added_to_the_last_instalment():
    assert instalments_as_corrected([D("100"), D("100")], D("26.50")) == [D("100"), D("126.50")]


def test_a_lowering_beyond_the_schedule_leaves_nothing_and_never_less():
    assert instalments_as_corrected([D("10"), D("20")], D("-100")) == [D("0"), D("0")]


@given(st.lists(money, min_size=1, max_size=24), st.decimals(min_value=D("-150000"),
       max_value=D("150000"), places=2))  # fmt: skip
def test_the_schedule_adds_up_and_keeps_its_terms(amounts, correction):
    out = instalments_as_corrected(amounts, correction)
    assert len(out) == len(amounts) and all(a >= 0 for a in out)
    assert sum(out) == max(sum(amounts) + correction, D("0"))
    # nothing is moved earlier: an instalment changes only if every later one is already at
    # zero (a lowering) or it is the last (a raise)
    for i, (before, after) in enumerate(zip(amounts, out, strict=True)):
        if after != before and correction < 0:
            assert all(x == 0 for x in out[i + 1 :])
        if after != before and correction > 0:
            assert i == len(out) - 1


def test_the_receivable_page_shows_the_schedule_as_decided_and_as_corrected(finance, client_for):
    """300,00 zł in three instalments (art. 104 ust. 4 u.p.s.); a correcting bill lowers it by
    150,00 zł: the decided amounts stay, beside them 100,00 / 50,00 / 0,00 zł."""
    import re
    from datetime import date

    from django.urls import reverse

    from ostoja.payments import services

    rec = services.receivable_register(
        person_id=1, case_id=None, debtor_name="Jan Testowy", decision_number="OP.1/2026",
        decided_on=date(2026, 3, 2), due_date=date(2026, 4, 15), principal=D("300.00"),
        reason="Nieopłacony rachunek", instalments=3, instalment_decision="OP.R.1/2026",
        actor=finance,
    )  # fmt: skip
    url = reverse("payments:receivable_detail", args=[rec.pk])
    assert "Po korekcie" not in client_for(finance).get(url).content.decode()
    services.receivable_correct(
        receivable_id=rec.pk, amount=D("-150.00"), basis="rachunek korygujący",
        corrected_on=date(2026, 4, 20), actor=finance,
    )  # fmt: skip
    html = client_for(finance).get(url).content.decode()
    table = html.split('id="raty"')[1].split("</table>")[0]
    cells = [c.replace("\xa0", " ") for c in re.findall(r'<td class="amount">([^<]+)</td>', table)]
    assert cells == ["100,00 zł", "100,00 zł", "100,00 zł", "50,00 zł", "100,00 zł", "0,00 zł"]
    assert "zmniejsza ostatnie raty" in html
