"""Checks every Example Usage program of pulumi_aws's secretsmanager docs against smx's SDK.

    python3 examples.py <pulumi_aws wheel> <smx package folder>

Prints, as JSON, {"examples": [{"name", "calls", "problems": [text]}]}.
Python has no compiler to ask, so the check is by name, with ast, and
imports nothing: in each program (the ```python blocks of the docstrings),
every `aws.secretsmanager.<X>(...)` must name a class or function of smx's
module, every keyword argument must be one smx's takes, and every key of a
dict literal given for a nested type (`rotation_rules={...}`) must be a key
of smx's TypedDict of that type, at any depth. A program that uses other
pulumi_aws modules keeps them: only what it takes from secretsmanager moves.
"""
import ast
import json
import re
import sys
import zipfile

from module import read_module


def doc_examples(wheel):
    """(name, program) for each distinct ```python block, in file order."""
    seen = set()
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            if not (member.startswith("pulumi_aws/secretsmanager/") and member.endswith(".py")):
                continue
            text = archive.read(member).decode("utf-8")
            n = 0
            for block in re.findall(r"```python\n(.*?)```", text, re.S):
                lines = block.split("\n")
                indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
                program = "\n".join(l[indent:] for l in lines)
                if program in seen:
                    continue  # the class and __init__ docstrings repeat each example
                seen.add(program)
                n += 1
                yield f"{member.rsplit('/', 1)[1][:-3]}#{n}", program


def secretsmanager_member(node):
    """X when node is aws.secretsmanager.X."""
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
            and node.value.attr == "secretsmanager" and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "aws"):
        return node.attr
    return None


def dict_classes(annotation):
    return re.findall(r"'(\w+ArgsDict)'", annotation)


def check_dict(value, annotation, pulumi_aws, smx, where, problems):
    """Every key of the dict literals in value is a key of smx's TypedDict."""
    items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    for item in items:
        if not isinstance(item, ast.Dict):
            continue
        for cls in dict_classes(annotation):
            if cls not in pulumi_aws["classes"]:
                continue
            theirs = pulumi_aws["classes"][cls]["fields"]
            ours = smx["classes"].get(cls)
            if ours is None:
                problems.append(f"{where}: smx has no {cls}")
                continue
            for key_node, nested in zip(item.keys, item.values):
                if not isinstance(key_node, ast.Constant):
                    continue
                key = key_node.value
                if key not in ours["fields"]:
                    problems.append(f"{where}: smx's {cls} has no key {key!r}")
                elif key in theirs:
                    check_dict(nested, theirs[key], pulumi_aws, smx, f"{where}.{key}", problems)


def check_program(program, pulumi_aws, smx):
    problems, calls = [], 0
    for node in ast.walk(ast.parse(program)):
        if not isinstance(node, ast.Call):
            continue
        name = secretsmanager_member(node.func)
        if name is None:
            continue
        calls += 1
        if name in smx["classes"]:
            ours, theirs = smx["classes"][name]["init"], pulumi_aws["classes"].get(name, {}).get("init", {})
        elif name in smx["functions"]:
            ours, theirs = smx["functions"][name], pulumi_aws["functions"].get(name, {})
        else:
            problems.append(f"aws.secretsmanager.{name}: smx's module has no {name}")
            continue
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg == "opts":  # ResourceOptions and InvokeOptions are pulumi's
                continue
            if keyword.arg not in ours:
                problems.append(f"aws.secretsmanager.{name}({keyword.arg}=...): smx's {name} takes no {keyword.arg}")
            elif keyword.arg in theirs:
                check_dict(keyword.value, theirs[keyword.arg], pulumi_aws, smx, f"{name}.{keyword.arg}", problems)
    return calls, problems


def main():
    wheel, smx_folder = sys.argv[1], sys.argv[2]
    pulumi_aws, smx = read_module(wheel, "pulumi_aws"), read_module(smx_folder, "pulumi_smx")
    examples = []
    for name, program in doc_examples(wheel):
        calls, problems = check_program(program, pulumi_aws, smx)
        examples.append({"name": name, "calls": calls, "problems": problems})
    json.dump({"examples": examples}, sys.stdout)


if __name__ == "__main__":
    main()
