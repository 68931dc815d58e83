"""Applications: case reference (znak sprawy), district and worker, deadlines from the law core,
interview, calculation snapshot, timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings

from ostoja.cases import selectors, services
from ostoja.cases.models import Application, ApplicationStatus, InterviewStatus, TimelineEvent
from ostoja.cases.panels import case_panels, register_case_panel, unregister_case_panel
from ostoja.core import dates
from ostoja.core.dates import noon
from ostoja.core.errors import ConflictError, DomainError, ValidationFailed
from tests.threads import run_at_once

ON = date(2025, 11, 5)


def register(
    household: Any, applicant: Any, user: Any, received: date = ON, **kw: Any
) -> Application:
    return services.application_register(
        household=household,
        applicant=applicant,
        received_on=received,
        channel="osobiscie",
        forms=kw.pop("forms", ["zasilek_okresowy"]),
        reasons=["1", "4"],
        user=user,
        on=ON,
        **kw,
    )


@pytest.mark.django_db
def test_reference_sequential_per_unit_class_and_year(family: Any, worker: Any) -> None:
    refs = []
    for n in range(3):
        h, a = family(1, serial=n + 1)
        refs.append(register(h, a, worker).reference)
    assert refs == ["RO1.4011.1.2025", "RO1.4011.2.2025", "RO1.4011.3.2025"]
    h, a = family(1, serial=7)
    assert register(h, a, worker, forms=["zasilek_staly"]).reference == "RO1.4010.1.2025"
    h, a = family(1, serial=8)
    next_year = services.application_register(
        household=h,
        applicant=a,
        received_on=date(2026, 1, 2),
        channel="poczta",
        forms=["zasilek_okresowy"],
        reasons=[],
        user=worker,
        on=date(2026, 1, 5),
    )
    assert next_year.reference == "RO1.4011.1.2026"


@pytest.mark.django_db
def test_reference_pattern_is_configurable(family: Any, worker: Any, settings: Any) -> None:
    settings.OSTOJA_CASE_REFERENCE_PATTERN = "{unit}-{jrwa}/{number}/{year}"
    h, a = family(1)
    assert register(h, a, worker).reference == "RO1-4011/1/2025"


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers; the row lock matters on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_reference_allocator_no_duplicates_under_concurrency(db: Any) -> None:
    from django.db import transaction

    numbers: list[int] = []

    def take() -> None:
        for _ in range(10):
            with transaction.atomic():
                numbers.append(
                    services.reference_allocate(unit_symbol="RO9", filing_symbol="4011", year=2025)
                )

    assert not run_at_once(take, threads=4)
    assert sorted(numbers) == list(range(1, 41))


@pytest.mark.django_db
def test_reference_allocator_sequential_without_gaps(db: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        got = [
            services.reference_allocate(unit_symbol="X", filing_symbol="1", year=2025)
            for _ in range(5)
        ]
    try:
        with transaction.atomic():
            services.reference_allocate(unit_symbol="X", filing_symbol="1", year=2025)
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        got.append(services.reference_allocate(unit_symbol="X", filing_symbol="1", year=2025))
    assert got == [1, 2, 3, 4, 5, 6]  # the rolled-back number is reused: no gap


@pytest.mark.django_db
def test_district_worker_and_deadlines(family: Any, worker: Any) -> None:
    """Deadlines from the law core: interview 14 working days (rozp. RWŚ § 3), decision 1 month
    (art. 35 § 3 KPA), moved per art. 57 § 4 KPA."""
    h, a = family(1)
    app = register(h, a, worker)
    assert app.case.unit.code == "ro1" and app.case.worker == worker
    assert app.interview_due == date(2025, 11, 26)  # 11 Nov (holiday) not counted
    assert app.decision_due == date(2025, 12, 5)
    urgent = register(h, a, worker, urgent=True)
    assert urgent.interview_due == date(2025, 11, 7)


@pytest.mark.django_db
def test_application_bad_input(family: Any, worker: Any) -> None:
    h, a = family(1)
    with pytest.raises(ValidationFailed) as exc:
        services.application_register(
            household=h,
            applicant=a,
            received_on=date(2025, 12, 1),
            channel="fax",
            forms=[],
            reasons=["10"],
            user=worker,
            on=ON,
        )
    assert {"received_on", "channel", "forms", "reasons"} <= set(exc.value.errors)
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_interview_and_calculation_path(family: Any, worker: Any) -> None:
    h, a = family(3)
    app = register(h, a, worker)
    interview = services.interview_start(
        now=dates.now(), case=app.case, application=app, user=worker
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.INTERVIEW_PLANNED
    with pytest.raises(ValidationFailed):
        services.interview_complete(
            now=dates.now(),
            interview=interview,
            conducted_on=ON,
            expected_version=interview.version,
            user=worker,
            on=ON,
        )
    interview = services.interview_save_section(
        interview=interview,
        section="rodzina",
        data={"rodzina-opis": "Matka z dziećmi"},
        expected_version=interview.version,
    )
    interview = services.interview_save_section(
        interview=interview,
        section="analiza",
        data={"analiza-ocena": "Ubóstwo", "analiza-proponowane_swiadczenie": "zasilek_okresowy"},
        expected_version=interview.version,
    )
    with pytest.raises(ConflictError):
        services.interview_save_section(
            interview=interview, section="zdrowie", data={}, expected_version=1
        )
    services.interview_complete(
        now=dates.now(),
        interview=interview,
        conducted_on=ON,
        expected_version=interview.version,
        user=worker,
        on=ON,
    )
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED and interview.update_due == date(
        2026, 5, 5
    )
    with pytest.raises(DomainError):
        services.interview_save_section(
            interview=interview, section="rodzina", data={}, expected_version=interview.version
        )
    calc = services.calculation_run(
        now=dates.now(), application=app, benefit="zasilek_okresowy", user=worker
    )
    assert calc.result["income"]["total"] == "900.00"  # 700 + 2 × 100 alimony
    assert calc.result["income"]["month"] == "2025-10"
    assert calc.request["members"][0]["role"] == "wnioskodawca"
    assert selectors.calculation_latest(application=app) == calc
    assert calc.parameters_valid_from == date(2025, 1, 1)
    kinds = set(TimelineEvent.objects.filter(case=app.case).values_list("kind", flat=True))
    assert {"sprawa", "wniosek", "wywiad", "obliczenie"} <= kinds
    update = services.interview_start(now=dates.now(), case=app.case, application=None, user=worker)
    assert update.previous == interview and update.sections["rodzina"]["opis"] == "Matka z dziećmi"


@pytest.mark.django_db
def test_forward_outside_kielce(family: Any, worker: Any) -> None:
    h, a = family(1)
    app = register(h, a, worker)
    services.application_forward(
        today=dates.today(),
        application=app,
        target="GOPS Masłów",
        on=ON,
        expected_version=app.version,
        user=worker,
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.FORWARDED and app.forwarded_on == ON


@pytest.mark.django_db
def test_timeline_record_api_and_panels(family: Any, worker: Any) -> None:
    h, a = family(1)
    case = register(h, a, worker).case
    e1 = services.timeline_record(
        occurred_at=noon(ON), case=case, kind="decyzja", title="Decyzja", source=("decisions", 7)
    )
    e2 = services.timeline_record(
        occurred_at=noon(ON),
        case_id=case.pk,
        kind="decyzja",
        title="x",
        source_app="decisions",
        source_id=7,
        occurred_on=ON,
    )
    assert e1 == e2

    def panel(c: Any, u: Any, now: Any) -> dict[str, Any]:
        return {"template": "x.html", "title": "Pomoc", "context": {"n": c.pk}}

    register_case_panel(panel)
    try:
        assert {"template": "x.html", "title": "Pomoc", "context": {"n": case.pk}} in case_panels(
            case=case, user=worker, now=noon(ON)
        )
    finally:
        unregister_case_panel(panel)


@pytest.mark.django_db
def test_a_case_has_one_interview_in_progress(family: Any, worker: Any) -> None:
    """A second start — another click, a colleague at the same moment — continues the draft
    (the 50-user load run found 50 drafts on one case before this); the database itself refuses
    a second draft of a case."""
    from django.db import IntegrityError, transaction

    from ostoja.cases.models import Interview

    h, a = family(1)
    app = register(h, a, worker)
    first = services.interview_start(now=dates.now(), case=app.case, application=app, user=worker)
    again = services.interview_start(now=dates.now(), case=app.case, application=None, user=worker)
    assert again.pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(case=app.case, worker=worker, sections={}, reasons=[])
    assert Interview.objects.filter(case=app.case, status=InterviewStatus.DRAFT).count() == 1


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers; the row lock matters on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_interview_starts_make_one_draft(family: Any, worker: Any) -> None:
    from ostoja.cases.models import Interview

    h, a = family(1)
    app = register(h, a, worker)
    got: list[int] = []

    def start() -> None:
        got.append(
            services.interview_start(
                now=dates.now(), case=app.case, application=None, user=worker
            ).pk
        )

    assert not run_at_once(start, threads=6)
    assert len(set(got)) == 1 and len(got) == 6
    assert Interview.objects.filter(case=app.case, status=InterviewStatus.DRAFT).count() == 1
