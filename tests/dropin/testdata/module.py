"""Prints, as JSON, the public surface of a Pulumi Python SDK's secretsmanager module.

    python3 module.py <wheel or package folder> <package name>

The output is

    {"names": [every name the module's files export in __all__],
     "classes": {name: {"init": {arg: annotation},  # the keyword form of __init__
                        "get": {arg: annotation},   # a resource's static get
                        "properties": {name: annotation},
                        "fields": {key: annotation}}},  # a TypedDict's keys
     "functions": {name: {arg: annotation}}}

It reads the source with ast and imports nothing, so neither the package nor
pulumi needs to be installed.
"""
import ast
import json
import os
import sys
import zipfile

SKIPPED_ARGUMENTS = {"__self__", "self", "resource_name", "opts", "__props__", "id"}


def read_sources(location, package):
    """file name -> source of each .py file of <package>/secretsmanager."""
    prefix = f"{package}/secretsmanager/"
    sources = {}
    if location.endswith(".whl"):
        with zipfile.ZipFile(location) as wheel:
            for member in wheel.namelist():
                if member.startswith(prefix) and member.endswith(".py") and "/" not in member[len(prefix):]:
                    sources[member[len(prefix):]] = wheel.read(member).decode("utf-8")
    else:
        folder = os.path.join(location, package, "secretsmanager")
        for name in os.listdir(folder):
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    sources[name] = f.read()
    if not sources:
        sys.exit(f"{location}: no {prefix} files")
    return sources


def arguments(function):
    """name -> annotation text of the function's named parameters."""
    found = {}
    for arg in function.args.args + function.args.kwonlyargs:
        if arg.arg in SKIPPED_ARGUMENTS:
            continue
        found[arg.arg] = ast.unparse(arg.annotation) if arg.annotation else ""
    return found


def keyword_init(cls):
    """The keyword form of __init__: of a resource's overloads, the one
    without `args` (the other takes an XArgs object)."""
    inits = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]
    if len(inits) > 1:
        inits = [f for f in inits if "args" not in [a.arg for a in f.args.args]]
    return arguments(inits[0]) if inits else {}


def is_property(function):
    return any(ast.unparse(d) in ("property", "_builtins.property", "pulumi.getter") or
               ast.unparse(d).startswith("pulumi.getter(") for d in function.decorator_list)


def describe_class(cls):
    described = {"init": keyword_init(cls), "get": {}, "properties": {}, "fields": {}}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            # A TypedDict's keys (the XArgsDict classes).
            described["fields"][node.target.id] = ast.unparse(node.annotation)
            continue
        if not isinstance(node, ast.FunctionDef):
            continue
        if node.name == "get":
            described["get"] = arguments(node)
        elif is_property(node) and not node.name.startswith("_"):
            if any(ast.unparse(d).endswith(".setter") for d in node.decorator_list):
                continue
            described["properties"][node.name] = ast.unparse(node.returns) if node.returns else ""
    return described


def read_module(location, package):
    """The module's surface, as main prints it."""
    names, classes, functions = set(), {}, {}
    for source in read_sources(location, package).values():
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
                names.update(ast.literal_eval(node.value))
            elif isinstance(node, ast.ClassDef):
                classes[node.name] = describe_class(node)
            elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                functions[node.name] = arguments(node)
    return {"names": sorted(names), "classes": classes, "functions": functions}


def main():
    json.dump(read_module(sys.argv[1], sys.argv[2]), sys.stdout)


if __name__ == "__main__":
    main()
