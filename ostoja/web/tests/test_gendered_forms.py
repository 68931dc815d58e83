"""Issue 17 §2: gendered verbs or neutral nouns instead of "wpisał(a)" on staff pages — every
template of the project is read; a verb with "(a)" or "(-ęła)" appended is refused."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENDER_SUFFIX = re.compile(r"\w\((?:a|-a|-ła|-ęła|-ała)\)")


def test_no_template_appends_a_feminine_ending_in_brackets() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if GENDER_SUFFIX.search(line)
    ]
    assert found == [], "“(a)” forms on staff pages:\n" + "\n".join(found)


def test_the_scanner_sees_the_forms_it_refuses() -> None:
    assert GENDER_SUFFIX.search("wpisał(a): Anna")
    assert GENDER_SUFFIX.search("Rozstrzygnął(-ęła)")
    assert not GENDER_SUFFIX.search("Pan/Pani (art. 7 pkt 1)")
