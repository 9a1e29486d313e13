#!/usr/bin/env node
// The registry this project installs from serves only the native bindings for this platform
// (linux x64), so `npm install` writes a lock whose packages name optional platform bindings
// (@swc/core-darwin-arm64, …) it could not resolve, and `npm ci` then refuses the lock as out of
// sync. This drops those unresolvable optional entries. Run it after every `npm install`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const removed = [];
for (const [location, entry] of Object.entries(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) {
      delete entry.optionalDependencies[name];
      removed.push(`${location || '(root)'} → ${name}`);
    }
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stderr.write(`prune-lock: dropped ${removed.length} unresolvable optional bindings\n`);
