"""Imports run one way (docs/architecture.md): a module imports only from its own layer or below.

Every `import` in the package counts, those inside functions too. A deliberate exception is
listed in ALLOWED with its reason; anything else that points upwards fails here with its place.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "alqa"

# Lower numbers sit lower. The longest matching prefix names a module's layer.
LAYERS = {
    "alqa.env": 0,
    "alqa.enums": 0,
    "alqa.dates": 0,
    "alqa.formats": 0,
    "alqa.models": 1,
    "alqa.migrations": 1,
    "alqa.request_memo": 2,
    "alqa.fragments": 2,
    "alqa.domain": 3,
    "alqa.documents": 3,
    "alqa.permissions": 4,
    "alqa.queries": 5,
    "alqa.forms": 5,
    "alqa.templatetags": 5,
    "alqa.context_processors": 5,
    "alqa.middleware": 5,
    "alqa.auth_adapter": 5,
    "alqa.auth_backends": 5,
    "alqa.sessions": 5,
    "alqa.jobs": 5,
    "alqa.admin": 5,
    "alqa.views": 6,
    "alqa.api": 6,
    "alqa.management": 6,
    "alqa.urls": 7,
    "alqa.apps": 7,
    "alqa.settings": 7,
    "alqa.settings_test": 7,
    "alqa.wsgi": 7,
}

ALLOWED = {
    # queue_mail asks the job layer to drain the outbox once the transaction commits
    ("alqa.domain.outbox", "alqa.jobs"),
}


def layer(module: str) -> int:
    matches = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    assert matches, f"{module} belongs to no layer: add it to LAYERS in tests/test_layers.py"
    return LAYERS[max(matches, key=len)]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    """The alqa modules a file imports, with line numbers (`from alqa import x` names alqa.x)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.startswith("alqa")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("alqa"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*candidate.split("."))
                ).is_dir()
                found.append((candidate if is_module else node.module, node.lineno))
    return found


def test_imports_run_one_way():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        for target, line in imported(ast.parse(path.read_text(encoding="utf-8"))):
            if target == "alqa" or (source, target) in ALLOWED:
                continue
            if layer(target) > layer(source):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} {source} imports {target}")
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import():
    tree = ast.parse("def f():\n    from alqa import permissions\n")
    assert imported(tree) == [("alqa.permissions", 2)]
    assert layer("alqa.permissions") > layer("alqa.domain.meetings")
