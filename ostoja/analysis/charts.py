"""Server-rendered SVG charts (matplotlib, Agg/SVG backend, no pyplot state, no JavaScript).

The same SVG goes into the page and into a PDF. Text stays text (``svg.fonttype = none``), so
screen readers and search find the labels; ids are salted with a constant so the same data
gives byte-identical SVG. Every chart is shown next to its data table (WCAG: no information in
the picture alone, no colour-only meaning).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # before any figure: never a GUI backend on a server

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "ostoja",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
INK = "#0b4f6c"
SECOND = "#c05a00"
_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)


def _svg(fig: Figure, title: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = _XML_HEAD.sub("", buf.getvalue())
    # An accessible name for the picture; the data table beside it carries the figures.
    return text.replace("<svg ", f'<svg role="img" aria-label="{_escape(title)}" ', 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def axis_number(x: float, _pos: object = None) -> str:
    """A value-axis label the Polish way: thousands grouped by a no-break space, a decimal comma,
    no trailing ",0" — "3 000 000", "2,5" — instead of matplotlib's "3.0" with a "1e6" offset."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


_POLISH_AXIS = FuncFormatter(axis_number)


def bars(
    labels: Sequence[str],
    values: Sequence[int | Decimal],
    *,
    title: str,
    horizontal: bool = False,
    second: Sequence[int | Decimal] | None = None,
    legend: tuple[str, str] = ("", ""),
) -> str:
    """A bar chart (optionally a second series beside the first, hatched so it differs by more
    than colour). The same data gives the same SVG, so it is drawn once (issue 19: matplotlib
    takes ~0.5 s a chart)."""
    return _bars(
        tuple(labels),
        tuple(values),
        title=title,
        horizontal=horizontal,
        second=tuple(second) if second is not None else None,
        legend=tuple(legend),
        integer=all(isinstance(v, int) for v in values),  # 1 == Decimal(1) in the cache key
    )


@lru_cache(maxsize=64)
def _bars(
    labels: Sequence[str],
    values: Sequence[int | Decimal],
    *,
    title: str,
    horizontal: bool = False,
    second: Sequence[int | Decimal] | None = None,
    legend: tuple[str, str] = ("", ""),
    integer: bool = False,
) -> str:
    height = max(2.4, 0.32 * len(labels) + 0.8) if horizontal else 3.0
    fig = Figure(figsize=(7.2, height))
    ax = fig.add_subplot()
    pos = list(range(len(labels)))
    width = 0.4 if second is not None else 0.7
    first_pos = [p - width / 2 for p in pos] if second is not None else pos
    draw = ax.barh if horizontal else ax.bar
    draw(first_pos, [float(v) for v in values], width, color=INK, label=legend[0] or None)
    if second is not None:
        draw([p + width / 2 for p in pos], [float(v) for v in second], width, color="white",
             edgecolor=SECOND, hatch="///", label=legend[1] or None)  # fmt: skip
    if horizontal:
        ax.set_yticks(pos, labels)
        ax.invert_yaxis()
    else:
        ax.set_xticks(pos, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
    value_axis = ax.xaxis if horizontal else ax.yaxis
    if integer:  # counts: no 0.2 of a case on the axis
        value_axis.set_major_locator(MaxNLocator(integer=True))
    value_axis.set_major_formatter(_POLISH_AXIS)
    if legend[0]:
        ax.legend(frameon=False)
    ax.set_title(title, loc="left")
    return _svg(fig, title)


def lines(
    labels: Sequence[str],
    series: dict[str, Sequence[int | Decimal]],
    *,
    title: str,
) -> str:
    """Monthly lines; each series has its own marker and dash, not only its colour (drawn once
    per distinct data, like :func:`bars`)."""
    return _lines(tuple(labels), tuple((k, tuple(v)) for k, v in series.items()), title=title)


@lru_cache(maxsize=64)
def _lines(
    labels: Sequence[str],
    series_items: tuple[tuple[str, Sequence[int | Decimal]], ...],
    *,
    title: str,
) -> str:
    series = dict(series_items)
    fig = Figure(figsize=(7.2, 3.0))
    ax = fig.add_subplot()
    styles = [(INK, "o", "-"), (SECOND, "s", "--"), ("#555555", "^", ":")]
    for (name, values), (color, marker, dash) in zip(series.items(), styles, strict=False):
        ax.plot(labels, [float(v) for v in values], color=color, marker=marker,
                linestyle=dash, label=name)  # fmt: skip
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.yaxis.set_major_formatter(_POLISH_AXIS)
    ax.legend(frameon=False)
    ax.set_title(title, loc="left")
    return _svg(fig, title)


def data_uri(svg: str) -> str:
    """The SVG as an ``<img>`` source: an image document, so the page's strict CSP (no inline
    styles) does not strip the chart's own styling."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
