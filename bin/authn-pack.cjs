#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx, so a clone needs no build step before `npx authn-pack`.
// The SDK's notice about Node 20 support ending is for SDK maintainers, not for this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
