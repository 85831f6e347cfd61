"""The picture of the imports in docs/architecture.md, made from the code.

    python scripts/import_graph.py           print the picture (Mermaid) and the rules' findings
    python scripts/import_graph.py --write   put the picture in docs/architecture.md

Modules are grouped into the parts of the design (kernel, forms, each flow, delivery,
channels, ...); an arrow means "imports". tests/test_architecture.py fails when the doc
is out of date or a rule is broken: no import circle, the kernel imports no flow and no
channel, a flow imports no other flow, delivery imports no flow.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- imports:begin -->", "<!-- imports:end -->"
# What flows share (built on the kernel), and the plain tools everything may use.
SHARED = {"cases", "people", "profile", "safety", "tokens", "audit", "pins", "roles"}
INFRA = {"db", "crypto", "config", "i18n", "i18n_markers", "clock", "logging_setup", "text",
         "directory", "triage"}
# The forms' pure half (no kernel): positions, parsing; delivery's official copy uses it.
PURE_FORMS = {"positions", "parsers", "dates"}
ROOT_MODULES = {"runtime", "cli", "admin", "checks", "__main__"}
# The order of the picture, top to bottom: who is allowed to import whom goes downwards.
ORDER = ["cli", "channels", "services", "runtime", "flows", "forms", "shared", "kernel",
         "delivery", "infra", "conversations"]


def group(module: str) -> str:
    """The part of the design a module belongs to."""
    parts = module.split(".")
    if parts[0] == "conversations":
        return "conversations"
    head = parts[1] if len(parts) > 1 else ""
    if head == "forms" and len(parts) > 2 and parts[2] in PURE_FORMS:
        return "forms.model"
    if head == "flows":
        return f"flows.{parts[2]}" if len(parts) > 2 else "flows"
    if head in SHARED:
        return "shared"
    if head in INFRA:
        return "infra"
    if head in ROOT_MODULES or not head:
        return "cli" if head in ("cli", "__main__", "admin", "checks", "") else "runtime"
    return head


def modules() -> dict[str, Path]:
    found = {}
    for top in ("kks_bot", "conversations"):
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def edges() -> set[tuple[str, str]]:
    """(importer, imported) between modules of the product."""
    mods = modules()
    found: set[tuple[str, str]] = set()
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                submodules = [f"{target}.{a.name}" for a in node.names
                              if f"{target}.{a.name}" in mods]
                # "from . import x" imports the module x, not the package's __init__
                names_only = len(submodules) < len(node.names)
                targets = submodules + ([target] if names_only else [])
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in mods and target != name:
                    found.add((name, target))
    return found


def group_edges() -> set[tuple[str, str]]:
    return {(group(a), group(b)) for a, b in edges() if group(a) != group(b)}


def problems() -> list[str]:
    """What breaks the design's rules."""
    found = []
    for a, b in sorted(group_edges()):
        if a == "kernel" and (b.startswith("flows") or b in ("channels", "services")):
            found.append(f"the kernel imports {b}")
        if a.startswith("flows.") and b.startswith("flows.") and a != b:
            found.append(f"{a} imports {b} (a flow imports no other flow)")
        if a == "delivery" and b.startswith("flows"):
            found.append(f"delivery imports {b}")
        if a in ("shared", "forms", "forms.model") and b.startswith("flows"):
            found.append(f"{a} imports {b}")
        if a == "forms.model" and b in ("kernel", "forms", "shared"):
            found.append(f"the forms' pure half imports {b}")
    # circles between modules (Tarjan would name them; any back edge is enough here)
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges():
        graph[a].add(b)
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append("import circle: " + " -> ".join([*path[path.index(nxt):], nxt])
                             if nxt in path else f"import circle at {nxt}")
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def _rank(name: str) -> tuple[int, str]:
    head = name.split(".")[0]
    return (ORDER.index(head) if head in ORDER else len(ORDER), name)


def picture() -> str:
    """The groups and their imports as a Mermaid flowchart (GitHub draws it)."""
    pairs = sorted(group_edges(), key=lambda e: (_rank(e[0]), _rank(e[1])))
    names = sorted({n for pair in pairs for n in pair}, key=_rank)
    lines = ["```mermaid", "flowchart TD"]
    lines += [f'  {n.replace(".", "_")}["{n}"]' for n in names]
    lines += [f"  {a.replace('.', '_')} --> {b.replace('.', '_')}" for a, b in pairs]
    lines.append("```")
    return "\n".join(lines)


def write() -> None:
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n{picture()}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> int:
    if "--write" in argv:
        write()
    else:
        print(picture())  # noqa: T201
    for problem in problems():
        print("-", problem)  # noqa: T201
    return 1 if problems() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
