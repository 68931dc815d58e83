"""One application for zasiłek okresowy and zasiłek celowy, in a real browser: both forms are
decided (art. 104 KPA — the worker chooses a calculation for each and separate decisions), and
each is paid only once it became enforceable (art. 130 KPA), in the right month.

The celowy decision becomes final the day the party's waiver reaches the centre (art. 127a § 2
KPA) and is paid in the December run; the okresowy decision waits for its appeal period — the
run holds it and says why — and is paid, dated from its finality, once that is recorded. The
browser cannot move the clock, so the one date after today (finality on 19 December) is given
to the service explicitly."""

from __future__ import annotations

from typing import Any

import pytest

NRB = "61109010140000071219812874"


def _logout(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/konto/logout/")
    page.click("main button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_two_benefits_decided_and_each_paid_when_enforceable(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    from ostoja.core.dates import today
    from ostoja.decisions import services
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_two_benefit_application
    from ostoja.org.demo import load_demo_organisation
    from ostoja.payments.demo import _ensure_centre_account
    from ostoja.payments.models import Payment

    load_demo_organisation(on=today())
    _ensure_centre_account()
    on = today()
    month = f"{on:%Y-%m}"
    app = make_two_benefit_application(received_on=on.replace(day=1))

    # 1. socjalny chooses the calculation of each form and separate decisions
    login("socjalny")
    page.goto(f"{live_server.url}/sprawy/{app.case_id}/")
    form = page.locator(f"#draft-{app.pk}")
    assert "zasiłek okresowy, zasiłek celowy" in form.inner_text()  # both undecided
    assert form.locator("input[name=calculations]:checked").count() == 0  # nothing implied
    for box in form.locator("input[name=calculations]").all():
        box.check()
    form.get_by_label("Osobna decyzja dla każdej formy").check()
    page.fill(f"#draft{app.pk}_account_number", NRB)
    shot("two-benefits-01-choose")
    form.get_by_role("button", name="Przygotuj projekt decyzji").click()
    page.wait_for_load_state()
    drafts = {d.lines.get().benefit: d for d in Decision.objects.filter(application=app)}
    assert set(drafts) == {"zasilek_okresowy", "zasilek_celowy"}
    _logout(page, live_server)

    # 2. kierownik checks and signs each (today), records delivery in person (today)
    login("kierownik")
    for d in drafts.values():
        page.goto(f"{live_server.url}/decyzje/{d.pk}/")
        page.click("button:has-text('Sprawdź')")
        page.wait_for_load_state()
        page.click("button:has-text('Podpisz decyzję')")
        page.wait_for_load_state()
        assert "Podpisana" in page.inner_text("#status")
        assert "niewykonalna" in page.inner_text("#payability")  # signed is not enough
        deliver = page.locator(
            "form", has=page.locator("button:has-text('Zarejestruj doręczenie')")
        )
        deliver.locator("select[name=channel]").select_option("osobiscie")
        deliver.locator("input[name=delivered_on]").fill(on.isoformat())
        deliver.get_by_role("button", name="Zarejestruj doręczenie").click()
        page.wait_for_load_state()
        assert "Doręczona" in page.inner_text("#status")
        assert "czeka na ostateczność" in page.inner_text("#payability")
    app.refresh_from_db()
    assert app.status == "zakonczony"  # both forms decided → the application is finished

    # 3. the party waives the appeal against the celowy decision (art. 127a KPA)
    celowy = drafts["zasilek_celowy"]
    page.goto(f"{live_server.url}/decyzje/{celowy.pk}/")
    page.fill("#id_waive-received_on", on.isoformat())
    page.click("button:has-text('Zarejestruj zrzeczenie się odwołania')")
    page.wait_for_load_state()
    assert "Ostateczna" in page.inner_text("#status")
    assert "127a" in page.inner_text("#waived-on")
    assert f"wykonalna od {on:%d.%m.%Y}" in page.inner_text(
        "#payability"
    )  # one date format (issue 17)
    shot("two-benefits-02-waived")
    _logout(page, live_server)

    # 4. the month's run pays celowy (once, not a month) and holds okresowy, saying why
    login("swiadczenia")
    page.goto(f"{live_server.url}/wyplaty/?miesiac={month}")
    held = page.locator("#held-table").inner_text()
    assert "Zasiłek okresowy".lower() in held.lower() and "czeka na ostateczność" in held
    page.fill("#id_month", month)
    page.get_by_role("button", name="Uruchom listę wypłat").click()
    page.wait_for_load_state()
    assert "utworzono 1 płatności" in page.locator(".messages").inner_text()
    assert "wstrzymano 1" in page.locator(".messages").inner_text()
    page.get_by_text("Pozycje wstrzymane przy tym uruchomieniu").click()
    assert "art. 130" in page.locator(".held-report").inner_text()
    shot("two-benefits-03-run-held")
    (paid,) = Payment.objects.all()
    assert paid.decision_id == celowy.pk and paid.period_start == on.replace(day=1)
    assert paid.period_end == paid.period_start.replace(day=2)  # a single day, not a month
    assert paid.due_date >= on and f"{paid.list.month:%Y-%m}" == month

    # 5. okresowy becomes final when its appeal period ends (a date the browser cannot reach)
    okresowy = Decision.objects.get(pk=drafts["zasilek_okresowy"].pk)
    final_on = okresowy.final_on
    assert final_on is not None and final_on > on
    services.decision_finalise(decision=okresowy, actor=okresowy.checker, on=final_on)
    page.goto(f"{live_server.url}/wyplaty/?miesiac={month}")
    page.fill("#id_month", month)
    page.get_by_role("button", name="Uruchom listę wypłat").click()
    page.wait_for_load_state()
    assert "utworzono 1 płatności" in page.locator(".messages").inner_text()
    p = Payment.objects.get(decision_id=okresowy.pk)
    assert f"{p.list.month:%Y-%m}" == month and p.period_start == on.replace(day=1)
    assert p.due_date == max(final_on, on.replace(day=10))  # never before it was final
    page.goto(f"{live_server.url}/wyplaty/listy/{p.list_id}/")
    text = page.locator("main").inner_text()
    assert f"{p.due_date:%d.%m.%Y}" in text
    shot("two-benefits-04-list")
    assert Payment.objects.count() == 2
