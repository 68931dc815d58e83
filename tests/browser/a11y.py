"""Accessibility probes for the browser tests (issue 17): the vendored axe-core and the
320 px reflow check (WCAG 1.4.10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
# WCAG 2.0 and 2.1, levels A and AA (the level ustawa o dostępności cyfrowej requires).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REFLOW_WIDTH = 320
REFLOW_TOLERANCE = 2


def axe_violations(page: Any) -> list[str]:
    """Run axe-core on the page as it is now; one line per violating element.

    ``page.evaluate`` runs outside the page's CSP, so the script needs no exception there."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}));
        }""",
        WCAG_TAGS,
    )
    lines = []
    for v in result:
        for node in v["nodes"][:5]:
            lines.append(f"{v['id']} ({v['impact']}): {node}".replace("\n", " "))
    return lines


def reflow_overflow(page: Any) -> int:
    """How many CSS pixels the page scrolls sideways at 320 px (0 when it reflows)."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        width = int(page.evaluate("document.documentElement.scrollWidth"))
    finally:
        page.set_viewport_size(size)
    return max(0, width - REFLOW_WIDTH - REFLOW_TOLERANCE)


def widest_elements(page: Any) -> list[str]:
    """At 320 px: the deepest elements reaching past the right edge (to say what to fix)."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        return page.evaluate(
            """() => {
                const out = [];
                for (const el of document.querySelectorAll('body *')) {
                    const r = el.getBoundingClientRect();
                    if (r.right > 322 && r.width > 0 && ![...el.children].some(
                            c => c.getBoundingClientRect().right > 322)) {
                        let scroller = el.closest('.table-scroll');
                        if (scroller) continue;
                        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                                 (el.className && typeof el.className === 'string' ?
                                  '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                                 ' → ' + Math.round(r.right) + 'px');
                    }
                    if (out.length >= 4) break;
                }
                return out;
            }"""
        )
    finally:
        page.set_viewport_size(size)
