import * as path from 'node:path';

// Which files the dashboard serves, and from where. Only names from this list or matching the
// pattern in public/ are served, so no request path can reach outside the two folders.

/** Our own static files: flat names in src/dashboard/public (no subfolders). */
const OWN_ASSET = /^[a-z0-9][a-z0-9-]*\.(js|css|svg)$/;

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export interface AssetRoots {
  publicDir: string;
  chartJs: string;
}

export function assetRoots(projectRoot: string): AssetRoots {
  return {
    // read from src/ both when running from dist/ and under Jest: the files need no build step
    publicDir: path.join(projectRoot, 'src', 'dashboard', 'public'),
    chartJs: path.join(projectRoot, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'),
  };
}

/** The file behind /assets/<name>, or null when there is none to serve. */
export function resolveAsset(roots: AssetRoots, name: string): string | null {
  if (name === 'chart.umd.js') return roots.chartJs;
  // its source map, which the browser's developer tools ask for
  if (name === 'chart.umd.js.map') return `${roots.chartJs}.map`;
  if (!OWN_ASSET.test(name)) return null;
  return path.join(roots.publicDir, name);
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}
