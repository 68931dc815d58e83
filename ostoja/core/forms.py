"""Turning domain errors into form errors (the interface side of ostoja.core.errors)."""

from __future__ import annotations

from django import forms

from ostoja.core.errors import DomainError, ValidationFailed


def attach_errors(form: forms.Form, exc: DomainError) -> None:
    """Show a domain error on the field it names (or on the form as a whole)."""
    if isinstance(exc, ValidationFailed):
        for field, messages in exc.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
