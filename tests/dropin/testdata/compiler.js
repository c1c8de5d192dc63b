// The TypeScript compiler session that provider-args.js, module.js and
// examples.js share: strict options, and a compiler host that serves the
// programs they generate from memory.
//
//   const { compile, compileAll, failOn } = require("./compiler")(ts);
//
// The generated files exist only in memory, in the working folder, so that
// @pulumi/aws resolves from its node_modules. Every file read from disk is
// parsed once for the whole session, so the programs after the first do not
// parse pulumi-aws's 6 MB of input types again.
"use strict";
const path = require("path");

module.exports = function inMemoryCompiler(ts) {
    const options = {
        strict: true, noEmit: true, skipLibCheck: true, types: [], noErrorTruncation: true,
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.NodeJs,
    };
    const virtual = new Map();
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    const parsed = new Map();
    host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile(f);
    host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists(f);
    host.getSourceFile = (f, ...rest) => {
        const key = path.resolve(f);
        if (virtual.has(key)) return ts.createSourceFile(f, virtual.get(key), options.target, true);
        if (!parsed.has(key)) parsed.set(key, getSourceFile(f, ...rest));
        return parsed.get(key);
    };

    // addFile puts source in memory as the working folder's file name, for
    // programs to import, and returns its path.
    function addFile(name, source) {
        const file = path.join(process.cwd(), name);
        virtual.set(file, source);
        return file;
    }
    // compile makes a program of one in-memory file.
    function compile(name, source) {
        const { program, files } = compileAll([[name, source]]);
        return { program, file: files[0] };
    }
    // compileAll makes one program of in-memory files, each [name, source]:
    // one checker for them all, where a program each would build one each.
    // Each file must be a module (import or export something), so that
    // their declarations do not meet.
    function compileAll(sources) {
        const paths = sources.map(([name, source]) => addFile(name, source));
        const program = ts.createProgram(paths, options, host);
        return { program, files: paths.map((f) => program.getSourceFile(f)) };
    }
    // failOn ends the process, with the compiler's messages, if file does not
    // type-check: a generated program that does not compile is a bug of its
    // generator, not a finding.
    function failOn(program, file) {
        const problems = ts.getPreEmitDiagnostics(program, file);
        if (problems.length > 0) {
            console.error(ts.formatDiagnostics(problems, host));
            process.exit(1);
        }
    }
    return { host, addFile, compile, compileAll, failOn };
};
