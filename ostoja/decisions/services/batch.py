"""Batch printing (wydruk zbiorczy) of signed decisions from their frozen HTML."""

from __future__ import annotations

from ostoja.core.errors import DomainError
from ostoja.decisions import documents
from ostoja.decisions.models import (
    Decision,
    DecisionDocument,
)


def batch_pdf(*, decisions: list[Decision]) -> bytes:
    """One PDF of several signed decisions, from their frozen HTML (never from current data)."""
    from weasyprint import HTML  # local: heavy (Pango, fonts): loaded only when printing

    docs = DecisionDocument.objects.filter(decision__in=decisions).order_by("decision__number")
    rendered = [HTML(string=doc.html).render(font_config=documents._font_config()) for doc in docs]
    if not rendered:
        raise DomainError("Brak podpisanych dokumentów do wydruku.")
    pages = [p for r in rendered for p in r.pages]
    return bytes(rendered[0].copy(pages).write_pdf(pdf_variant=documents.PDF_VARIANT))
