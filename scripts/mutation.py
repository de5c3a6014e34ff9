"""Mutation testing of the modules that carry the regulation's rules (docs/quality.md).

    uv run python scripts/mutation.py                          # every module in MODULES
    uv run python scripts/mutation.py alqa/domain/quorum.py    # one module
    uv run python scripts/mutation.py --list alqa/domain/quorum.py      # its mutants, not run
    uv run python scripts/mutation.py --only "cadence:" alqa/domain/cadence.py   # mutants whose
                                                               # name holds the text (repeatable)
    uv run python scripts/mutation.py --check                  # exit 1 below FAIL_UNDER or on a
                                                               # survivor not in EQUIVALENT

A module that computes a deadline, a quorum or any other rule of the regulation goes into MODULES
with the test files that hold its rules; the run then covers it. Each mutant is one small change
to the module's code, the kind a wrong reading of the rule makes:

- a comparison moved by one (`<` and `<=`, `>` and `>=`) or turned (`==` and `!=`, `in` and
  `not in`, `is` and `is not`);
- `and` and `or` swapped, one operand of `and`/`or` dropped, a `not` dropped;
- arithmetic turned (`+` and `-`, also in `+=`, `*` and `//`, `%` to `//`);
- a whole number one more or one less (month and day numbers, slices, limits, constants);
- `True` and `False` swapped; a returned value replaced by `None`;
- a condition removed (`if c:` as `if True:` and as `if False:`; the same for `x if c else y` and
  for the `if` of a comprehension).

Strings (messages, names), docstrings, decorators and annotations are left alone. Functions,
methods and module-level constants (`WARNING_DAYS`, `_CENTURY`, `MAX_DAYS` …) are all mutated,
also those under `lru_cache`.

How a mutant is run: this process imports Django, the module and its test files once; for each
mutant it forks a child, which compiles the changed function (or constant) and puts its code into
the module's own function objects (so every `from … import` made by the tests and by other modules
sees it), empties every `lru_cache` of the module (`library_year` would otherwise answer from
the unchanged code), and runs the module's test files with pytest (`-x`, no xdist, Hypothesis
derandomized without a database). A child that fails a test has killed its mutant; one still
running after the timeout (four times the clean run, at least 60 s) is stopped and counts as
killed, since a wrong rule that never ends is caught too. Mutants run one at a time by default;
the machine is shared (`--jobs`).
"""

from __future__ import annotations
import __future__

import argparse
import ast
import copy
import importlib
import os
import signal
import sys
import tempfile
import time
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules that carry the regulation's rules, each with the test files that hold those rules.
MODULES: dict[str, list[str]] = {
    "alqa/domain/quorum.py": [
        "tests/domain/test_quorum_boundaries.py",
        "tests/domain/test_quorum_cadence.py",
    ],
    "alqa/domain/cadence.py": [
        "tests/domain/test_cadence_boundaries.py",
        "tests/domain/test_quorum_cadence.py",
    ],
    "alqa/domain/case_guard.py": [
        "tests/domain/test_case_guard_iin.py",
        "tests/domain/test_case_guard.py",
        "tests/domain/test_case_guard_grouped.py",
    ],
    "alqa/domain/workdays.py": [
        "tests/domain/test_workdays_boundaries.py",
        "tests/domain/test_workdays.py",
    ],
    "alqa/domain/execution_reminders.py": [
        "tests/execution/test_reminders.py",
        "tests/execution/test_plan_items.py",
    ],
}

FAIL_UNDER = 95.0  # per cent of mutants killed, per module
PYTEST_ARGS = ["-q", "-n", "0", "-p", "no:cacheprovider", "--no-header"]
APPLY_FAILED = 99  # a child's exit code when the mutant could not be compiled into the module

# Survivors shown to change nothing that the rule, or any caller, can see: each with its reason.
# The key is the mutant's name as printed ("function: `before` → `after`").
EQUIVALENT: dict[str, dict[str, str]] = {
    "alqa/domain/quorum.py": {
        "compute_quorum: `if rule == QuorumRule.OVERALL_MAJORITY_BOTH_SIDES:` → `if True:` (#2)": (
            "asks the overall majority under the each-side rule too, where it always holds: more than "
            "half of each side present is more than half of all members"
        ),
    },
    "alqa/domain/cadence.py": {
        "cadence: `today < d <= next_due` → `today <= d <= next_due`": (
            "a meeting dated today is already the last one held, so the next due date is at least a "
            "month away (policies allow 1-12 months) and no warning is due, scheduled meeting or not"
        ),
    },
    "alqa/domain/case_guard.py": {
        "is_iin: `century + int(digits[0:2])` → `century - int(digits[0:2])`": (
            "1800, 1900 and 2000 plus or minus 1-99 is a leap year exactly when the two digits divide "
            "by 4 (and never for 00), so a birth date is valid in both years or in neither"
        ),
        "is_iin: `zip(numbers[:11], weights, strict=True)` → `zip(numbers[:11], weights, strict=False)`": (
            "eleven digits and two weightings of eleven: the lengths always agree, `strict` only "
            "guards the table"
        ),
    },
    "alqa/domain/execution_reminders.py": {
        "_send_batch: `zip(digests.values(), mails, strict=True)` → "
        "`zip(digests.values(), mails, strict=False)`": (
            "`queue_mails` returns one stored mail for each digest given: the lengths always agree, "
            "`strict` only guards that"
        ),
        "_send_batch: `zip(digests.values(), mails, strict=True)` → "
        "`zip(digests.values(), mails, strict=False)` (#2)": (
            "the same pairing again, for the audit events: the lengths always agree"
        ),
        "_steps_of: `offset > 0` → `offset >= 0`": (
            "offset 0 is taken by the branch before (`or offset == 0`), so the `elif` never sees it"
        ),
        "_steps_of: `offset > 0` → `offset > -1`": (
            "the same: the only whole number between -1 and 0 exclusive of -1 is 0, taken before"
        ),
        "_address: `member_email or ''` → `member_email`": (
            "a member without an address reads as None instead of '': `addressee_of` finds no "
            "address in either"
        ),
        "BATCH: `BATCH = 500` → `BATCH = 501`": (
            "the size of a transaction, not a rule: an address's steps are never split whatever it is "
            "(tested with 1)"
        ),
        "BATCH: `BATCH = 500` → `BATCH = 499`": "the same",
        "_MARK: `_MARK = 987654321` → `_MARK = 987654322`": (
            "any number stands in for the id in the URL reversed once, as long as no id is that number"
        ),
        "_MARK: `_MARK = 987654321` → `_MARK = 987654320`": "the same",
        "due_steps: `if not steps:` → `if False:`": (
            "a shortcut: with no steps the claims read next filter nothing, and the answer is [] all the same"
        ),
        "due_steps: `s.key not in claimed and s.key not in seen` → `s.key not in seen`": (
            "a step already claimed is filtered again by the batch that would send it, under its lock "
            "(`_send_batch` reads the claims again): nothing is sent twice, the run only does more work"
        ),
        "_address: `unit_email or ''` → `unit_email`": (
            "no unit reads as None instead of '': `addressee_of` takes the assignment's address or "
            "the unit's, and neither an empty one nor None is an address"
        ),
    },
    "alqa/domain/workdays.py": {
        "library_year: `for day in getattr(english, 'weekend_workdays', ()) if day.year == year` → "
        "`for day in getattr(english, 'weekend_workdays', ()) if True`": (
            "a date is looked up only in its own year's table (`library_year(day.year)`), so other "
            "years' working weekends kept in it are never read"
        ),
        "WorkCalendar._status: `exc.name if weekend else None` → `exc.name if True else None`": (
            "the name of a weekday made working is never read: `off_reason` answers None for a "
            "working day, and `working_weekends` lists Saturdays and Sundays only"
        ),
        "count_working_days: `if end <= start:` → `if False:`": (
            "without the shortcut the days after `start` up to an `end` not after it are none: 0 all the same"
        ),
        "count_working_days: `end <= start` → `end < start`": (
            "for `end == start` the days after `start` up to `end` are none: 0 all the same"
        ),
    },
}

_COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_ARITHMETIC_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
_SKIPPED_FIELDS = {"decorator_list", "returns", "annotation", "type_comment", "type_params"}


@dataclass
class Mutant:
    name: str  # "scope: `before` → `after`", unique within the module
    line: int
    statement: int  # index of the module's top-level statement that changes
    path: tuple  # where the changed node sits in that statement
    change: str  # which change, for `_changed`

    def describe(self, module: str) -> str:
        return f"{Path(module).name}:{self.line} {self.name}"


@dataclass
class Result:
    module: str
    mutants: list[Mutant]
    killed: list[Mutant] = field(default_factory=list)
    timed_out: list[Mutant] = field(default_factory=list)
    survived: list[Mutant] = field(default_factory=list)
    errors: list[Mutant] = field(default_factory=list)  # not run: neither killed nor survived

    @property
    def score(self) -> float:
        total = len(self.killed) + len(self.timed_out) + len(self.survived)
        return 100.0 * (len(self.killed) + len(self.timed_out)) / total if total else 100.0

    def unexplained(self) -> list[Mutant]:
        known = EQUIVALENT.get(self.module, {})
        return [m for m in self.survived if m.name not in known]


# --- Finding the mutants -----------------------------------------------------------------------


def _is_docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and parent is not None
        and getattr(parent, "body", [None])[0] is node
    )


def _changes(node: ast.AST) -> Iterator[str]:
    """The changes that can be made at `node` itself."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE_SWAPS:
                yield f"compare:{i}"
    elif isinstance(node, ast.BoolOp):
        yield "boolop:swap"
        for i in range(len(node.values)):
            yield f"boolop:drop:{i}"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not:drop"
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _ARITHMETIC_SWAPS:
        yield "arith"
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            yield "bool"
        elif isinstance(node.value, int):
            yield "int:+1"
            yield "int:-1"
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield "return:none"
    elif isinstance(node, (ast.If, ast.IfExp)):
        yield "cond:true"
        yield "cond:false"
    elif isinstance(node, ast.comprehension):
        for i in range(len(node.ifs)):
            yield f"compif:{i}"


def _changed(node: ast.AST, change: str) -> ast.AST:
    """A copy of `node` with `change` made."""
    new = copy.deepcopy(node)
    kind, _, arg = change.partition(":")
    if kind == "compare":
        i = int(arg)
        new.ops[i] = _COMPARE_SWAPS[type(node.ops[i])]()
    elif kind == "boolop" and arg == "swap":
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "boolop":
        i = int(arg.split(":")[1])
        rest = new.values[:i] + new.values[i + 1 :]
        new = rest[0] if len(rest) == 1 else ast.BoolOp(op=new.op, values=rest)
    elif kind == "not":
        new = new.operand
    elif kind == "arith":
        new.op = _ARITHMETIC_SWAPS[type(node.op)]()
    elif kind == "bool":
        new.value = not node.value
    elif kind == "int":
        new.value = node.value + int(arg)
    elif kind == "return":
        new.value = ast.Constant(None)
    elif kind == "cond":
        new.test = ast.Constant(arg == "true")
    elif kind == "compif":
        new.ifs[int(arg)] = ast.Constant(True)
    return ast.copy_location(new, node)


def _walk(node: ast.AST, path: tuple = (), parents: tuple = ()) -> Iterator[tuple[ast.AST, tuple, tuple]]:
    """Every node that may change, with its path from the statement and its ancestors."""
    yield node, path, parents
    for name, value in ast.iter_fields(node):
        if name in _SKIPPED_FIELDS:
            continue
        children = value if isinstance(value, list) else [value]
        for i, child in enumerate(children):
            if not isinstance(child, ast.AST) or isinstance(child, ast.JoinedStr):
                continue
            if _is_docstring(child, node):
                continue
            step = (name, i if isinstance(value, list) else None)
            yield from _walk(child, path + (step,), parents + (node,))


def _scope(statement: ast.stmt, parents: tuple) -> str:
    names = [p.name for p in (statement, *parents) if isinstance(p, (ast.FunctionDef, ast.ClassDef))]
    if names:
        return ".".join(dict.fromkeys(names))
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return ", ".join(ast.unparse(t) for t in targets)


def _shown(node: ast.AST, parents: tuple) -> ast.AST:
    """The expression to show for a change at `node`: a bare number with what surrounds it."""
    shown, up = node, list(parents)
    while isinstance(shown, (ast.Constant, ast.Slice, ast.keyword, ast.UnaryOp, ast.Tuple)) and up:
        shown = up.pop()
        if isinstance(shown, ast.stmt):  # `required = 1`, `return False`; not a whole `if` or `def`
            return (
                shown if isinstance(shown, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)) else node
            )
    return shown


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.If):
        return f"if {ast.unparse(node.test)}:"
    if isinstance(node, ast.comprehension):
        return ast.unparse(node).strip()
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 90 else text[:87] + "…"


def _mutable_statements(tree: ast.Module) -> Iterator[tuple[int, ast.stmt, list[ast.AST]]]:
    """Top-level statements that hold rules, with the parts of them that may change."""
    for index, statement in enumerate(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield index, statement, [statement]
        elif isinstance(statement, ast.ClassDef):
            methods = [s for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
            yield index, statement, methods
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            yield index, statement, [statement.value]


def find_mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    mutants: list[Mutant] = []
    seen: dict[str, int] = {}
    for index, statement, parts in _mutable_statements(tree):
        for part in parts:
            start_path = _path_to(statement, part)
            for node, path, parents in _walk(part, start_path, _parents_to(statement, part)):
                for change in _changes(node):
                    before = _shown(node, parents)
                    after = _replace_in(before, node, _changed(node, change))
                    name = f"{_scope(statement, parents)}: `{_text(before)}` → `{_text(after)}`"
                    seen[name] = seen.get(name, 0) + 1
                    if seen[name] > 1:
                        name += f" (#{seen[name]})"
                    line = getattr(node, "lineno", None) or getattr(parents[-1], "lineno", statement.lineno)
                    mutants.append(Mutant(name, line, index, path, change))
    return mutants


def _path_to(root: ast.AST, target: ast.AST) -> tuple:
    for node, path, _ in _walk(root):
        if node is target:
            return path
    raise LookupError(target)


def _parents_to(root: ast.AST, target: ast.AST) -> tuple:
    for node, _, parents in _walk(root):
        if node is target:
            return parents
    raise LookupError(target)


def _replace_in(tree: ast.AST, old: ast.AST, new: ast.AST) -> ast.AST:
    """A copy of `tree` with the node `old` (found by identity) replaced by `new`."""
    if tree is old:
        return new
    path = _path_to(tree, old)
    copied = copy.deepcopy(tree)
    _set(copied, path, new)
    return copied


def _get(root: ast.AST, path: tuple) -> ast.AST:
    node = root
    for name, index in path:
        node = getattr(node, name) if index is None else getattr(node, name)[index]
    return node


def _set(root: ast.AST, path: tuple, new: ast.AST) -> None:
    parent = _get(root, path[:-1])
    name, index = path[-1]
    if index is None:
        setattr(parent, name, new)
    else:
        getattr(parent, name)[index] = new


# --- Running them ------------------------------------------------------------------------------


def _module_name(path: str) -> str:
    return ".".join(Path(path).with_suffix("").parts)


def _transplant(old: object, new: object, filename: str) -> None:
    """Put the code of `new` into `old`, so that every reference to `old` runs the changed code."""
    if hasattr(old, "__wrapped__") and hasattr(old, "cache_clear"):
        _transplant(old.__wrapped__, new.__wrapped__, filename)
        old.cache_clear()
    elif isinstance(old, types.FunctionType):
        old.__code__ = new.__code__
        old.__defaults__ = new.__defaults__
        old.__kwdefaults__ = new.__kwdefaults__
    elif isinstance(old, type):
        for attribute, value in vars(new).items():
            if isinstance(value, property):  # its getter, setter and deleter are functions too
                for part in ("fget", "fset", "fdel"):
                    function = getattr(value, part)
                    if isinstance(function, types.FunctionType) and function.__code__.co_filename == filename:
                        _transplant(getattr(vars(old)[attribute], part), function, filename)
                continue
            function = getattr(value, "__func__", value)
            if isinstance(function, types.FunctionType) and function.__code__.co_filename == filename:
                _transplant(
                    getattr(vars(old)[attribute], "__func__", vars(old)[attribute]), function, filename
                )


def apply_mutant(module: types.ModuleType, source: str, mutant: Mutant) -> None:
    tree = ast.parse(source)
    statement = tree.body[mutant.statement]
    _set(statement, mutant.path, _changed(_get(statement, mutant.path), mutant.change))
    code = compile(
        ast.fix_missing_locations(ast.Module(body=[statement], type_ignores=[])),
        module.__file__,
        "exec",
        flags=__future__.annotations.compiler_flag,
        dont_inherit=True,
    )
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        scratch = dict(vars(module))
        exec(code, scratch)
        _transplant(vars(module)[statement.name], scratch[statement.name], module.__file__)
    else:
        exec(code, vars(module))  # a module-level constant, rebound where the functions read it
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def _prepare(module_path: str, tests: list[str]) -> types.ModuleType:
    """Import Django, the module and its test files in this process, once."""
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", pytest_options["DJANGO_SETTINGS_MODULE"])
    import pytest  # before the settings, as under pytest
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "mutation", deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    settings.load_profile("mutation")
    import django

    django.setup()
    module = importlib.import_module(_module_name(module_path))
    importlib.import_module("tests.conftest")
    for test in tests:
        importlib.import_module(_module_name(test))
    # Collect the tests once here, quietly, so that every child starts with pytest's plugins and
    # modules already imported: a mutant then costs its tests and little more.
    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        pytest.main([*PYTEST_ARGS, "--collect-only", *tests])
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
    return module


def _test_file(pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"alqa-mutant-{pid}.sqlite3"


def _forget_test_file(pid: int) -> None:
    """A child's SQLite test file, left behind when the child was stopped before its teardown."""
    file = _test_file(pid)
    for leftover in file.parent.glob(file.name + "*"):
        leftover.unlink(missing_ok=True)


def _own_test_database() -> None:
    """This child's own test database. The test settings name SQLite's file after the process
    that imported them, the parent of every child, and PostgreSQL's after the database: children
    run at once (--jobs) would create, migrate and drop the same one, and a child failing on
    "database is locked" or "table already exists" would count its mutant as killed."""
    from django.db import connections

    for alias in connections:
        settings = connections[alias].settings_dict
        test = settings.setdefault("TEST", {})
        if settings["ENGINE"].endswith("sqlite3"):
            if test.get("NAME"):  # no name: in memory, already this process's own
                test["NAME"] = str(_test_file(os.getpid()))
        else:
            test["NAME"] = f"test_{settings['NAME']}_mutant_{os.getpid()}"


def _run_child(module, source, mutant: Mutant | None, tests: list[str], verbose: bool) -> int:
    """Fork a child that applies `mutant` (None: the clean code) and runs the tests; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = APPLY_FAILED
    try:
        _own_test_database()
        if mutant is not None:
            apply_mutant(module, source, mutant)  # before the output goes, so that a failure shows
        if not verbose:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
        import pytest

        code = pytest.main([*PYTEST_ARGS, "-x", *tests])
    finally:
        os._exit(int(code))


def _wait(running: dict[int, tuple], timeout: float) -> tuple[int, int | None, object]:
    """Wait for one child to end (or to pass `timeout`); (pid, exit code or None, its item)."""
    while True:
        for pid, (started, item) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                del running[pid]
                _forget_test_file(pid)
                return pid, os.waitstatus_to_exitcode(status), item
            if time.monotonic() - started > timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                del running[pid]
                _forget_test_file(pid)
                return pid, None, item
        time.sleep(0.05)


def run_module(module_path: str, *, only: list[str] | None, jobs: int, verbose: bool) -> Result:
    tests = MODULES[module_path]
    source = (ROOT / module_path).read_text(encoding="utf-8")
    mutants = [m for m in find_mutants(source) if not only or any(text in m.name for text in only)]
    result = Result(module_path, mutants)
    module = _prepare(module_path, tests)

    started = time.monotonic()
    _, code, _ = _wait({_run_child(module, source, None, tests, verbose): (started, None)}, 900)
    clean = time.monotonic() - started
    if code != 0:
        raise SystemExit(f"{module_path}: the tests fail without any mutant (exit {code}); fix them first")
    timeout = max(60.0, 4 * clean)
    print(
        f"{module_path}: {len(mutants)} mutants; clean run {clean:.1f} s, timeout {timeout:.0f} s", flush=True
    )

    queue = list(mutants)
    running: dict[int, tuple] = {}
    while queue or running:
        while queue and len(running) < jobs:
            mutant = queue.pop(0)
            running[_run_child(module, source, mutant, tests, verbose)] = (time.monotonic(), mutant)
        _, code, mutant = _wait(running, timeout)
        done = len(mutants) - len(queue) - len(running)
        if done % 25 == 0:
            print(f"  {done}/{len(mutants)} run, {len(result.survived)} survived so far", flush=True)
        if code is None:
            result.timed_out.append(mutant)
        elif code == 0:
            result.survived.append(mutant)
            print(f"  survived: {mutant.describe(module_path)}", flush=True)
        elif code == 1:
            result.killed.append(mutant)
        else:  # the mutant could not be applied, or pytest could not run the tests at all
            result.errors.append(mutant)
            print(f"  ERROR (exit {code}): {mutant.describe(module_path)}", flush=True)
    return result


def report(result: Result) -> None:
    known = EQUIVALENT.get(result.module, {})
    print(
        f"{result.module}: {len(result.mutants)} mutants, {len(result.killed) + len(result.timed_out)} killed "
        f"({len(result.timed_out)} by timeout), {len(result.survived)} survived, {len(result.errors)} not run: "
        f"{result.score:.1f}%"
    )
    for mutant in result.survived:
        reason = known.get(mutant.name)
        print(f"  {'equivalent' if reason else 'SURVIVED  '} {mutant.describe(result.module)}")
        if reason:
            print(f"             {reason}")
    for mutant in result.errors:
        print(f"  NOT RUN    {mutant.describe(result.module)}")
    run = {m.name for m in result.mutants}
    survived = {m.name for m in result.survived}
    for name in known:
        if name in run and name not in survived:
            print(f"  killed, yet listed in EQUIVALENT: {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="paths from MODULES (default: all)")
    parser.add_argument("--list", action="store_true", help="print the mutants, do not run them")
    parser.add_argument(
        "--only", action="append", help="run only the mutants whose name holds this text (repeatable)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 under {FAIL_UNDER}%% or on a survivor not in EQUIVALENT"
    )
    parser.add_argument("--verbose", action="store_true", help="show pytest's output of every run")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"not in MODULES: {', '.join(unknown)}")

    if args.list:
        for module_path in modules:
            mutants = find_mutants((ROOT / module_path).read_text(encoding="utf-8"))
            print(f"{module_path}: {len(mutants)} mutants")
            for mutant in mutants:
                if not args.only or any(text in mutant.name for text in args.only):
                    print(f"  {mutant.describe(module_path)}")
        return 0

    failed = False
    for module_path in modules:
        # Each module in a process of its own: the parent imports the module's tests only.
        pid = os.fork()
        if pid == 0:
            result = run_module(module_path, only=args.only, jobs=args.jobs, verbose=args.verbose)
            report(result)
            bad = result.score < FAIL_UNDER or bool(result.unexplained()) or bool(result.errors)
            sys.stdout.flush()
            os._exit(1 if bad else 0)
        _, status = os.waitpid(pid, 0)
        failed |= os.waitstatus_to_exitcode(status) != 0
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
