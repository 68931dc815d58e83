"""One place where every form field gets its accessible attributes (issue 17).

Django links a field to ``<id>_helptext`` and ``<id>_error`` through ``aria-describedby``;
``web/_field.html`` renders those exact ids. Required selects get ``aria-required``: the HTML
``required`` attribute is only valid on a select whose first option is an empty placeholder
(HTML, "placeholder label option"), which Django already marks ``required`` by itself.
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField, widgets
from django.forms.renderers import DjangoTemplates


class AccessibleBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if (
            self.field.required
            and isinstance(widget, widgets.Select)
            and not attrs.get("required")
            and not self.field.disabled
        ):
            attrs["aria-required"] = "true"
        return attrs


class Renderer(DjangoTemplates):
    """FORM_RENDERER: Django's templates, with :class:`AccessibleBoundField` for every form."""

    bound_field_class = AccessibleBoundField
