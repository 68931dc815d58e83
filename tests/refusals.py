"""Reading a refused form page in tests (issue 17): the error summary on top and the message at
its field — one helper for every app's ``test_view_refusals``."""

from __future__ import annotations

import re


def error_summary(page: str) -> str:
    """The inside of the page's error summary (``data-error-summary``), or "" when there is none."""
    m = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
    return m.group(1) if m else ""


def error_at_field(page: str, field_id: str, text: str) -> bool:
    """``text`` sits under the field (``<id>_error``) and in the summary, which links to the field."""
    under = re.search(rf'id="{field_id}_error">(.*?)</div>', page, re.S)
    summary = error_summary(page)
    return bool(
        under and text in under.group(1) and f'href="#{field_id}"' in summary and text in summary
    )
