#!/usr/bin/env node
// The installed `procedure-tracker` command: the same CLI as `npm run cli --`.
const { ensureBuilt } = require('../scripts/ensure-built.js');
const status = ensureBuilt();
if (status !== 0) process.exit(status);
const { runCli } = require('../dist/cli.js');
runCli(process.argv.slice(2)).then((code) => process.exit(code));
