#!/usr/bin/env node
// `npm start` and `npm run cli` build first when dist/ is missing or older than src/, so a fresh
// clone works with no separate build step. Output goes to stderr to keep stdout clean for --json.
// With NODE_ENV=production it never builds (a server has no compiler: `npm ci --omit=dev`, and a
// build must not start under a running service): dist/ must have been built by `npm run build`.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt(env = process.env) {
  if ((env.NODE_ENV || '').trim() === 'production') {
    if (fs.existsSync(path.join(root, 'dist', 'main.js')) && fs.existsSync(path.join(root, 'dist', 'cli.js'))) return 0;
    process.stderr.write(
      'dist/ がありません。NODE_ENV=production では自動でビルドしません: 先に `npm run build` を実行してください\n' +
        'dist/ is missing and NODE_ENV=production never builds: run `npm run build` first (see README "Running it on a server")\n',
    );
    return 1;
  }
  const sources = Math.max(
    newestMtime(path.join(root, 'src')),
    ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => fs.statSync(path.join(root, file)).mtimeMs),
  );
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= sources) return 0;

  process.stderr.write('building (tsc)…\n');
  return build();
}

/** A clean build: dist/ removed first, so no file of an older version (dist/bench once) survives. */
function build() {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('build failed\n');
    return result.status ?? 1;
  }
  fs.writeFileSync(stamp, '');
  return 0;
}

module.exports = { ensureBuilt, build };
if (require.main === module) process.exit(process.argv.includes('--clean') ? build() : ensureBuilt());
