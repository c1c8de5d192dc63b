// Compares two ProviderArgs interfaces with the TypeScript compiler and
// prints, as JSON:
//
//   {"pulumiAws": {name: type}, "smx": {name: type}, "incompatible": {name: [message]}}
//
//   node provider-args.js <typescript package dir> <pulumi-aws module> <smx module>
//
// The property lists come from the compiler, not from the .d.ts text, so a
// change of layout in a generated file cannot hide a property. For each
// property both have, a program assigns pulumi-aws's value to smx's type and
// asserts that no field of pulumi-aws's nested input types (at any depth) is
// missing from smx's: structural typing alone would accept a value whose
// fields smx silently drops. One statement pair per property, so each
// message is filed under the property it is about. Both programs are one
// compiler session: pulumi-aws's 6 MB of input types are parsed once.
"use strict";
const [typescriptDir, pulumiAwsModule, smxModule] = process.argv.slice(2);
const ts = require(typescriptDir);
const { host, compile, failOn } = require("./compiler")(ts);

const imports = `import type { OutputInstance } from "@pulumi/pulumi";
import type { ProviderArgs as PulumiAwsArgs } from ${JSON.stringify(pulumiAwsModule)};
import type { ProviderArgs as SmxArgs } from ${JSON.stringify(smxModule)};
`;
const probe = compile("__probe.ts", imports + "export type Both = [PulumiAwsArgs, SmxArgs];\n");
failOn(probe.program, probe.file);
const checker = probe.program.getTypeChecker();
const both = probe.file.statements.find(ts.isTypeAliasDeclaration).type.elements;
function propertiesOf(node) {
    const properties = {};
    for (const p of checker.getPropertiesOfType(checker.getTypeAtLocation(node))) {
        properties[p.name] = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, node), undefined,
            ts.TypeFormatFlags.NoTruncation);
    }
    return properties;
}
const pulumiAws = propertiesOf(both[0]);
const smx = propertiesOf(both[1]);

let source = imports + `
// The value inside an Input: without its Output, Promise and array layers.
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

declare const pulumiAws: PulumiAwsArgs;
`;
const propertyOfLine = new Map();
for (const name of Object.keys(pulumiAws).filter((n) => n in smx)) {
    const key = JSON.stringify(name);
    const first = source.split("\n").length - 1;
    source += `export const assignable_${name}: SmxArgs[${key}] = pulumiAws[${key}];\n`;
    source += `export const nested_${name}: NoneMissing<MissingFields<PulumiAwsArgs[${key}], SmxArgs[${key}], ${key}>> = true;\n`;
    propertyOfLine.set(first, name).set(first + 1, name);
}
const check = compile("__check.ts", source);
const incompatible = {};
for (const d of ts.getPreEmitDiagnostics(check.program, check.file)) {
    const line = d.file === check.file ? check.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const name = propertyOfLine.get(line);
    if (name === undefined) {
        // Not about one property: the program itself is wrong.
        console.error(ts.formatDiagnostics([d], host) + "\n--- the program ---\n" + source);
        process.exit(1);
    }
    (incompatible[name] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
console.log(JSON.stringify({ pulumiAws, smx, incompatible }));
