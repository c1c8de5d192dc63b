"""Runs the Python example (examples/py) as an Automation API inline program,
for the Go end-to-end test.

Environment (all required):
  SMX_E2E_OP           up | preview | destroy
  SMX_E2E_STACK        the stack name
  SMX_E2E_EXAMPLE_DIR  absolute path of examples/py
  SMX_E2E_WORK_DIR     an empty directory for the workspace
  SMX_E2E_PULUMI_ROOT  a directory whose bin/pulumi is the Pulumi CLI
Optional:
  SMX_E2E_CONFIG       JSON {"key": {"value": "...", "secret": true}, ...}:
                       the stack's config, set before the operation
PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_HOME and AWS_* are
inherited from this process's environment.

Run it with the interpreter of the virtualenv that has pulumi and pulumi_smx
installed. Engine output goes to stderr; stdout gets exactly one line of JSON:
  up       {"outputs": {"name": value, ...}}   (secret outputs as "[secret]")
  preview  {"changeSummary": {"same": 3, ...}}
  destroy  {"changeSummary": {"delete": 3, ...}}
On failure the error goes to stderr and the exit code is non-zero.
"""

import json
import os
import re
import runpy
import sys
import traceback


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value


def project_name(example_dir: str) -> str:
    """The `name` of the example's Pulumi.yaml."""
    path = os.path.join(example_dir, "Pulumi.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"""^name:[ \t]*(?:"([^"]+)"|'([^']+)'|([^\s#]+))""", text, re.M)
    if not m:
        raise RuntimeError(f"no name in {path}")
    return m.group(1) or m.group(2) or m.group(3)


def op_map(changes) -> dict:
    """An OpMap (keys are OpType enums or strings) as plain JSON."""
    return {getattr(k, "value", k): v for k, v in (changes or {}).items()}


def main(stdout) -> None:
    op = required("SMX_E2E_OP")
    stack_name = required("SMX_E2E_STACK")
    example_dir = os.path.abspath(required("SMX_E2E_EXAMPLE_DIR"))
    work_dir = os.path.abspath(required("SMX_E2E_WORK_DIR"))
    pulumi_root = os.path.abspath(required("SMX_E2E_PULUMI_ROOT"))
    if op not in ("up", "preview", "destroy"):
        raise RuntimeError(f"SMX_E2E_OP must be up, preview or destroy, not {op!r}")

    from pulumi import automation as auto

    entry = os.path.join(example_dir, "__main__.py")
    name = project_name(example_dir)

    def program() -> None:
        # run_path executes the file afresh on every call; its pulumi.export
        # calls become the stack outputs.
        runpy.run_path(entry)

    # The CLI inherits this process's environment (backend, passphrase, AWS_*).
    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        project_name=name,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=work_dir,
            pulumi_command=auto.PulumiCommand(root=pulumi_root, skip_version_check=True),
            project_settings=auto.ProjectSettings(name=name, runtime="python"),
        ),
    )

    config = json.loads(os.environ.get("SMX_E2E_CONFIG") or "{}")
    if config:
        stack.set_all_config(
            {key: auto.ConfigValue(value=v["value"], secret=v.get("secret", False)) for key, v in config.items()}
        )

    def on_output(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if op == "up":
        res = stack.up(on_output=on_output)
        outputs = {k: ("[secret]" if v.secret else v.value) for k, v in res.outputs.items()}
        result = {"outputs": outputs}
    elif op == "preview":
        res = stack.preview(on_output=on_output)
        result = {"changeSummary": op_map(res.change_summary)}
    else:
        res = stack.destroy(on_output=on_output)
        result = {"changeSummary": op_map(res.summary.resource_changes)}

    stdout.write(json.dumps(result, separators=(",", ":")) + "\n")
    stdout.flush()


if __name__ == "__main__":
    # Keep stdout for the one JSON line: anything else that would print there
    # (the program, the SDK) goes to stderr.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        main(real_stdout)
    except BaseException:  # pylint: disable=broad-except
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)
    sys.stderr.flush()
    # Exit at once: the in-process language server's threads must not keep
    # the process alive.
    os._exit(0)
