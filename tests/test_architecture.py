"""The shape of the code stays what docs/architecture.md says it is."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
assert _spec is not None and _spec.loader is not None
graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graph)

DATA = {"conversations/faq.py", "conversations/aanmeldformulier.py",
        "conversations/faq_training.py", "conversations/faq_out_of_scope.py",
        "conversations/faq_training_ar.py"}
MAX_LINES = 520  # "about 500"
# Imports inside a function, each with its reason in a comment next to it.
LAZY = {"kks_bot/cli.py", "kks_bot/checks.py", "kks_bot/flows/sparring/semantic.py",
        "kks_bot/delivery/documents.py", "kks_bot/live_check.py",
        "kks_bot/flows/sparring/embedding.py", "kks_bot/flows/sparring/learning.py",
        # matplotlib and the Arabic shaper load only when a chart is drawn, fpdf2 when
        # the factsheet PDF is made
        "kks_bot/services/figures/chart.py", "kks_bot/services/figures/command.py",
        "kks_bot/charts.py",  # matplotlib and the Arabic shaping: loaded for a chart only
        "kks_bot/db/session.py",  # Alembic only when the schema must change
        "kks_bot/channels/telegram/polling.py",  # aiohttp only with a web listener
        "kks_bot/forms/dates.py",  # dateparser only for a date written in words
        "kks_bot/services/jobs.py",  # APScheduler after the jobs' first run
        "kks_bot/services/figures/faq.py"}  # the PostgreSQL dialect with the first count


def _product() -> list[Path]:
    return [p for top in ("kks_bot", "conversations") for p in (ROOT / top).rglob("*.py")
            if "migrations" not in p.parts]


def test_no_import_circle_and_the_layers_hold() -> None:
    """No circle; the kernel imports no flow or channel; a flow imports no other flow."""
    assert graph.problems() == []


def test_the_picture_in_the_docs_is_made_from_the_code() -> None:
    doc = graph.DOC.read_text(encoding="utf-8")
    assert graph.picture() in doc, "run: python scripts/import_graph.py --write"


def test_no_module_is_long_except_content() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _product()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= DATA, long


def test_imports_inside_functions_only_where_a_comment_says_why() -> None:
    found = set()
    for path in _product():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    isinstance(inner, ast.Import | ast.ImportFrom) for inner in ast.walk(node)):
                found.add(str(path.relative_to(ROOT)))
    assert found <= LAZY, found - LAZY


def test_no_module_calls_another_modules_private_names() -> None:
    offenders = []
    for path in _product():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                offenders += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []


async def test_the_worked_example_of_a_new_flow_works(runtime, transport) -> None:  # type: ignore[no-untyped-def]
    """docs/architecture.md's example feature, registered as its one line would: it runs."""
    from tests.support.transcript import Chat

    from .conftest import FAST

    doc = graph.DOC.read_text(encoding="utf-8")
    code = doc.split("### Worked example: a new flow", 1)[1].split("```python", 1)[1]
    namespace: dict[str, object] = {}
    exec(compile(code.split("```", 1)[0], "docs/architecture.md", "exec"), namespace)
    namespace["register"](runtime.env.registry)  # type: ignore[operator]
    chat = Chat(runtime.kernel, runtime.worker(transport, FAST), transport, user_id=77)
    await chat.send("/contact")
    assert "Welke gemeente?" in chat.text()
    await chat.press("Heerlen")
    assert "Knooppunt Heerlen" in chat.text()
