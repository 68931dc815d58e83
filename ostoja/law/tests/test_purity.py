"""The law core is pure: no Django, no other ``ostoja`` context, no clock."""

import ast
import subprocess
import sys
from pathlib import Path

LAW = Path(__file__).resolve().parents[1]


def law_sources():
    return [p for p in LAW.rglob("*.py") if "tests" not in p.parts]


def test_no_forbidden_imports():
    for path in law_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), (path, name)
                assert not name.startswith("ostoja") or name.startswith("ostoja.law"), (path, name)


def test_no_clock():
    for path in law_sources():
        text = path.read_text(encoding="utf-8")
        for forbidden in (
            "date.today(",
            "datetime.now(",
            "datetime.today(",
            "time.time(",
            "utcnow(",
        ):
            assert forbidden not in text, (path, forbidden)


def test_importing_the_core_does_not_import_django():
    code = (
        "import sys; import ostoja.law, ostoja.law.interface, ostoja.law.deadlines; "
        "bad = [m for m in sys.modules if m.startswith('django') or "
        "(m.startswith('ostoja.') and not m.startswith('ostoja.law'))]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=LAW.parents[1]
    )
    assert done.returncode == 0, done.stdout + done.stderr
