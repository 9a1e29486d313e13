import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

// dist/ is what a server runs after `npm ci --omit=dev`: nothing compiled from src/ may import a
// dev dependency (the benchmark's autocannon once did; it now lives in bench/).

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** The package a bare specifier names: `@scope/name/x` → `@scope/name`, `name/x` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('the production build', () => {
  it('should import only runtime dependencies and Node built-ins from src/', () => {
    const builtins = new Set(builtinModules);
    const offending: string[] = [];
    const files = sources(path.join(root, 'src'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // `import type` is erased by the compiler: it may name a types-only package.
      for (const match of text.matchAll(/^\s*(?:import(?!\s+type\b)[^'"]*?from\s*|import\s*|export[^'"]*?from\s*)['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/gm)) {
        const specifier = match[1] ?? match[2];
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        if (!manifest.dependencies[packageOf(specifier)]) offending.push(`${path.relative(root, file)}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
