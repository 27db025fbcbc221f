"""The type stubs (exposure/__init__.pyi) against the native module they describe: the same
public names, and each function's and method's parameters named as pybind11 declares them."""

import ast
import inspect
import pathlib
import re
import unittest

import exposure
from exposure import _exposure

PACKAGE_DIR = pathlib.Path(exposure.__file__).parent
STUB = PACKAGE_DIR / "__init__.pyi"


def split_top_level(text):
    """Splits 'a: X[b, c], d' at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "[(" and 1 or ch in "])" and -1 or 0
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def native_parameters(function):
    """Parameter names (and '*' for keyword-only) from a pybind11 signature docstring."""
    first = function.__doc__.splitlines()[0]
    inside = re.match(r"^\w+\((.*)\)(?: -> .*)?$", first).group(1)
    return [part.split(":")[0].split("=")[0].strip() for part in split_top_level(inside)]


def stub_parameters(node):
    args = node.args
    names = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg:
        names.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        names.append("*")
    return names + [a.arg for a in args.kwonlyargs]


def stub_definitions():
    """Top-level names the stub says the module has (TypedDicts and aliases are stub-only)."""
    tree = ast.parse(STUB.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef):
            if not any(isinstance(b, ast.Name) and b.id == "TypedDict" for b in node.bases):
                out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
    return out


class Stubs(unittest.TestCase):
    def test_package_marks_itself_typed(self):
        self.assertTrue((PACKAGE_DIR / "py.typed").is_file())
        self.assertTrue(STUB.is_file())

    def test_same_public_names_as_the_native_module(self):
        native = {name for name in dir(_exposure) if not name.startswith("_")} | {"__version__"}
        self.assertEqual(set(stub_definitions()), native)
        self.assertEqual({n for n in dir(exposure) if not n.startswith("_")}, native - {"__version__"})

    def test_parameters_named_as_declared(self):
        for name, node in stub_definitions().items():
            if isinstance(node, ast.FunctionDef):
                with self.subTest(function=name):
                    self.assertEqual(stub_parameters(node), native_parameters(getattr(_exposure, name)))
            elif isinstance(node, ast.ClassDef) and name != "ExposureError":
                cls = getattr(_exposure, name)
                for method in node.body:
                    if not isinstance(method, ast.FunctionDef) or any(
                        isinstance(d, ast.Name) and d.id == "property" for d in method.decorator_list
                    ):
                        continue
                    native = inspect.getattr_static(cls, method.name)
                    if method.name == "__exit__":  # declared as (self, *args)
                        self.assertEqual(native_parameters(native), ["self", "*args"])
                        continue
                    with self.subTest(method=f"{name}.{method.name}"):
                        static = isinstance(native, staticmethod)
                        self.assertEqual(static, any(isinstance(d, ast.Name) and d.id == "staticmethod"
                                                     for d in method.decorator_list))
                        if static:
                            native = native.__func__
                        self.assertEqual(stub_parameters(method), native_parameters(native))


if __name__ == "__main__":
    unittest.main()
