"""KPA and Act deadlines (art. 35, 57, 129 KPA; rozporządzenie w sprawie RWŚ)."""

from datetime import date

from ostoja.law.deadlines import (
    add_working_days,
    appeal_deadline,
    decision_deadline,
    finality_date,
    holiday_name,
    interview_deadline,
    interview_update_due,
    is_non_working_day,
    latest_payment_day,
)


def test_holidays_from_library_wigilia_from_2025_only():
    assert holiday_name(date(2025, 12, 24)) == "Wigilia Bożego Narodzenia"
    assert holiday_name(date(2024, 12, 24)) is None
    assert is_non_working_day(date(2025, 12, 28))  # Sunday — not in the library's list
    assert is_non_working_day(date(2025, 12, 27))  # Saturday
    assert not is_non_working_day(date(2025, 12, 29))


def test_appeal_deadline_over_christmas_2025_art_129_par_2_and_art_57_par_4_kpa():
    """Delivery 2025-12-10 → 14 days = 2025-12-24 (Wigilia, a holiday from 2025); 25, 26
    holidays, 27 Saturday, 28 Sunday → 2025-12-29."""
    d = appeal_deadline(date(2025, 12, 10))
    assert d.date == date(2025, 12, 29)
    assert any("art. 57 § 4 KPA" in s.basis for s in d.trace)
    assert "Wigilia" in d.trace[-1].value


def test_appeal_deadline_2024_12_24_was_a_working_day():
    assert appeal_deadline(date(2024, 12, 10)).date == date(2024, 12, 24)


def test_appeal_deadline_ending_on_saturday_moves_to_monday_art_57_par_4_kpa():
    assert appeal_deadline(date(2025, 3, 1)).date == date(2025, 3, 17)  # 15 Mar is Saturday


def test_finality_day_after_unused_appeal_deadline_art_16_kpa():
    assert finality_date(date(2025, 12, 10)).date == date(2025, 12, 30)
    assert finality_date(date(2025, 11, 3)).date == date(2025, 11, 18)


def test_decision_deadline_one_month_art_35_par_3_and_art_57_par_3_kpa():
    assert decision_deadline(date(2025, 1, 31)).date == date(2025, 2, 28)
    assert decision_deadline(date(2025, 3, 3)).date == date(2025, 4, 3)
    # 2025-11-01 is Saturday and All Saints' Day, 2 Nov Sunday → Monday 3 Nov
    assert decision_deadline(date(2025, 10, 1)).date == date(2025, 11, 3)


def test_decision_deadline_two_months_for_complex_case_art_35_par_3_kpa():
    assert decision_deadline(date(2025, 10, 24), complex_case=True).date == date(2025, 12, 29)


def test_interview_within_14_working_days_over_easter():
    """RWŚ § 3: 14 working days from 2025-04-16; Easter Monday (21 Apr), 1 May and weekends
    are skipped (3 May is a Saturday anyway) → 2025-05-08."""
    assert interview_deadline(date(2025, 4, 16)).date == date(2025, 5, 8)


def test_urgent_interview_within_2_working_days_over_easter():
    assert interview_deadline(date(2025, 4, 18), urgent=True).date == date(2025, 4, 23)
    assert interview_deadline(date(2026, 4, 3), urgent=True).date == date(2026, 4, 8)


def test_interview_update_every_6_months_not_after_the_limit():
    assert interview_update_due(date(2025, 3, 15)).date == date(2025, 9, 15)
    # 2025-11-15 is a Saturday → the last working day before it
    assert interview_update_due(date(2025, 5, 15)).date == date(2025, 11, 14)


def test_add_working_days_does_not_count_the_start_day():
    assert add_working_days(date(2025, 12, 23), 1) == date(2025, 12, 29)
    assert add_working_days(date(2025, 12, 22), 0) == date(2025, 12, 22)


def test_delay_notice_new_date_art_36_moves_off_a_saturday_art_57_par_4():
    from ostoja.law.deadlines import delayed_decision_date

    # 4 Dec 2026 (Fri) + 15 days = 19 Dec 2026 (Sat) → Mon 21 Dec 2026
    d = delayed_decision_date(date(2026, 12, 4), 15)
    assert d.date == date(2026, 12, 21)
    assert any("art. 36 § 1 KPA" in s.basis for s in d.trace)


def test_latest_payment_day_integration_benefit_by_the_15th() -> None:
    """§ 3 ust. 2 of the regulation on help for foreigners (t.j. Dz.U. 2019 poz. 1946): the
    integration benefit is paid by the 15th; other benefits have no such provision; before the
    regulation there is no limit."""
    limit = latest_payment_day("swiadczenie_integracyjne", date(2026, 2, 28))
    assert limit is not None and limit.day == 15 and "§ 3 ust. 2" in limit.basis
    assert latest_payment_day("zasilek_staly", date(2026, 2, 28)) is None
    assert latest_payment_day("swiadczenie_integracyjne", date(2015, 4, 30)) is None
