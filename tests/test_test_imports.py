"""Test modules share helpers through tests/helpers.py only: none imports from conftest or from
another test module (a test module imported by another runs its tests' set-up twice and ties them)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def shared_imports(source: str) -> list[str]:
    """Modules imported from conftest or a test module (`test_*`), in the order they appear."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            last = name.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                found.append(name)
    return found


def test_no_test_module_imports_from_conftest_or_another_test_module():
    offenders = {p.relative_to(TESTS).as_posix(): shared_imports(p.read_text(encoding="utf-8"))
                 for p in sorted(TESTS.rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_positive_control_the_checker_sees_such_imports():
    assert shared_imports("from tests.conftest import PROBLEM_FILES\nimport tests.test_report as r\n"
                          "from tests.helpers import SCRIPT\n") == ["tests.conftest", "tests.test_report"]
