"""Regression set of issue 22: the requests and results of the test-suite before the law core
was completed, frozen as JSON and asserted equal (existing requests keep their meaning).

``cases.json`` holds every calculator call the law, web and cases tests made (the ``Case``, the
``Policy`` and the result document); ``documents.json`` every request document passed to
``calculate_document`` with its result document or its field errors. Both were generated from
the code at commit 506ed75 by recording the calls while the tests ran; do not regenerate them
to make a test pass — a difference means an existing request changed its meaning.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ostoja.law.benefits import calculate
from ostoja.law.interface import RequestError, calculate_document, result_to_document

from .codec import decode

_HERE = Path(__file__).parent


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((_HERE / name).read_text(encoding="utf-8"))


def _without_code_lists(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """Code lists grow additively (issue 22 adds benefit, income and title codes), so the
    "dozwolone: …" enumeration of an unknown-code message is not part of the frozen meaning."""
    return [{"field": e["field"], "message": e["message"].split("; dozwolone:")[0]} for e in errors]


# Deliberate corrections of parameter history under issue 22, each named with its reason: the
# frozen case → the fields whose value changed (old, new). Every other field must be equal.
CORRECTIONS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "ee7f0b794bef92c7": (
        "art. 38 ust. 2 pkt 1 u.p.s. before 2024: the single person's cap was the fixed 418 zł, "
        "not the per-person criterion (parameter zasilek_okresowy_limit_samotnej re-read)",
        {"amount_max": ("600.00", "418.00")},
    ),
}


# Parameters confirmed against their acts under issue 22: their "⚠ … wymaga potwierdzenia"
# trace step disappears (name, valid_from).
CONFIRMED = {
    ("kryterium_dochodowe", "2018-10-01"),
    ("dochod_z_hektara", "2018-10-01"),
    ("zasilek_staly", "2018-10-01"),
    ("zasilek_staly", "2022-01-01"),
}


def _without_confirmed(result: dict[str, Any]) -> dict[str, Any]:
    def kept(step: dict[str, str]) -> bool:
        return not any(
            step["step"].startswith(f"⚠ Wartość parametru „{name}”")
            and step["value"] == f"obowiązuje od {since}"
            for name, since in CONFIRMED
        )

    return {**result, "trace": [s for s in result["trace"] if kept(s)]}


# Additive since the set was frozen (issue 12 §5, named): the "another benefit fits" hint and
# the "insured elsewhere" answer are new keys of every result; existing keys keep their meaning.
ADDED_KEYS = {"other_benefits", "health_insured_elsewhere"}


def _old_keys(result: dict[str, Any]) -> dict[str, Any]:
    """The keys the frozen set knows; the trace without the new "insured elsewhere" step (issue
    12 §5 — it explains the health contribution, which was already zero in these cases)."""
    kept = {k: v for k, v in result.items() if k not in ADDED_KEYS}
    if "trace" in kept:
        kept["trace"] = [
            step
            for step in kept["trace"]
            if not step.get("basis", "").startswith("art. 66 ust. 1 i art. 72 ust. 1")
            and not step.get("step", "").startswith("Składka na ubezpieczenie zdrowotne: nie ")
        ]
    return kept


def _pensioner_correction(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Named correction (issue 12 §5; art. 66 ust. 1 and 72 ust. 1 of the health care act): a
    pension among the incomes means the person is insured elsewhere, so the frozen result's
    health contribution becomes 0.00 (its trace gains the reason); everything else is equal."""
    if not (
        new.get("health_insured_elsewhere")
        and old.get("health_contribution") not in (None, "0.00")
        and new.get("health_contribution") == "0.00"
    ):
        return False
    same = set(_old_keys(new)) - {"health_contribution", "trace"}
    assert {k: new[k] for k in same} == {k: old[k] for k in same}
    return True


def _key(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record["case"], sort_keys=True).encode()).hexdigest()[:16]


_CASES = _load("cases.json")
_DOCUMENTS = _load("documents.json")


def test_regression_set_is_not_empty() -> None:
    assert len(_CASES) > 100
    assert len(_DOCUMENTS) > 50


@pytest.mark.parametrize("record", _CASES, ids=lambda r: r["benefit"])
def test_frozen_case_gives_the_same_result_art_8_and_benefit_articles(
    record: dict[str, Any],
) -> None:
    case = decode(record["case"])
    policy = decode(record["policy"])
    result = result_to_document(calculate(case, record["benefit"], policy=policy))
    correction = CORRECTIONS.get(_key(record))
    if correction is None and _pensioner_correction(record["result"], result):
        return
    if correction is None:
        assert _old_keys(result) == _old_keys(_without_confirmed(record["result"]))
        return
    _reason, changed = correction
    for name, (old, new) in changed.items():
        assert record["result"][name] == old and result[name] == new
    same = set(_old_keys(result)) - set(changed) - {"trace"}
    assert {k: result[k] for k in same} == {k: record["result"][k] for k in same}


@pytest.mark.parametrize(
    "record",
    _DOCUMENTS,
    ids=lambda r: str(r["request"].get("benefit") if isinstance(r["request"], dict) else "?"),
)
def test_frozen_request_document_gives_the_same_result(record: dict[str, Any]) -> None:
    if "errors" in record:
        with pytest.raises(RequestError) as exc:
            calculate_document(record["request"])
        assert _without_code_lists(exc.value.errors) == _without_code_lists(record["errors"])
    else:
        result = calculate_document(record["request"])
        if not _pensioner_correction(record["result"], result):
            assert _old_keys(result) == _old_keys(_without_confirmed(record["result"]))
