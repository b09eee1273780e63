#!/usr/bin/env node
// The installed package runs its compiled JavaScript (lib/, built by `npm pack`); a clone of the repository, where
// the TypeScript sources sit beside this file, runs them through tsx (a devDependency) with no build step.
// The SDK's notice about Node 20 support ending is for SDK maintainers, not for this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'cli', 'main.ts');
let cli;
if (existsSync(source)) {
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require('../lib/cli/main.js');
}
cli
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
