"""Issue 18 (found by mypy): the preview of an unsigned draft's PDF is dated by the caller
(time is an input) — ``decision_pdf`` called ``content_of`` without ``on`` and failed."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from ostoja.decisions import selectors
from ostoja.decisions.models import DecisionDocument
from ostoja.decisions.tests.test_workflow import draft


def test_draft_pdf_preview_is_rendered_and_marked_draft(ready_application, users) -> None:
    d = draft(ready_application, users)
    assert not DecisionDocument.objects.filter(decision=d).exists()
    data, sha, is_draft = selectors.decision_pdf(decision=d, on=date(2026, 12, 4))
    assert is_draft and len(sha) == 64
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "PROJEKT" in text.upper()
