"""The layers of the code: the core app imports none of the apps built on it; no domain app
imports the sample data (which writes through them) or the project package (URLconf,
navigation) that knows them all."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_ABOVE_CORE = ["beneficiaries", "schemes", "reports", "duties"]
ON_TOP = {"sampledata", "portal"}
ABOVE = {*DOMAIN_ABOVE_CORE, *ON_TOP}


def imported_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def modules_of(*apps):
    return sorted(path for app in apps for path in (ROOT / app).rglob("*.py"))


def relative(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", modules_of("khuyencong"), ids=relative)
def test_the_core_app_imports_no_app_above_it(path):
    assert not set(imported_packages(path)) & ABOVE


@pytest.mark.parametrize("path", modules_of(*DOMAIN_ABOVE_CORE), ids=relative)
def test_no_domain_app_imports_the_sample_data_or_the_project_package(path):
    assert not set(imported_packages(path)) & ON_TOP
