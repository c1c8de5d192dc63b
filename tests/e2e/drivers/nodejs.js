#!/usr/bin/env node
// Runs the TypeScript example (examples/ts, compiled to bin/index.js) as an
// Automation API inline program, for the Go end-to-end test.
//
// Environment (all required):
//   SMX_E2E_OP           up | preview | destroy
//   SMX_E2E_STACK        the stack name
//   SMX_E2E_EXAMPLE_DIR  absolute path of examples/ts (npm installed, compiled)
//   SMX_E2E_WORK_DIR     an empty directory for the workspace
//   SMX_E2E_PULUMI_ROOT  a directory whose bin/pulumi is the Pulumi CLI
// Optional:
//   SMX_E2E_CONFIG       JSON {"key": {"value": "...", "secret": true}, ...}:
//                        the stack's config, set before the operation
// PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, PULUMI_HOME and AWS_* are
// inherited from this process's environment.
//
// Output: engine output goes to stderr; stdout gets exactly one line of JSON:
//   up       {"outputs": {"name": value, ...}}   (secret outputs as "[secret]")
//   preview  {"changeSummary": {"same": 3, ...}}
//   destroy  {"changeSummary": {"delete": 3, ...}}
// On failure the error goes to stderr and the exit code is non-zero.
"use strict";

const fs = require("fs");
const path = require("path");

// Keep stdout for the one JSON line: anything else that would print there
// (the program, the SDK) goes to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.error;
console.info = console.error;

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set`);
    }
    return value;
}

// The `name` of the example's Pulumi.yaml.
function projectName(exampleDir) {
    const text = fs.readFileSync(path.join(exampleDir, "Pulumi.yaml"), "utf8");
    const m = /^name:[ \t]*(?:"([^"]+)"|'([^']+)'|([^\s#]+))/m.exec(text);
    if (!m) {
        throw new Error(`no name in ${path.join(exampleDir, "Pulumi.yaml")}`);
    }
    return m[1] || m[2] || m[3];
}

function fail(err) {
    process.stderr.write(`error: ${err && err.stack ? err.stack : err}\n`, () => process.exit(1));
}

async function main() {
    const op = required("SMX_E2E_OP");
    const stackName = required("SMX_E2E_STACK");
    const exampleDir = path.resolve(required("SMX_E2E_EXAMPLE_DIR"));
    const workDir = path.resolve(required("SMX_E2E_WORK_DIR"));
    const pulumiRoot = path.resolve(required("SMX_E2E_PULUMI_ROOT"));
    if (!["up", "preview", "destroy"].includes(op)) {
        throw new Error(`SMX_E2E_OP must be up, preview or destroy, not ${JSON.stringify(op)}`);
    }

    // The example's own @pulumi/pulumi: the program and the Automation API
    // must share one copy of the SDK (its runtime state is per module copy).
    const auto = require(require.resolve("@pulumi/pulumi/automation", { paths: [exampleDir] }));
    const entry = path.join(exampleDir, "bin", "index.js");
    const program = async () => {
        // Run the module afresh each time the program is called.
        delete require.cache[require.resolve(entry)];
        return require(entry);
    };

    const pulumiCommand = await auto.PulumiCommand.get({ root: pulumiRoot, skipVersionCheck: true });
    // The CLI inherits this process's environment (backend, passphrase, AWS_*).
    const stack = await auto.LocalWorkspace.createOrSelectStack(
        { stackName, projectName: projectName(exampleDir), program },
        {
            workDir,
            pulumiCommand,
            projectSettings: { name: projectName(exampleDir), runtime: "nodejs" },
        },
    );

    if (process.env.SMX_E2E_CONFIG) {
        await stack.setAllConfig(JSON.parse(process.env.SMX_E2E_CONFIG));
    }

    const onOutput = (out) => process.stderr.write(out);
    let result;
    switch (op) {
        case "up": {
            const res = await stack.up({ onOutput });
            const outputs = {};
            for (const [name, out] of Object.entries(res.outputs)) {
                outputs[name] = out.secret ? "[secret]" : out.value;
            }
            result = { outputs };
            break;
        }
        case "preview": {
            const res = await stack.preview({ onOutput });
            result = { changeSummary: res.changeSummary || {} };
            break;
        }
        case "destroy": {
            const res = await stack.destroy({ onOutput });
            result = { changeSummary: (res.summary && res.summary.resourceChanges) || {} };
            break;
        }
    }
    // Exit explicitly: the in-process language server may keep the loop alive.
    writeStdout(JSON.stringify(result) + "\n", () => process.exit(0));
}

process.on("unhandledRejection", fail);
main().catch(fail);
