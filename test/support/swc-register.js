// Lets a child process run the TypeScript sources directly (`node -r ./test/support/swc-register.js
// src/cli.ts …`), transformed by swc exactly as Jest does. Tests that spawn the CLI use it instead
// of dist/, so they never rebuild or delete dist/ under a server or another test that is using it.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
