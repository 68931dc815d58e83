"""Policy what-if (issue 13 §4): a parameter changed in a copy of the store, the law core rerun
over the caseload's latest calculations; nothing real changes; scenarios saved and compared."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ostoja.analysis import whatif
from ostoja.core.errors import ValidationFailed
from ostoja.law.store import default_store

ON = date(2026, 12, 4)


def test_scenario_store_changes_only_the_record_in_force_and_leaves_the_files() -> None:
    """Art. 8 ust. 1 u.p.s. criterion raised in the scenario; earlier periods and the packaged
    store stay as they are."""
    base = default_store()
    changes = whatif.parse_changes(["kryterium_dochodowe.single=1100"], on=ON)
    scenario = whatif.scenario_store(base, changes, on=ON)
    assert scenario.get("kryterium_dochodowe", ON)["single"] == Decimal("1100.00")
    assert scenario.get("kryterium_dochodowe", date(2023, 5, 1))["single"] == Decimal("776.00")
    assert base.get("kryterium_dochodowe", ON)["single"] == Decimal("1010.00")


@pytest.mark.parametrize(
    "text",
    ["kryterium_dochodowe.single", "nieznany.single=1", "kryterium_dochodowe.brak=1", "x=1"],
)
def test_bad_change_names_the_field_set(text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        whatif.parse_changes([text], on=ON)
    assert exc.value.as_list()[0]["field"] == "set"


@pytest.fixture
def caseload(db: Any) -> list[Any]:
    from ostoja.cases import demo as cases_demo
    from ostoja.cases.selectors import latest_calculations
    from ostoja.core.dates import noon
    from ostoja.org.demo import load_demo_organisation
    from ostoja.registry import demo as registry_demo
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    now = noon(ON)
    load_demo_organisation(on=ON)
    registry_demo.load_demo(now=now)
    cases_demo.load_demo(now=now)
    calcs = latest_calculations()
    assert calcs, "the demo caseload has calculations"
    return calcs


def test_raising_the_criterion_makes_gainers_and_costs_money(caseload: list[Any]) -> None:
    """A higher art. 8 criterion: nobody loses, zasiłek okresowy/stały amounts grow (art. 37,
    38 u.p.s. count from the criterion), the cost is positive and split by district/benefit."""
    changes = whatif.parse_changes(
        ["kryterium_dochodowe.single=1300", "kryterium_dochodowe.per_person=1100"], on=ON
    )
    result = whatif.run(caseload=caseload, changes=changes, on=ON)
    t = result.totals
    assert t.cases + result.skipped == len(caseload)
    assert t.gainers > 0 and t.losers == 0
    assert t.monthly > 0 and t.yearly >= 12 * t.monthly
    assert sum(v.cases for v in result.by_unit.values()) == t.cases
    assert sum((v.yearly for v in result.by_benefit.values()), Decimal(0)) == t.yearly
    same = whatif.run(caseload=caseload, changes=whatif.parse_changes(
        ["kryterium_dochodowe.single=1010"], on=ON), on=ON)  # fmt: skip
    assert (same.totals.gainers, same.totals.losers, same.totals.yearly) == (0, 0, 0)


def test_lowering_the_criterion_makes_losers(caseload: list[Any]) -> None:
    changes = whatif.parse_changes(
        ["kryterium_dochodowe.single=300", "kryterium_dochodowe.per_person=200"], on=ON
    )
    result = whatif.run(caseload=caseload, changes=changes, on=ON)
    assert result.totals.losers > 0 and result.totals.yearly < 0


def test_cli_prints_totals_as_json_and_saves_the_scenario(caseload: list[Any], capsys: Any) -> None:
    from ostoja.analysis.models import Scenario
    from ostoja.cases.models import Calculation

    before = Calculation.objects.count()
    call_command("whatif", "--set", "kryterium_dochodowe.single=1300", "--json", "--save", "A")
    data = json.loads(capsys.readouterr().out)
    assert set(data["totals"]) == {"cases", "gainers", "losers", "monthly_cost", "yearly_cost"}
    assert data["by_district"] and data["by_benefit"]
    assert Scenario.objects.get().name == "A"
    assert Calculation.objects.count() == before  # nothing real changed


def test_cli_bad_set_exits_2(db: Any) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("whatif", "--set", "kryterium_dochodowe=1")
    assert exc.value.returncode == 2 and "set" in str(exc.value)


def test_page_runs_saves_and_compares(caseload: list[Any], client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    analyst = get_user_model().objects.get(username="analityk")
    client = client_for(analyst)
    page = client.get("/analiza/symulacje/?zmiany=kryterium_dochodowe.single=1300")
    assert page.status_code == 200 and "zyskuje" in page.content.decode()
    for name, value in (("wyżej", "1300"), ("niżej", "900")):
        saved = client.post("/analiza/symulacje/", {"zmiany": f"kryterium_dochodowe.single={value}",
                                                     "nazwa": name})  # fmt: skip
        assert saved.status_code == 302
    from ostoja.analysis.models import Scenario

    a, b = Scenario.objects.order_by("pk")
    compare = client.get(f"/analiza/symulacje/?porownaj={a.pk}&porownaj={b.pk}").content.decode()
    assert "Porównanie scenariuszy" in compare and "wyżej" in compare and "niżej" in compare
    bad = client.get("/analiza/symulacje/?zmiany=zle")
    assert bad.status_code == 422 and "REKORD.POLE=WARTOŚĆ" in bad.content.decode()


def test_page_refuses_a_social_worker(caseload: list[Any], client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.get(username="socjalny")
    assert client_for(worker).get("/analiza/symulacje/").status_code == 403
