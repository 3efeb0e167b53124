"""Runs a program with ``import numba`` resolving to numjit:

    python -m numjit.as_numba script.py [args]
    python -m numjit.as_numba -m pytest [args]
    python -m numjit.as_numba -c "import numba; ..."

``numjit.install_as_numba()`` does the same inside a running process: after
it, ``import numba`` and every ``import numba.<sub>`` give numjit's modules
(``numba.core.types`` is ``numjit.core.types``), so a stack of libraries
built on Numba runs on numjit unedited. Functions a library builds from a
syntax tree get a source numjit can read (see _compile_keeping_source). ``numba.__version__`` reads as the
Numba API level numjit follows (numjit.NUMBA_API_VERSION), since libraries check it.
"""
import ast
import builtins
import importlib
import importlib.abc
import importlib.util
import itertools
import linecache
import runpy
import sys
import types as _module_types


class _NumbaAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``numba.x.y`` as the module ``numjit.x.y``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "numba" and not fullname.startswith("numba."):
            return None
        target_name = "numjit" + fullname[len("numba"):]
        try:
            importlib.import_module(target_name)
        except ImportError:
            return None  # not in numjit: `import numba.<that>` fails as a missing module would
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        if spec.name == "numba":
            return _top_level()
        return importlib.import_module("numjit" + spec.name[len("numba"):])

    def exec_module(self, module):
        pass


def _top_level():
    """``numba`` itself: numjit's namespace with Numba's version string."""
    numjit = sys.modules["numjit"]  # imported before any of its submodules, this one included
    module = _module_types.ModuleType("numba", numjit.__doc__)
    module.__dict__.update({k: v for k, v in vars(numjit).items() if not k.startswith("__")})
    module.__version__ = numjit.NUMBA_API_VERSION  # libraries compare numba.__version__ with theirs
    module.__numjit_version__ = numjit.__version__
    module.__path__ = []  # a package, so `import numba.core` is looked up
    module.__getattr__ = lambda name: getattr(numjit, name)
    return module


_ast_sources = itertools.count()


def _compile_keeping_source(original_compile):
    """compile() that keeps a source for code made from a syntax tree.

    Numba reads bytecode; numjit reads source. A library that builds a
    function from a rewritten syntax tree (numbagg does) compiles the tree
    under a made-up name such as "<ast>", so the function has no source to
    read. Here such a tree is unparsed, the text put in linecache under a
    name of its own, and that text compiled instead: the same program, with
    a source inspect.getsource finds. Trees of real files are left alone."""

    def compile_(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kwargs):
        if isinstance(source, ast.Module) and str(filename).startswith("<") and not flags & ast.PyCF_ONLY_AST:
            text = ast.unparse(source) + "\n"
            filename = f"<numjit: {filename} {next(_ast_sources)}>"
            linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
            source = text
        return original_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    compile_._numjit_keeps_source = True
    return compile_


def install_as_numba():
    """Makes ``import numba`` (and its submodules) resolve to numjit in this process."""
    if not any(isinstance(finder, _NumbaAlias) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NumbaAlias())
    if not getattr(builtins.compile, "_numjit_keeps_source", False):
        builtins.compile = _compile_keeping_source(builtins.compile)
    for name in [n for n in sys.modules if n == "numba" or n.startswith("numba.")]:
        del sys.modules[name]  # a Numba imported before would otherwise stay
    import numba  # noqa: F401  (through the finder)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        raise SystemExit("usage: python -m numjit.as_numba (script.py | -m module | -c code) [args...]")
    install_as_numba()
    if argv[0] == "-c":
        if len(argv) < 2:
            raise SystemExit("python -m numjit.as_numba -c: give the code")
        sys.argv = ["-c"] + argv[2:]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        return
    if argv[0] == "-m":
        if len(argv) < 2:
            raise SystemExit("python -m numjit.as_numba -m: name a module")
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
