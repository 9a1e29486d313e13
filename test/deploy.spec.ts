import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// deploy/ is documentation that must not drift from the code: the nginx example accepts what the
// tracker accepts, the timer's command line is a real one, and a production start never builds.

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, 'deploy', file), 'utf8');

function unitEnvironment(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.startsWith('Environment='))
      .map((line) => {
        const assignment = line.slice('Environment='.length);
        return [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)];
      }),
  );
}

describe('deploy/', () => {
  it('should size nginx uploads to UPLOAD_LIMIT_MB and pass the client address to a server that trusts the proxy', () => {
    const env = unitEnvironment(read('procedure-tracker.service'));
    const nginx = read('nginx-procedure-tracker.conf');
    expect(nginx).toContain(`client_max_body_size ${env.UPLOAD_LIMIT_MB}m;`);
    expect(env.TRUST_PROXY).toBe('loopback');
    expect(nginx).toContain(`proxy_pass http://127.0.0.1:${env.PORT};`);
    expect(env.HOST).toBe('127.0.0.1');
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(nginx).toMatch(/listen 443 ssl;/);
  });

  it('should back up nightly with retention through the built CLI', () => {
    const service = read('procedure-tracker-backup.service');
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/node dist\/cli\.js backup --out-dir \S+ --keep \d+/m);
    expect(read('procedure-tracker-backup.timer')).toMatch(/^OnCalendar=\*-\*-\* 02:30:00$/m);
    expect(unitEnvironment(service).NODE_ENV).toBe('production');
  });
});

describe('scripts/ensure-built.js with NODE_ENV=production', () => {
  let fake: string;
  beforeEach(() => {
    // A copy of the script in an empty tree: it resolves dist/ and src/ beside itself, and has no
    // compiler to reach for, so a build attempt would fail loudly.
    fake = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-ensure-built-'));
    fs.mkdirSync(path.join(fake, 'scripts'));
    fs.copyFileSync(path.join(root, 'scripts', 'ensure-built.js'), path.join(fake, 'scripts', 'ensure-built.js'));
    fs.mkdirSync(path.join(fake, 'src'));
  });
  afterEach(() => fs.rmSync(fake, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(fake, 'scripts', 'ensure-built.js')], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

  it('should refuse clearly when dist/ was never built', () => {
    const result = run({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run build');
    expect(fs.existsSync(path.join(fake, 'dist'))).toBe(false);
  });

  it('should start from dist/ as it is, even when the sources are newer', () => {
    fs.mkdirSync(path.join(fake, 'dist'));
    for (const file of ['main.js', 'cli.js']) fs.writeFileSync(path.join(fake, 'dist', file), '// built');
    fs.writeFileSync(path.join(fake, 'src', 'main.ts'), '// changed after the build');
    const result = run({ NODE_ENV: 'production' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(fake, 'dist', 'main.js'), 'utf8')).toBe('// built');
  });
});
