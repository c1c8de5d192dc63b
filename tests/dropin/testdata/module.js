// Compares pulumi-aws's `secretsmanager` module with smx's, with the
// TypeScript compiler, and prints, as JSON:
//
//   {"exports": {"pulumiAws": [name], "smx": [name]},
//    "types": {"input": {"pulumiAws": [...], "smx": [...]}, "output": {...}},
//    "checked": {key: true}, "problems": {key: [message]}}
//
//   node module.js <typescript package dir> <pulumi-aws root> <smx root>
//
// <root> is where a package's index, secretsmanager/ and types/ live
// (`@pulumi/aws`, or smx's sdk/nodejs/bin). Each check is one statement of a
// generated program, under a key that names what it is about:
//
//   in:<Interface>.<property>   an argument or state input: pulumi-aws's value
//                               is accepted by smx's type, every nested field
//                               of pulumi-aws's type there too
//   in:<Interface>              a value of pulumi-aws's whole interface is one
//                               of smx's (no property smx requires that
//                               pulumi-aws does not)
//   out:<Class or Result>.<property>
//                               an output or result: what smx gives is usable
//                               where pulumi-aws's was
//   new:<Class>, get:<Class>    the constructor takes pulumi-aws's arguments;
//                               `get(name, id, state)` takes its state
//   call:<function>             the function takes pulumi-aws's arguments
//
// The names come from the compiler, not from the .d.ts text, so a change of
// layout in a generated file cannot hide one.
"use strict";
const [typescriptDir, pulumiAwsRoot, smxRoot] = process.argv.slice(2);
const ts = require(typescriptDir);
const { host, compile, failOn } = require("./compiler")(ts);

const q = JSON.stringify;
const imports = `import type { OutputInstance } from "@pulumi/pulumi";
import * as A from ${q(pulumiAwsRoot + "/secretsmanager")};
import * as S from ${q(smxRoot + "/secretsmanager")};
import type * as AI from ${q(pulumiAwsRoot + "/types/input")};
import type * as AO from ${q(pulumiAwsRoot + "/types/output")};
import type * as SI from ${q(smxRoot + "/types/input")};
import type * as SO from ${q(smxRoot + "/types/output")};
`;
const probe = compile("__module_probe.ts", imports);
failOn(probe.program, probe.file);
const checker = probe.program.getTypeChecker();

// The exports of each imported module, by the local name it is imported as.
const modules = {};
for (const statement of probe.file.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
    const bindings = statement.importClause.namedBindings;
    if (!ts.isNamespaceImport(bindings)) continue;
    const symbol = checker.getAliasedSymbol(checker.getSymbolAtLocation(bindings.name));
    modules[bindings.name.text] = new Map(checker.getExportsOfModule(symbol).map((s) => [s.name, s]));
}
function namespaceExports(module, name) {
    const symbol = modules[module].get(name);
    if (!symbol) return new Map();
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return new Map(checker.getExportsOfModule(resolved).map((s) => [s.name, s]));
}
const awsInput = namespaceExports("AI", "secretsmanager");
const awsOutput = namespaceExports("AO", "secretsmanager");
const smxInput = namespaceExports("SI", "secretsmanager");
const smxOutput = namespaceExports("SO", "secretsmanager");

const isClass = (symbol) => {
    if (!(symbol.flags & ts.SymbolFlags.Value)) return false;
    const type = checker.getTypeOfSymbolAtLocation(symbol, probe.file);
    return type.getConstructSignatures().length > 0;
};
const isFunction = (symbol) => {
    if (!(symbol.flags & ts.SymbolFlags.Value)) return false;
    return checker.getTypeOfSymbolAtLocation(symbol, probe.file).getCallSignatures().length > 0;
};
// propertyNamesOf lists the properties of each of typeTexts, as the compiler
// sees them, from one probe program that names them all: a program per type
// had the compiler build a checker per type.
function propertyNamesOf(typeTexts) {
    const unique = [...new Set(typeTexts)];
    const probeTypes = compile("__module_props.ts", imports + unique.map((text, i) => `export type T${i} = ${text};\n`).join(""));
    failOn(probeTypes.program, probeTypes.file);
    const c = probeTypes.program.getTypeChecker();
    const aliases = probeTypes.file.statements.filter(ts.isTypeAliasDeclaration);
    return new Map(unique.map((text, i) => [text, c.getPropertiesOfType(c.getTypeAtLocation(aliases[i].type)).map((p) => p.name)]));
}

let source = imports + `
type Plain<T> =
    T extends OutputInstance<infer U> ? Plain<U> :
    T extends PromiseLike<infer U> ? Plain<U> :
    T extends readonly (infer E)[] ? Plain<E> :
    T;
type Fields<T> = Extract<Plain<T>, object>;
// The dotted path of each field that pulumi-aws's type has, at any depth,
// and smx's lacks. An index signature on smx's side (a map) takes any key.
type MissingFields<A, B, Path extends string> =
    [Fields<A>] extends [never] ? never :
    string extends keyof Fields<B> ? never :
    { [K in keyof Fields<A> & string]: K extends keyof Fields<B>
        ? MissingFields<Fields<A>[K], Fields<B>[K], \`\${Path}.\${K}\`>
        : \`\${Path}.\${K}\` }[keyof Fields<A> & string];
type NoneMissing<M> = [M] extends [never] ? true : { missingNestedFields: M };
`;
const keyOfLine = new Map();
const checked = {};
const problems = {};
let counter = 0;
function statement(key, text) {
    const line = source.split("\n").length - 1;
    source += text + "\n";
    keyOfLine.set(line, key);
    checked[key] = true;
}
function problem(key, message) {
    (problems[key] ??= []).push(message);
}

// The comparisons of two types' properties, gathered while the exports are
// walked and made once propertyNamesOf has listed every type's properties.
const comparisons = [];
function compareLater(compare, key, awsType, smxType, skip) {
    comparisons.push({ compare, key, awsType, smxType, skip });
}

// Inputs: pulumi-aws's value goes into smx's type.
function compareInput(properties, key, awsType, smxType) {
    const id = counter++;
    source += `declare const aws_${id}: ${awsType};\n`;
    const smxProperties = new Set(properties.get(smxType));
    for (const name of properties.get(awsType)) {
        const k = `in:${key}.${name}`;
        if (!smxProperties.has(name)) {
            problem(k, `smx's ${key} has no property ${name}`);
            continue;
        }
        statement(k, `export const in_${id}_${name}: ${smxType}[${q(name)}] = aws_${id}[${q(name)}];`);
        statement(k, `export const nested_${id}_${name}: NoneMissing<MissingFields<${awsType}[${q(name)}], ${smxType}[${q(name)}], ${q(name)}>> = true;`);
    }
    statement(`in:${key}`, `export const whole_${id}: ${smxType} = aws_${id};`);
}
// Outputs and results: smx's value is usable where pulumi-aws's was.
function compareOutput(properties, key, awsType, smxType, skip = () => false) {
    const id = counter++;
    source += `declare const smx_${id}: ${smxType};\n`;
    const smxProperties = new Set(properties.get(smxType));
    for (const name of properties.get(awsType)) {
        if (skip(name)) continue;
        const k = `out:${key}.${name}`;
        if (!smxProperties.has(name)) {
            problem(k, `smx's ${key} has no property ${name}`);
            continue;
        }
        statement(k, `export const out_${id}_${name}: ${awsType}[${q(name)}] = smx_${id}[${q(name)}];`);
    }
}

const awsExports = modules.A;
const smxExports = modules.S;
for (const [name, symbol] of awsExports) {
    if (!smxExports.has(name)) {
        problem(`export:${name}`, `smx's secretsmanager module exports no ${name}`);
        continue;
    }
    checked[`export:${name}`] = true;
    if (isClass(symbol)) {
        // The resource's outputs; the engine's own members (urn, id, and
        // pulumi's private bookkeeping) are pulumi's, not the module's.
        compareLater(compareOutput, name, `A.${name}`, `S.${name}`, (p) => p === "urn" || p === "id" || p.startsWith("__"));
        const id = counter++;
        source += `declare const args_${id}: A.${name}Args;\ndeclare const state_${id}: A.${name}State;\n`;
        statement(`new:${name}`, `export const new_${id} = new S.${name}("r", args_${id});`);
        statement(`get:${name}`, `export const get_${id} = S.${name}.get("r", "id", state_${id});`);
    } else if (isFunction(symbol)) {
        const argsType = name[0].toUpperCase() + name.slice(1) + "Args";
        const id = counter++;
        source += `declare const args_${id}: A.${argsType};\n`;
        statement(`call:${name}`, `export const call_${id} = S.${name}(args_${id});`);
    } else if (/(Args|State)$/.test(name)) {
        compareLater(compareInput, name, `A.${name}`, `S.${name}`);
    } else if (/Result$/.test(name)) {
        compareLater(compareOutput, name, `A.${name}`, `S.${name}`);
    }
}
for (const [name] of awsInput) {
    if (!smxInput.has(name)) {
        problem(`types.input:${name}`, `smx's types.input.secretsmanager has no ${name}`);
        continue;
    }
    checked[`types.input:${name}`] = true;
    compareLater(compareInput, `types.input.${name}`, `AI.secretsmanager.${name}`, `SI.secretsmanager.${name}`);
}
for (const [name] of awsOutput) {
    if (!smxOutput.has(name)) {
        problem(`types.output:${name}`, `smx's types.output.secretsmanager has no ${name}`);
        continue;
    }
    checked[`types.output:${name}`] = true;
    compareLater(compareOutput, `types.output.${name}`, `AO.secretsmanager.${name}`, `SO.secretsmanager.${name}`);
}
const properties = propertyNamesOf(comparisons.flatMap((c) => [c.awsType, c.smxType]));
for (const { compare, key, awsType, smxType, skip } of comparisons) {
    compare(properties, key, awsType, smxType, skip);
}

const check = compile("__module_check.ts", source);
for (const d of ts.getPreEmitDiagnostics(check.program, check.file)) {
    const line = d.file === check.file ? check.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const key = keyOfLine.get(line);
    if (key === undefined) {
        console.error(ts.formatDiagnostics([d], host) + "\n--- the program ---\n" + source);
        process.exit(1);
    }
    problem(key, ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
console.log(q({
    exports: { pulumiAws: [...awsExports.keys()].sort(), smx: [...smxExports.keys()].sort() },
    types: {
        input: { pulumiAws: [...awsInput.keys()].sort(), smx: [...smxInput.keys()].sort() },
        output: { pulumiAws: [...awsOutput.keys()].sort(), smx: [...smxOutput.keys()].sort() },
    },
    checked, problems,
}));
