import * as fs from 'node:fs';
import * as path from 'node:path';

// The folders of src/ import one another one way only (README "Architecture"): no two import
// each other and no longer loop closes either, so each folder can be read with only what is
// below it in mind.

const srcDir = path.resolve(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Folder → the other folders of src/ its files import (relative imports, `import type` included). */
function folderGraph(): Map<string, Set<string>> {
  const folders = new Set(fs.readdirSync(srcDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  const graph = new Map<string, Set<string>>();
  for (const file of sources(srcDir)) {
    const [folder] = path.relative(srcDir, file).split(path.sep);
    if (folder.endsWith('.ts')) continue; // the composition root and the faces at the top of src/
    const edges = graph.get(folder) ?? new Set<string>();
    graph.set(folder, edges);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
      const target = path.relative(srcDir, path.resolve(path.dirname(file), match[1])).split(path.sep);
      // outside src/, or a file at its top (bootstrap.ts): not a folder
      if (target[0] === '..' || !folders.has(target[0])) continue;
      if (target[0] !== folder) edges.add(target[0]);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const other of graph.get(node) ?? []) {
      if (!index.has(other)) {
        visit(other);
        low.set(node, Math.min(low.get(node)!, low.get(other)!));
      } else if (onStack.has(other)) low.set(node, Math.min(low.get(node)!, index.get(other)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the folders of src/', () => {
  const graph = folderGraph();

  it('should see the folders and their imports', () => {
    expect(graph.size).toBeGreaterThan(20);
    expect(graph.get('items')).toContain('organization');
    // a folder's index counts: plans/ imports '../calendar'
    expect(graph.get('plans')).toContain('calendar');
  });

  it('should have no two folders importing each other', () => {
    const pairs = [...graph].flatMap(([folder, edges]) => [...edges].filter((other) => folder < other && graph.get(other)?.has(folder)).map((other) => `${folder} <-> ${other}`));
    expect(pairs).toEqual([]);
  });

  it('should have no loop of imports through several folders', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('should find a loop when there is one', () => {
    const looped = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(looped)).toEqual([['a', 'b', 'c']]);
  });
});
