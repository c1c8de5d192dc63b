"""Prints, as JSON, the keyword arguments of a Pulumi Python SDK's Provider.

    python3 provider_kwargs.py <wheel or package folder> <package name>

The output is {"kwargs": {name: annotation}, "classes": {name: {name: annotation}}}:
the keyword arguments of Provider(resource_name, opts=None, **kwargs), and
those of every input class (such as ProviderAssumeRoleArgs) that the
annotations name, at any depth. It reads the source with ast and imports
nothing, so neither the package nor pulumi needs to be installed.
"""
import ast
import json
import os
import re
import sys
import zipfile


def read_sources(location, package):
    """The package's provider.py and _inputs.py (empty where absent)."""
    wanted = {"provider.py": "", "_inputs.py": ""}
    if location.endswith(".whl"):
        with zipfile.ZipFile(location) as wheel:
            names = set(wheel.namelist())
            for name in wanted:
                member = f"{package}/{name}"
                if member in names:
                    wanted[name] = wheel.read(member).decode("utf-8")
    else:
        for name in wanted:
            path = os.path.join(location, package, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    wanted[name] = f.read()
    return wanted


def arguments(function, skip):
    """name -> annotation text of the function's named parameters."""
    found = {}
    for arg in function.args.args + function.args.kwonlyargs:
        if arg.arg in skip:
            continue
        found[arg.arg] = ast.unparse(arg.annotation) if arg.annotation else ""
    return found


def classes_of(tree):
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def init_of(cls):
    return [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]


def main():
    location, package = sys.argv[1], sys.argv[2]
    sources = read_sources(location, package)
    provider = classes_of(ast.parse(sources["provider.py"])).get("Provider")
    if provider is None:
        sys.exit(f"{location}: {package}/provider.py has no class Provider")
    # The keyword form of the constructor is the overload without `args`
    # (the other takes a ProviderArgs object).
    keyword_forms = [f for f in init_of(provider)
                     if "opts" in [a.arg for a in f.args.args + f.args.kwonlyargs]
                     and "args" not in [a.arg for a in f.args.args + f.args.kwonlyargs]]
    if len(keyword_forms) != 1:
        sys.exit(f"{location}: expected one keyword overload of Provider.__init__, found {len(keyword_forms)}")
    kwargs = arguments(keyword_forms[0], {"__self__", "resource_name", "opts", "__props__"})

    input_classes = classes_of(ast.parse(sources["_inputs.py"])) if sources["_inputs.py"] else {}
    classes = {}
    pending = list(kwargs.values())
    while pending:
        for name in re.findall(r"'(\w+Args)'", pending.pop()):
            if name in classes or name not in input_classes:
                continue
            inits = init_of(input_classes[name])
            classes[name] = arguments(inits[0], {"__self__"}) if inits else {}
            pending.extend(classes[name].values())
    json.dump({"kwargs": kwargs, "classes": classes}, sys.stdout)


if __name__ == "__main__":
    main()
