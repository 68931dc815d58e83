"""Pure rules of social work, each named after the provision it implements."""

from datetime import UTC, date, datetime, timedelta

from ostoja.socialwork.policy import (
    Access,
    ContractDraft,
    ContractStatus,
    assignment_errors,
    break_glass_errors,
    contract_can_move,
    contract_content_editable,
    contract_readiness_errors,
    correction_errors,
    note_dates_errors,
    protected_access,
    visit_overdue,
)

NOW = datetime(2025, 5, 5, 10, 0, tzinfo=UTC)


def test_note_event_date_not_in_future() -> None:
    assert note_dates_errors(occurred_on=date(2025, 5, 6), today=date(2025, 5, 5))
    assert not note_dates_errors(occurred_on=date(2025, 5, 5), today=date(2025, 5, 5))


def test_correction_chain_only_latest_version_and_same_case() -> None:
    assert not correction_errors(already_corrected=False, same_case=True)
    assert "corrects" in correction_errors(already_corrected=True, same_case=True)
    assert "corrects" in correction_errors(already_corrected=False, same_case=False)


def test_visit_overdue_only_when_planned_and_past() -> None:
    assert visit_overdue(status="zaplanowana", planned_on=date(2025, 5, 4), today=date(2025, 5, 5))
    assert not visit_overdue(
        status="zaplanowana", planned_on=date(2025, 5, 5), today=date(2025, 5, 5)
    )
    assert not visit_overdue(status="odbyta", planned_on=date(2025, 5, 1), today=date(2025, 5, 5))


def test_art108_contract_life_cycle_never_returns_to_draft() -> None:
    assert contract_can_move(current="projekt", target="zawarty")
    assert contract_can_move(current="zawarty", target="rozwiazany")
    assert contract_can_move(current="zawarty", target="zrealizowany")
    assert not contract_can_move(current="zawarty", target="projekt")
    assert not contract_can_move(current="zrealizowany", target="zawarty")
    assert contract_content_editable(status=ContractStatus.DRAFT)
    assert not contract_content_editable(status=ContractStatus.SIGNED)


def test_art108_contract_needs_situation_goal_period_and_both_sides_actions() -> None:
    empty = ContractDraft("", "", None, None, 0, 0)
    errors = contract_readiness_errors(empty)
    assert {"situation", "main_goal", "valid_to", "actions"} <= set(errors)
    assert len(errors["actions"]) == 2
    ok = ContractDraft("sytuacja", "cel", date(2025, 1, 1), date(2025, 3, 1), 1, 1)
    assert contract_readiness_errors(ok) == {}


def test_art100_protected_access_rule() -> None:
    base = {
        "is_assigned": False,
        "is_head_of_case_unit": False,
        "grant_expires_at": None,
        "now": NOW,
    }
    assert protected_access(protected=False, **base) is Access.OPEN
    assert protected_access(protected=True, **base) is Access.NEEDS_REASON
    assert protected_access(protected=True, **{**base, "is_assigned": True}) is Access.ASSIGNED
    assert protected_access(protected=True, **{**base, "is_head_of_case_unit": True}) is Access.HEAD
    later = NOW + timedelta(minutes=5)
    assert protected_access(protected=True, **{**base, "grant_expires_at": later}) is Access.GRANTED
    expired = NOW - timedelta(minutes=1)
    assert (
        protected_access(protected=True, **{**base, "grant_expires_at": expired})
        is Access.NEEDS_REASON
    )


def test_break_glass_requires_a_real_reason() -> None:
    assert break_glass_errors(reason="bo tak")
    assert not break_glass_errors(reason="Interwencja — pracownik na urlopie, zgłoszenie policji")


def test_cover_has_an_end_and_permanent_has_none() -> None:
    d = date(2025, 5, 5)
    assert "ends_on" in assignment_errors(
        kind="zastepstwo", starts_on=d, ends_on=None, same_worker=False
    )
    assert "ends_on" in assignment_errors(kind="stale", starts_on=d, ends_on=d, same_worker=False)
    assert not assignment_errors(kind="stale", starts_on=d, ends_on=None, same_worker=False)
    assert "worker" in assignment_errors(kind="stale", starts_on=d, ends_on=None, same_worker=True)
