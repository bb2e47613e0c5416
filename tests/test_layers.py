"""The data flows one way: a test of what each stage may import, read from the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"

# stage -> the stages of assistant it must never import
FORBIDDEN = {
    "text": {"model", "ingest", "store", "search", "answer", "server", "service", "cli"},
    "model": {"ingest", "store", "search", "answer", "server", "service", "cli"},
    "ingest": {"search", "answer", "server", "service", "cli"},
    "store": {"ingest", "search", "answer", "server", "service", "cli"},
    "search": {"ingest", "answer", "server", "service", "cli"},
    "answer": {"ingest", "server", "service", "cli"},
    "server": {"cli"},
}


def imported_stages(path: Path) -> set[str]:
    """The first part below `assistant` of every module a file imports, at any depth."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts  # ("assistant", "ingest", "build")
    package = parts[:-1]  # the package a relative import starts from
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
                names = [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
            elif node.module:
                names = [node.module]
        for name in names:
            pieces = name.split(".")
            if pieces[0] == "assistant" and len(pieces) > 1:
                found.add(pieces[1])
    return found


def stage_files(stage: str) -> list[Path]:
    folder = PACKAGE / stage
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{stage}.py"]


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_a_stage_never_imports_a_later_one(stage: str) -> None:
    files = stage_files(stage)
    assert files, stage
    for path in files:
        wrong = imported_stages(path) & FORBIDDEN[stage]
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_the_check_sees_relative_and_late_imports() -> None:
    assert imported_stages(PACKAGE / "service.py") >= {"answer", "search", "store"}
    assert "server" in imported_stages(PACKAGE / "cli.py")  # imported inside functions
