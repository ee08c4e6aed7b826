"""asih/ imports one way: no cycle between its modules, counting imports inside functions too.

A function-local import that only hides a cycle still counts here, so moving an import into a
function does not make a cycle pass. Templatetags modules are template libraries, not code to
import, and a name with a leading underscore stays in its module.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "asih"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file, at any depth."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule, []) if submodule in modules else (base, [alias.name]))
    return found


def _graph():
    files = {_module_name(path): path for path in ROOT.rglob("*.py")}
    graph, borrowed = {}, []
    for name, path in files.items():
        edges = set()
        for target, names in _imports(path, set(files)):
            if target in files and target != name:
                edges.add(target)
                borrowed += [f"{name} imports {target}.{n}" for n in names if n.startswith("_")]
                if ".templatetags." in target and ".templatetags." not in name:
                    borrowed.append(f"{name} imports the template library {target}")
        graph[name] = edges
    return graph, borrowed


def _cycle_from(start, graph):
    path, seen = [start], set()

    def walk(node):
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                path.append(nxt)
                if found := walk(nxt):
                    return found
                path.pop()
        return None

    return walk(start)


def test_no_import_cycle_in_asih():
    graph, _borrowed = _graph()
    cycles = {" → ".join(c) for m in graph if (c := _cycle_from(m, graph))}
    assert not cycles, "\n".join(sorted(cycles))


def test_no_private_name_or_template_library_imported_from_another_module():
    _graph_, borrowed = _graph()
    assert not borrowed, "\n".join(sorted(borrowed))
