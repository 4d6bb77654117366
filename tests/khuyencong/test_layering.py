"""The core app is the lowest layer: it imports none of the apps built on it, nor the project
package (URLconf, navigation) that knows them all."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABOVE = {"beneficiaries", "schemes", "reports", "duties", "sampledata", "portal"}


def imported_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "khuyencong").rglob("*.py")),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_the_core_app_imports_no_app_above_it(path):
    assert not set(imported_packages(path)) & ABOVE
