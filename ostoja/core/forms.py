"""Turning domain errors into form errors (the interface side of ostoja.core.errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ostoja.core.errors import (
    ConflictError,
    DomainError,
    NotPermitted,
    ValidationFailed,
    page_status,
)
from ostoja.core.exemption import EXEMPTION_CHOICES


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


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python, option by option, instead of one template include
    per option (issue 19: the staff pickers of the registers hold ~700–7,000 users and took
    most of those pages' time). The markup is Django's own ``select.html`` and ``attrs.html``:
    same name, id, ``aria-*`` and ``required`` attributes, same escaping."""

    def render(  # type: ignore[override]
        self,
        name: str,
        value: object,
        attrs: dict[str, object] | None = None,
        renderer: object = None,
    ) -> str:
        widget = self.get_context(name, value, attrs)["widget"]

        def attrs_html(items: dict[str, object]) -> str:
            out = []
            for key, val in items.items():
                if val is False or val is None:
                    continue
                out.append(f" {key}" if val is True else f' {key}="{conditional_escape(str(val))}"')
            return "".join(out)

        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(str(group_name))}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{attrs_html(option['attrs'])}>{conditional_escape(str(option['label']))}"
                    "</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every piece escaped above


def refusal_status(form: forms.Form, exc: DomainError) -> int:
    """The HTTP status of a page that shows a form refused by a service again (issue 17): 422
    when the refusal stands at one of the form's visible fields; otherwise by the error's type
    (``page_status``: 403 not permitted, 409 the record's present state or a stale page)."""
    if isinstance(exc, (ConflictError, NotPermitted)):
        return page_status(exc)
    fields = exc.errors if isinstance(exc, ValidationFailed) else {exc.field or "": []}
    visible = {name for name, field in form.fields.items() if not field.widget.is_hidden}
    return 422 if any(name in visible for name in fields) else page_status(exc)


class RefusalForm(forms.Form):
    """No fields: carries a refusal that is not about a field (permission, the record's present
    state) to the error summary at the top of a page."""


def refusal_form(message: str) -> forms.Form:
    """A :class:`RefusalForm` holding ``message`` for the error summary."""
    form = RefusalForm({})
    form.add_error(None, message)
    return form


_EXEMPTION_TAIL = ("exemption_requested_on", "exemption_reason")


class FeeExemptionFields(forms.Form):
    """The fields of a request for an exemption from a fee (zwolnienie z opłaty na wniosek;
    art. 50 ust. 6, art. 97 ust. 5 u.p.s.), parsed only — ``core.exemption.exemption_of``
    checks them together. A subclass adds the partial part (``exemption_amount`` or
    ``exemption_percent``); the exemption's fields come after the form's own."""

    exemption = forms.ChoiceField(
        label="Zwolnienie z opłaty na wniosek", required=False, choices=EXEMPTION_CHOICES
    )
    exemption_requested_on = forms.DateField(
        label="Data wniosku o zwolnienie",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    exemption_reason = forms.CharField(
        label="Okoliczności uzasadniające zwolnienie (treść do uzasadnienia decyzji)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = [n for n in self.fields if not n.startswith("exemption")]
        part = [n for n in self.fields if n.startswith("exemption_") and n not in _EXEMPTION_TAIL]
        self.order_fields([*own, "exemption", *part, *_EXEMPTION_TAIL])
