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


class UploadField(forms.FileField):
    """A file upload with a size limit (``OSTOJA_MAX_UPLOAD_BYTES``, default 10 MB).

    A 30 MB "statement" would otherwise be read into memory and parsed; the limit is checked
    on the upload's size before anything reads it.
    """

    def clean(self, data: object, initial: object = None) -> object:
        from django.conf import settings

        upload = super().clean(data, initial)
        limit = int(settings.OSTOJA_MAX_UPLOAD_BYTES)
        size = getattr(upload, "size", 0) or 0
        if size > limit:
            raise forms.ValidationError(
                f"Plik jest za duży ({size / 1_048_576:.1f} MB); "
                f"najwięcej {limit / 1_048_576:.0f} MB.",
                code="too_large",
            )
        return upload
