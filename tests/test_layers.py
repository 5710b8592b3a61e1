"""Dependencies run one way (STYLE.md, "Layers"): `framework` at the bottom, then
`cities`, then `learn`, with the site-wide pages and URLs (`ascn_portal`) on top.
A module may import from its own layer and the layers below it, never above."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each package, and the packages it must never import.
LAYERS = ["framework", "cities", "learn", "ascn_portal"]
FORBIDDEN = {package: set(LAYERS[index + 1 :]) for index, package in enumerate(LAYERS)}


def imported_packages(path):
    """The top-level packages a Python file imports, with the line of each."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def python_files(package):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", LAYERS)
def test_package_imports_nothing_from_the_layers_above_it(package):
    files = python_files(package)
    assert files, f"no Python files found under {package}/"
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in files
        for imported, line in imported_packages(path)
        if imported in FORBIDDEN[package]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The check above would pass on a parser that finds nothing: make sure it
    finds both import forms."""
    module = tmp_path / "module.py"
    module.write_text("import cities.models\nfrom learn import brief\n")
    assert list(imported_packages(module)) == [("cities", 1), ("learn", 2)]
