import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplate, siteVariables, TEMPLATE_VARIABLES } from '../../nginx/render.js';
import { findNginx, selfSignedCertificate } from '../helpers/nginx.js';
import { requireTool } from './lib/require-tool.js';

// Docker cannot run here: these checks keep the Docker, compose and systemd files consistent
// with what the other deployment tests run for real and with what the code reads.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const read = (f: string): Promise<string> => readFile(path.join(ROOT, f), 'utf8');

interface ComposeService {
  environment?: Record<string, string>;
  volumes?: string[];
  env_file?: string;
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

let sourceText = '';
let documented = '';
let compose: { services: Record<string, ComposeService> };
let tmp = '';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Compose's own interpolation of `${NAME}` and `${NAME:?message}`, from `env`. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(:\?[^}]*)?\}/g, (_a, name: string) => env[name] ?? '');
}

/** Every variable name the application reads (`env.NAME`, `env['NAME']`, or a `*_VAR` constant). */
function readByCode(name: string): boolean {
  if (/^[A-Z][A-Z0-9_]*_(CLIENT_ID|CLIENT_SECRET|DISCORD_TOKEN)$/.test(name)) return true;
  return new RegExp(`\\b${name}\\b`).test(sourceText);
}

beforeAll(async () => {
  const files = [...(await filesUnder('core')), ...(await filesUnder('src'))];
  sourceText = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
  documented = (await read('docs/configuration.md')) + (await read('docs/deployment.md'));
  compose = parse(await read('docker-compose.yml')) as typeof compose;
  tmp = await mkdtemp(path.join(tmpdir(), 'streamcogs-deploy-files-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('mounts nginx/streamcogs.conf.template and sets exactly its placeholders', () => {
    const nginx = compose.services.nginx!;
    const mount = nginx.volumes?.find((v) => v.includes('/etc/nginx/templates/'));
    expect(mount).toBeDefined();
    const [source, target] = mount!.split(':');
    expect(source).toBe('./nginx/streamcogs.conf.template');
    expect(existsSync(path.join(ROOT, source!))).toBe(true);
    expect(target).toMatch(/^\/etc\/nginx\/templates\/[\w.-]+\.conf\.template$/);
    expect(Object.keys(nginx.environment ?? {}).sort()).toEqual([...TEMPLATE_VARIABLES].sort());
  });

  it("renders, with compose's values, to a config nginx -t accepts", async (ctx) => {
    const bin = requireTool('nginx', findNginx()); // an error under CI, a skip elsewhere
    if (!bin) return ctx.skip();
    const env = { SERVER_NAME: 'bots.example.com' };
    const values = Object.fromEntries(
      Object.entries(compose.services.nginx!.environment ?? {}).map(([k, v]) => [
        k,
        interpolate(String(v), env),
      ]),
    );
    // Compose's values are certbot's path and the app service; swap those two for things
    // that exist here, after checking them.
    expect(values.CERT_DIR).toBe('/etc/letsencrypt/live/bots.example.com');
    const appPort = compose.services.app!.environment?.PORT;
    expect(values.UPSTREAM_SERVERS).toBe(
      siteVariables({ serverName: 'x', upstreams: [`app:${appPort}`] }).UPSTREAM_SERVERS,
    );
    const cert = await selfSignedCertificate(path.join(tmp, 'cert'));
    const site = renderTemplate(await read('nginx/streamcogs.conf.template'), {
      ...values,
      CERT_DIR: cert.dir,
      UPSTREAM_SERVERS: values.UPSTREAM_SERVERS!.replace('app:', '127.0.0.1:'),
    });
    await writeFile(path.join(tmp, 'site.conf'), site);
    const main = [
      `pid ${tmp}/nginx.pid;`,
      'events {}',
      `http { include ${tmp}/site.conf; }`,
      '',
    ].join('\n');
    await writeFile(path.join(tmp, 'nginx.conf'), main);
    const { stderr } = await run(
      bin,
      ['-t', '-p', tmp, '-c', `${tmp}/nginx.conf`, '-e', `${tmp}/error.log`],
      { timeout: 15_000 },
    );
    expect(stderr).toMatch(/test is successful/);
  });

  it('gives the app only variables the code reads, Redis as storage, and a graceful stop', () => {
    const app = compose.services.app!;
    const env = app.environment ?? {};
    for (const name of Object.keys(env)) expect([name, readByCode(name)]).toEqual([name, true]);
    expect(env.STORAGE_URL).toBe('redis://redis:6379');
    expect(compose.services.redis).toBeDefined();
    expect(env.PUBLIC_URL).toMatch(/^https:\/\//);
    expect(app.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(parseInt(app.stop_grace_period ?? '0', 10)).toBeGreaterThan(10); // the app's own deadline
    expect(app.volumes).toContain('./bots.yaml:/app/bots.yaml:ro');
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, runs as a non-root user, checks /healthz and starts the CLI', async () => {
    const text = await read('Dockerfile');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/^USER (?!root\b|0\b)\S+/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(runtime).toMatch(/^CMD \["node", "bin\/streamcogs\.js", "start"\]/m);
    expect(runtime).toMatch(
      new RegExp(`^EXPOSE ${compose.services.app!.environment?.PORT ?? 'none'}$`, 'm'),
    );
    for (const [, src] of runtime.matchAll(/^COPY (?!--from)(\S+)/gm))
      expect([src, existsSync(path.join(ROOT, src!))]).toEqual([src, true]);
    // `npm ci --omit=dev` keeps tsx only because tsx is a runtime dependency.
    expect(text).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(await read('package.json')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.tsx).toBeDefined();
    for (const name of text.matchAll(/^\s+(\w+)=\S+(?: \\)?$/gm))
      expect([name[1], readByCode(name[1]!)]).toEqual([name[1], true]);
  });

  it('.dockerignore keeps secrets and local state out of the image', async () => {
    const lines = (await read('.dockerignore')).split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'data', 'bots.yaml', 'node_modules'])
      expect(lines).toContain(entry);
  });
});

describe('systemd units', () => {
  function directives(text: string): Map<string, string[]> {
    const map = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (m) map.set(m[1]!, [...(map.get(m[1]!) ?? []), m[2]!]);
    }
    return map;
  }

  for (const unit of ['deploy/streamcogs.service', 'deploy/streamcogs@.service']) {
    it(`${unit}: non-root, EnvironmentFile, SIGTERM with time to drain, restart on failure, hardened`, async () => {
      const d = directives(await read(unit));
      const one = (k: string): string | undefined => d.get(k)?.at(-1);
      expect(one('User')).toMatch(/^(?!root$)\w+/);
      expect(one('EnvironmentFile')).toMatch(/^\/etc\/streamcogs\/[\w.-]+\.env$/);
      expect(one('Restart')).toBe('on-failure');
      expect(one('KillSignal')).toBe('SIGTERM');
      expect(Number(one('TimeoutStopSec'))).toBe(15);
      expect(one('ExecStart')).toMatch(/ \/opt\/streamcogs\/bin\/streamcogs\.js start$/);
      for (const k of ['NoNewPrivileges', 'PrivateTmp', 'ProtectHome']) expect(one(k)).toBe('yes');
      expect(one('ProtectSystem')).toBe('strict');
      for (const env of d.get('Environment') ?? []) {
        const name = env.split('=')[0]!;
        expect([name, readByCode(name)]).toEqual([name, true]);
      }
      expect(d.get('Environment')).toContain('HOST=127.0.0.1'); // only nginx reaches it
    });
  }

  it('the env file example names only variables the code reads, all documented', async () => {
    const text = await read('deploy/streamcogs.env.example');
    const names = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect(names).toContain('EVENTSUB_SECRET');
    for (const name of names) {
      expect([name, readByCode(name)]).toEqual([name, true]);
      const generic = name.replace(/^[A-Z0-9]+_(CLIENT_ID|CLIENT_SECRET|DISCORD_TOKEN)$/, '$1');
      expect([name, documented.includes(generic)]).toEqual([name, true]);
    }
  });
});

describe('docs/deployment.md', () => {
  it('its nginx command renders the tested template with certbot paths', async () => {
    const docs = await read('docs/deployment.md');
    const command = /^npx tsx nginx\/render\.ts (.+?)(?: \\)?$/m.exec(docs);
    expect(command).not.toBeNull();
    // The command may continue on the next lines (`\`); take the whole of it.
    const start = docs.indexOf(command![0]);
    const block = docs.slice(start, docs.indexOf('\n```', start));
    const args = block.replace(/\\\n/g, ' ').split('|')[0]!.split(/\s+/).filter(Boolean).slice(3);
    const { stdout } = await run(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'nginx/render.ts', ...args],
      { cwd: ROOT, timeout: 30_000 },
    );
    expect(stdout).toMatch(/ssl_certificate \/etc\/letsencrypt\/live\/[\w.-]+\/fullchain\.pem;/);
    expect(stdout).toMatch(/ssl_certificate_key \/etc\/letsencrypt\/live\/[\w.-]+\/privkey\.pem;/);
    expect(stdout).toMatch(/upstream streamcogs_app \{\n\s+server 127\.0\.0\.1:8000 /);
  });
});
