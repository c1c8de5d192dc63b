// Type-checks every "Example Usage" program of pulumi-aws's secretsmanager
// docs (the ```typescript blocks in the doc comments of its .d.ts files)
// twice: as written, against @pulumi/aws, and with only its import line
// changed, against smx. Prints, as JSON:
//
//   {"examples": [{"name", "usesOtherModules", "pulumiAws": [diagnostic],
//                  "smx": [diagnostic], "smxOnly": [diagnostic]}
//                 or {"name", "skipped": why} or {"name", "error": what}]}
//
//   node examples.js <typescript package dir> <pulumi-aws root> <smx root>
//
// Some examples do not compile even against pulumi-aws: they use variables
// they never declare (`exampleAwsIamRole`, `rotationDays`). So the verdict
// is smxOnly: diagnostics smx's version has that pulumi-aws's has not, by
// line and message. An example that uses other pulumi-aws modules too
// (aws.iam, aws.rds) imports `aws` from a module that is @pulumi/aws with
// smx's secretsmanager in place of its own: what a program gets that keeps
// pulumi-aws for the rest.
"use strict";
const fs = require("fs");
const path = require("path");
const [typescriptDir, pulumiAwsRoot, smxRoot] = process.argv.slice(2);
const ts = require(typescriptDir);
const { addFile, compileAll } = require("./compiler")(ts);

function diagnosticsOf(program, file) {
    return ts.getPreEmitDiagnostics(program, file).map((d) => {
        const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        const where = d.file && d.file !== file ? path.basename(d.file.fileName) + ":" : "";
        return `${where}${line}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

// @pulumi/aws with smx's secretsmanager module in place of its own. An
// explicit export wins over `export *`, so the rest is pulumi-aws's.
const mixed = addFile("__aws_with_smx_secretsmanager.ts", `export * from ${JSON.stringify(pulumiAwsRoot)};\n` +
    `export * as secretsmanager from ${JSON.stringify(smxRoot + "/secretsmanager")};\n`);

const docs = path.dirname(require.resolve(pulumiAwsRoot + "/secretsmanager/index.d.ts", { paths: [process.cwd()] }));
const awsImport = /^import \* as aws from "@pulumi\/aws";$/m;
const examples = [];
// Every example on both sides is one file of one program, type-checked at
// the end: the example programs are modules, so they cannot see each other.
const sources = [];
const compared = [];
for (const file of fs.readdirSync(docs).filter((f) => f.endsWith(".d.ts")).sort()) {
    const text = fs.readFileSync(path.join(docs, file), "utf8");
    let n = 0;
    for (const match of text.matchAll(/```typescript\n([\s\S]*?)```/g)) {
        const program = match[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
        const name = `${file.replace(/\.d\.ts$/, "")}#${++n}`;
        if (!awsImport.test(program)) {
            // Some examples show only what to do with a result (decode the
            // JSON of a secret string with @pulumi/std): nothing of
            // pulumi-aws is in them to move.
            const verdict = /\baws\./.test(program) || /@pulumi\/aws/.test(program)
                ? { error: "the example uses pulumi-aws without `import * as aws from \"@pulumi/aws\"`" }
                : { skipped: "the example uses nothing of pulumi-aws" };
            examples.push({ name, ...verdict });
            continue;
        }
        const usesOtherModules = /\baws\.(?!secretsmanager\.)[a-z0-9]+\./i.test(program.replace(awsImport, ""));
        const target = usesOtherModules ? "./" + path.basename(mixed, ".ts") : smxRoot;
        const onSmx = program.replace(awsImport, `import * as aws from ${JSON.stringify(target)};`);
        const example = { name, usesOtherModules };
        examples.push(example);
        sources.push([`__example_aws_${examples.length - 1}.ts`, program], [`__example_smx_${examples.length - 1}.ts`, onSmx]);
        compared.push(example);
    }
}
const all = compileAll(sources);
compared.forEach((example, i) => {
    example.pulumiAws = diagnosticsOf(all.program, all.files[2 * i]);
    example.smx = diagnosticsOf(all.program, all.files[2 * i + 1]);
    example.smxOnly = example.smx.filter((d) => !example.pulumiAws.includes(d));
});
console.log(JSON.stringify({ examples }));
