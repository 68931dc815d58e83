"""Time is an input (issue 11): who may read the clock, and how.

Only ``ostoja/core/dates.py`` touches the clock APIs; only views, API endpoints, management
commands and tasks call its ``today()`` / ``now()``, once per request or command, and pass the
result down. Services, selectors, panels, rules, models, the demo and seed loaders and the law
core take ``on`` / ``now`` as arguments — a required one: no service or selector falls back to
the clock. ruff's banned-API rule (pyproject.toml, TID251) refuses the raw clock calls too; this
test also catches an indirect read through ``ostoja.core.dates``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "ostoja"
DATES = ROOT / "core" / "dates.py"

# The clock itself: calls that read it, wherever they are written.
RAW_CLOCK = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
}
# Calls of ostoja.core.dates that read the clock (the rest only convert a given moment).
DATES_READERS = {"today", "now"}


def _product_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p != DATES
    )


def _may_read_clock(path: Path) -> bool:
    """Views, API endpoints (and the API's authentication), request middleware, commands and
    tasks."""
    rel = path.relative_to(ROOT)
    return (
        path.name in {"views.py", "api.py", "api_auth.py", "tasks.py", "middleware.py"}
        or "views" in rel.parts
        or ("management" in rel.parts and "commands" in rel.parts)
    )


def _dates_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to ``ostoja.core.dates`` readers, and aliases of the module itself."""
    readers: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ostoja.core.dates":
            readers |= {a.asname or a.name for a in node.names if a.name in DATES_READERS}
        if isinstance(node, ast.ImportFrom) and node.module == "ostoja.core":
            modules |= {a.asname or a.name for a in node.names if a.name == "dates"}
    return readers, modules


def _clock_reads(path: Path) -> tuple[list[str], list[str]]:
    """(raw clock calls, reads through ostoja.core.dates) in one module, as 'file:line'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    readers, modules = _dates_names(tree)
    raw: list[str] = []
    via_dates: list[str] = []
    where = f"{path.relative_to(ROOT.parent)}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in RAW_CLOCK:
                raw.append(f"{where}:{node.lineno} {pair[0]}.{pair[1]}")
            if node.value.id in modules and node.attr in DATES_READERS:
                via_dates.append(f"{where}:{node.lineno} dates.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in readers
        ):
            via_dates.append(f"{where}:{node.lineno} {node.func.id}()")
        if (  # ``default=timezone.now`` on a model field reads the clock on save
            isinstance(node, ast.keyword)
            and node.arg == "default"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in {"now", "today", "localdate"}
        ):
            raw.append(f"{where}:{node.lineno} default={node.value.attr}")
    return raw, via_dates


def test_only_core_dates_touches_the_clock() -> None:
    """No module but ostoja/core/dates.py calls timezone.now, date.today, datetime.now…"""
    found = [hit for p in _product_modules() for hit in _clock_reads(p)[0]]
    assert found == [], "the clock read outside ostoja/core/dates.py:\n" + "\n".join(found)


def test_only_views_api_commands_and_tasks_ask_core_dates_for_the_time() -> None:
    """Services, selectors, panels, rules, models, demo and seed loaders take on/now."""
    found = [
        hit for p in _product_modules() if not _may_read_clock(p) for hit in _clock_reads(p)[1]
    ]
    assert found == [], "the clock read below the interface layer:\n" + "\n".join(found)


def _is_domain_module(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return path.stem in {"services", "selectors"} or bool(
        {"services", "selectors"} & set(rel.parts[:-1])
    )


def test_services_and_selectors_take_the_time_as_a_required_argument() -> None:
    """A parameter on/now/today of a public service or selector has no default (no fallback)."""
    optional: list[str] = []
    for path in _product_modules():
        if not _is_domain_module(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            args = node.args
            for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                if arg.arg in {"on", "now", "today"} and default is not None:
                    optional.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}")
            positional = args.posonlyargs + args.args
            for arg in positional[len(positional) - len(args.defaults) :]:
                if arg.arg in {"on", "now", "today"}:
                    optional.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}")
    assert optional == [], "optional time arguments (they would fall back):\n" + "\n".join(optional)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils import timezone\nx = timezone.now()\n",
        "from datetime import date\nx = date.today()\n",
        "from ostoja.core.dates import today\nx = today()\n",
        "from ostoja.core import dates\nx = dates.now()\n",
    ],
)
def test_the_scanner_finds_each_kind_of_clock_read(source: str, tmp_path: Path) -> None:
    """Positive control: the scanner sees a clock read of each kind in a module."""
    global ROOT
    probe = tmp_path / "ostoja" / "cases" / "services.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(source)
    saved, ROOT = ROOT, tmp_path / "ostoja"
    try:
        raw, via = _clock_reads(probe)
    finally:
        ROOT = saved
    assert raw or via


def test_no_year_or_month_replace_arithmetic() -> None:
    """Month/year shifts go through ostoja.core.dates (dateutil) or the law core's periods:
    ``d.replace(year=d.year + 1)`` breaks on 29 February, ``replace(month=…)`` on the 31st."""
    here = Path(__file__).resolve().parent
    found = []
    for path in sorted([*ROOT.rglob("*.py"), *here.rglob("*.py")]):
        if "migrations" in path.parts or path == Path(__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "replace"
                and any(k.arg in {"year", "month"} for k in node.keywords)
            ):
                found.append(f"{path}:{node.lineno}")
    assert found == [], "calendar arithmetic by replace():\n" + "\n".join(found)


def test_no_calendar_day_taken_from_an_aware_moment_by_date() -> None:
    """``moment.date()`` of an aware datetime is the UTC day: between midnight in Warsaw and
    midnight UTC it is yesterday (CI failed on this at 00:30 Warsaw time). Calendar days come
    from ``ostoja.core.dates.local_date``; ``.date()`` is allowed only on a parsed naive value
    (``datetime.strptime(...)``) or behind an explicit naive check."""
    found = []
    for path in _product_modules():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "date"
                and not node.args
            ):
                continue
            receiver = node.func.value
            parsed = (
                isinstance(receiver, ast.Call)
                and isinstance(receiver.func, ast.Attribute)
                and receiver.func.attr == "strptime"
            )
            guarded = "is_aware(" in source.splitlines()[node.lineno - 1]
            if not parsed and not guarded:
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    assert found == [], "a calendar day taken by .date() (UTC):\n" + "\n".join(found)
