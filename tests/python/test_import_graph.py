"""numjit's own modules import one another without a cycle (issue 12).

A cycle makes correctness depend on which module happens to be imported
first: a name read from a half-initialised module is missing, and the lazy
in-function imports that paper over it hide the dependency from readers. The
graph is read from the source with `ast` rather than by importing, so imports
inside functions (which run late, and would pass an import-based check) count
as much as the ones at the top of a file.
"""
import ast
import pathlib

PACKAGE = "numjit"
ROOT = pathlib.Path(__file__).resolve().parents[2] / "python" / PACKAGE
# The leaf every stage may import: it must not import back, or registering
# through it would only move the cycle.
LEAF = "numjit._registry"


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources():
    """{module name: (path, is a package)} for every .py file of the package."""
    return {_module_name(p): (p, p.name == "__init__.py") for p in sorted(ROOT.rglob("*.py"))}


def _defined_names(tree):
    """Names a module binds at its top level (so `from pkg import name` reads an
    attribute of pkg's __init__ rather than importing a submodule)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


class _Graph:
    def __init__(self, sources):
        self.sources = sources
        self.trees = {name: ast.parse(path.read_text(), str(path)) for name, (path, _) in sources.items()}
        self.defined = {name: _defined_names(tree) for name, tree in self.trees.items()}

    def _package_of(self, module):
        """The package a relative import in `module` starts from."""
        return module if self.sources[module][1] else module.rpartition(".")[0]

    def _is_submodule(self, package, name):
        """Whether `from package import name` imports a module. A name that is
        neither a .py file nor bound in the package's __init__ must be a
        compiled extension (_dispatch, _compiler), which imports nothing of ours."""
        full = f"{package}.{name}"
        if full in self.sources:
            return True
        return package not in self.defined or name not in self.defined[package]

    def _targets(self, module, node):
        """The modules one import statement (or constant importlib call) makes
        `module` import, before the implied parent packages are added."""
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = self._package_of(module)
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            if not base.split(".")[0] == PACKAGE:
                return [base]
            found = []
            for alias in node.names:
                if alias.name != "*" and self._is_submodule(base, alias.name):
                    found.append(f"{base}.{alias.name}")
                elif base not in found:
                    found.append(base)
            return found
        # importlib.import_module("numjit.x") / (".x", __name__): resolvable
        # only with a constant name; a computed one is a user's module (serialize).
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "import_module" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            name = node.args[0].value
            if name.startswith("."):
                base = self._anchor(module, node.args[1] if len(node.args) > 1 else None)
                if base is None:
                    return []
                level = len(name) - len(name.lstrip("."))
                for _ in range(level - 1):
                    base = base.rpartition(".")[0]
                name = f"{base}.{name[level:]}" if name[level:] else base
            return [name]
        return []

    def _anchor(self, module, node):
        """The package a relative importlib.import_module call resolves against."""
        if isinstance(node, ast.Name) and node.id == "__name__":
            return module
        if isinstance(node, ast.Name) and node.id == "__package__":
            return self._package_of(module)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    def node_edges(self, module, node):
        """The numjit modules one statement of `module` imports. Importing p.q.r
        runs p and p.q first, so those count too, except the packages `module`
        lies inside: they are always initialised before it."""
        out = set()
        if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Call)):
            return out
        for target in self._targets(module, node):
            parts = target.split(".")
            if parts[0] != PACKAGE:
                continue
            implied = [".".join(parts[:i]) for i in range(1, len(parts))]
            for name in [target] + implied:
                inside = module == name or module.startswith(name + ".")
                if name in self.sources and name != module and (name == target or not inside):
                    out.add(name)
        return out

    def edges(self, module):
        """The numjit modules `module` imports anywhere in its file, at the top
        or inside functions."""
        return set().union(*(self.node_edges(module, node) for node in ast.walk(self.trees[module])))

    def where(self, source, target):
        """'file:line' of the statements in `source` that import `target`."""
        path = self.sources[source][0].relative_to(ROOT.parent)
        return ", ".join(f"{path}:{node.lineno}" for node in ast.walk(self.trees[source])
                         if target in self.node_edges(source, node))

    def graph(self):
        return {module: sorted(self.edges(module)) for module in self.sources}


def find_cycle(graph):
    """One cycle as a list of modules (first == last), or None."""
    state = {}  # module -> "open" while on the DFS stack, "done" after
    stack = []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in graph.get(module, ()):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_package_is_found():
    sources = _sources()
    assert {PACKAGE, f"{PACKAGE}.dispatcher", f"{PACKAGE}.library", LEAF} <= set(sources)


def test_imports_between_numjit_modules_form_no_cycle():
    builder = _Graph(_sources())
    graph = builder.graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = "\n".join(f"  {a} -> {b}   ({builder.where(a, b)})" for a, b in zip(cycle, cycle[1:]))
        raise AssertionError(f"import cycle among numjit's modules:\n{steps}")


def test_registry_is_a_leaf():
    builder = _Graph(_sources())
    # Only the generated table of row names (data, importing nothing) may be read.
    names = f"{PACKAGE}._library_names"
    assert builder.edges(LEAF) <= {names}, f"{LEAF} must import nothing from numjit, imports {builder.edges(LEAF)}"
    assert builder.edges(names) == set()
    # Nor through the back door of the package object or a computed import.
    source = builder.sources[LEAF][0].read_text()
    assert "import_module" not in source and "__import__" not in source


def test_checker_sees_cycles_and_their_kinds():
    """The checker itself: the forms a cycle can take here are all found."""
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    builder = _Graph(_sources())
    # `from . import x` in a package: the submodule when x is a file, else the package itself.
    init = builder.edges(PACKAGE)
    assert f"{PACKAGE}.decorators" in init and f"{PACKAGE}.config" in init
    assert builder._is_submodule(PACKAGE, "_dispatch")  # a compiled extension, not a name in __init__
    assert not builder._is_submodule(PACKAGE, "prange")
