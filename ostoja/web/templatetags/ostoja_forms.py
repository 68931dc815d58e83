"""Form helpers for templates: the error summary and the required-fields note (issue 17)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def has_required(form: Any) -> bool:
    """Does the form show at least one required field (marked with ``*``)?"""
    return any(f.field.required for f in form.visible_fields())


@register.filter
def error_list(form: Any) -> list[dict[str, str]]:
    """Every error of a bound form as ``{"href", "label", "message"}`` for the summary at the
    top: each entry links to its field; errors of the whole form link to the form's top."""
    if not getattr(form, "is_bound", False) or not form.errors:
        return []
    items: list[dict[str, str]] = []
    for message in form.non_field_errors():
        items.append({"href": "", "label": "", "message": str(message)})
    for bf in form:
        for message in bf.errors:
            href = f"#{bf.id_for_label or bf.auto_id}" if not bf.is_hidden else ""
            items.append({"href": href, "label": str(bf.label or ""), "message": str(message)})
    return items
