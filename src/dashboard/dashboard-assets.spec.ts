import * as path from 'node:path';
import { assetRoots, contentTypeOf, resolveAsset } from './dashboard-assets';

describe('resolveAsset', () => {
  const roots = assetRoots('/srv/tracker');

  it('should serve our own flat files from src/dashboard/public and Chart.js from node_modules', () => {
    expect(resolveAsset(roots, 'app.js')).toBe(path.join('/srv/tracker/src/dashboard/public/app.js'));
    expect(resolveAsset(roots, 'dashboard.css')).toBe(path.join('/srv/tracker/src/dashboard/public/dashboard.css'));
    expect(resolveAsset(roots, 'chart.umd.js')).toBe(path.join('/srv/tracker/node_modules/chart.js/dist/chart.umd.js'));
    expect(resolveAsset(roots, 'chart.umd.js.map')).toBe(path.join('/srv/tracker/node_modules/chart.js/dist/chart.umd.js.map'));
  });

  it('should refuse anything that could leave the folder or is not a served kind', () => {
    for (const name of ['chart.umd.min.js', '../app.module.ts', '..', '.env', 'a/b.js', 'a\\b.js', 'index.html', 'App.js', 'x.ts', '%2e%2e.js', '']) {
      expect(resolveAsset(roots, name)).toBeNull();
    }
  });
});

describe('contentTypeOf', () => {
  it('should name UTF-8 text types', () => {
    expect(contentTypeOf('/x/app.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/x/y.bin')).toBe('application/octet-stream');
  });
});
