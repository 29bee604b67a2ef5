import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { renderSite, type NginxSiteOptions } from '../../nginx/render.js';
import { freePort, spawnDaemon, stopDaemon, waitFor } from './processes.js';

const run = promisify(execFile);

/**
 * Debian's nginx: `NGINX_BIN`, else `/usr/sbin/nginx`, else `nginx` on the PATH; undefined
 * when there is none (`.ci/run` installs it).
 *
 * @example
 * ```ts
 * const bin = findNginx(); // '/usr/sbin/nginx'
 * ```
 */
export function findNginx(): string | undefined {
  const candidates = [process.env.NGINX_BIN, '/usr/sbin/nginx'].filter(Boolean) as string[];
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    const found = execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

/** A certificate and key in certbot's file names. */
export interface TestCertificate {
  /** Folder holding `fullchain.pem` and `privkey.pem`, like `/etc/letsencrypt/live/<host>`. */
  dir: string;
  /** The certificate (PEM), to trust it as a CA in clients. */
  pem: string;
}

/**
 * Writes a self-signed certificate for `localhost` and 127.0.0.1 with Debian's openssl,
 * named as certbot names its files.
 *
 * @example
 * ```ts
 * const cert = await selfSignedCertificate(dir);
 * https.request({ host: '127.0.0.1', servername: 'localhost', ca: cert.pem });
 * ```
 */
export async function selfSignedCertificate(dir: string): Promise<TestCertificate> {
  await mkdir(dir, { recursive: true });
  const fullchain = path.join(dir, 'fullchain.pem');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'privkey.pem'),
      '-out',
      fullchain,
    ],
    { timeout: 15_000 },
  );
  return { dir, pem: await readFile(fullchain, 'utf8') };
}

/** Options of {@link startNginx}. */
export interface StartNginxOptions {
  /** App instances, `127.0.0.1:port` each. */
  upstreams: string[];
  /** Ports to use (default: free ones). */
  httpPort?: number;
  httpsPort?: number;
  /** Worker processes (default 1). */
  workers?: number | 'auto';
  /** Extra site options (the defaults point every path into the temp prefix). */
  site?: Partial<NginxSiteOptions>;
}

/** An nginx started by a test with our site config, on loopback high ports. */
export interface NginxProcess {
  bin: string;
  /** The temp prefix: config, certificate, logs, pid, temp files. */
  prefix: string;
  httpPort: number;
  httpsPort: number;
  /** `https://localhost:<port>` (connect to 127.0.0.1, SNI and Host `localhost`). */
  httpsOrigin: string;
  certificate: TestCertificate;
  /** The ACME webroot (`/.well-known/acme-challenge/` is served from here). */
  acmeRoot: string;
  /** The rendered site file, as nginx reads it. */
  siteConfig: string;
  /** The access log lines so far (`$remote_addr $status $upstream_addr "$request"`). */
  accessLog(): Promise<string[]>;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/** The test's main config: Debian's /etc/nginx/nginx.conf stripped to what a prefix needs. */
function mainConfig(prefix: string, workers: number | 'auto'): string {
  const p = (f: string): string => path.join(prefix, f);
  return [
    '# Test-only main config; production uses Debian /etc/nginx/nginx.conf, which includes',
    '# /etc/nginx/sites-enabled/* inside http { } just like the include below.',
    // Running as root (CI containers), workers would switch to www-data and could not enter
    // the 0700 temp prefix: keep them as the test user.
    process.getuid?.() === 0 ? 'user root;' : '',
    `worker_processes ${workers};`,
    'daemon off;',
    `pid ${p('nginx.pid')};`,
    `error_log ${p('error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '    default_type application/octet-stream;',
    '    log_format upstream \'$remote_addr $status $upstream_addr "$request"\';',
    `    access_log ${p('access.log')} upstream;`,
    `    client_body_temp_path ${p('tmp/body')};`,
    `    proxy_temp_path ${p('tmp/proxy')};`,
    `    fastcgi_temp_path ${p('tmp/fastcgi')};`,
    `    uwsgi_temp_path ${p('tmp/uwsgi')};`,
    `    scgi_temp_path ${p('tmp/scgi')};`,
    `    include ${p('streamcogs.conf')};`,
    '}',
    '',
  ].join('\n');
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Renders nginx/streamcogs.conf.template with every path in a temp prefix, checks it with
 * `nginx -t`, starts nginx (foreground, its own process group) and waits until both ports
 * accept connections. `stop()` shuts it down gracefully (SIGQUIT), then hard, and removes
 * the prefix.
 *
 * @example
 * ```ts
 * const nginx = await startNginx({ upstreams: ['127.0.0.1:8000'] });
 * await httpsRequest(nginx, { path: '/healthz' });
 * await nginx.stop();
 * ```
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxProcess> {
  const bin = findNginx();
  if (!bin) throw new Error('nginx not found: apt-get install -y nginx (or set NGINX_BIN)');
  const prefix = await mkdtemp(path.join(tmpdir(), 'streamcogs-nginx-'));
  try {
    await mkdir(path.join(prefix, 'tmp'));
    const acmeRoot = path.join(prefix, 'acme');
    await mkdir(path.join(acmeRoot, '.well-known', 'acme-challenge'), { recursive: true });
    const certificate = await selfSignedCertificate(path.join(prefix, 'live', 'localhost'));
    const httpPort = options.httpPort ?? (await freePort());
    const httpsPort = options.httpsPort ?? (await freePort());
    const siteConfig = await renderSite({
      serverName: 'localhost',
      upstreams: options.upstreams,
      httpListen: `127.0.0.1:${httpPort}`,
      httpsListen: `127.0.0.1:${httpsPort}`,
      certDir: certificate.dir,
      acmeRoot,
      ...options.site,
    });
    await writeFile(path.join(prefix, 'streamcogs.conf'), siteConfig);
    const conf = path.join(prefix, 'nginx.conf');
    await writeFile(conf, mainConfig(prefix, options.workers ?? 1));
    const args = ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')];
    await run(bin, [...args, '-t', '-q'], { timeout: 15_000 }).catch((err: unknown) => {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      throw new Error(`nginx -t refused the config:\n${stderr}`);
    });
    const child = spawnDaemon(bin, args, { cwd: prefix });
    let output = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
    const errorLog = (): Promise<string> =>
      readFile(path.join(prefix, 'error.log'), 'utf8').catch(() => '');
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error('exited');
          return (await listening(httpPort)) && (await listening(httpsPort));
        },
        10_000,
        'nginx did not listen',
      );
    } catch (err) {
      await stopDaemon(child, 'SIGKILL');
      throw new Error(`${(err as Error).message}: ${output}${await errorLog()}`);
    }
    let stopped: Promise<void> | undefined;
    return {
      bin,
      prefix,
      httpPort,
      httpsPort,
      httpsOrigin: `https://localhost:${httpsPort}`,
      certificate,
      acmeRoot,
      siteConfig,
      accessLog: async () =>
        (await readFile(path.join(prefix, 'access.log'), 'utf8').catch(() => ''))
          .split('\n')
          .filter(Boolean),
      errorLog,
      stop() {
        stopped ??= (async () => {
          await stopDaemon(child, 'SIGQUIT');
          await rm(prefix, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (err) {
    await rm(prefix, { recursive: true, force: true });
    throw err;
  }
}

/** Options of {@link httpsRequest} and {@link httpRequest}. */
export interface RequestOptions {
  method?: string;
  /** Sent as is: `..` and odd casing reach nginx unnormalised. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client's source address (any 127.x.y.z): lets a test tell the client from nginx. */
  localAddress?: string;
  /** A keep-alive agent (from {@link httpsAgent}); default a fresh connection. */
  agent?: https.Agent;
  /** TLS limits of the client (`minVersion`, `maxVersion`, `ciphers`). */
  tls?: Pick<https.RequestOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;
}

/** A response, with the TLS parameters it came over. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values as received (repeated headers stay repeated). */
  rawHeaders: string[];
  body: string;
  tlsVersion?: string;
  cipher?: string;
}

function collect(res: http.IncomingMessage, resolve: (r: TestResponse) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const socket = res.socket as TLSSocket | null;
    resolve({
      status: res.statusCode ?? 0,
      headers: res.headers,
      rawHeaders: res.rawHeaders,
      body: Buffer.concat(chunks).toString('utf8'),
      tlsVersion: socket?.getProtocol?.() ?? undefined,
      cipher: socket?.getCipher?.()?.name,
    });
  });
}

/**
 * A keep-alive HTTPS agent trusting the test certificate, for many requests in a row.
 *
 * @example
 * ```ts
 * const agent = httpsAgent(nginx, 8);
 * await httpsRequest(nginx, { path: '/healthz', agent });
 * agent.destroy();
 * ```
 */
export function httpsAgent(nginx: Pick<NginxProcess, 'certificate'>, maxSockets = 8): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, ca: nginx.certificate.pem });
}

/**
 * One HTTPS request to nginx: TCP to 127.0.0.1, SNI and Host `localhost`, the test
 * certificate trusted (and verified), 10 s at most.
 *
 * @example
 * ```ts
 * const res = await httpsRequest(nginx, { path: '/healthz', localAddress: '127.0.0.2' });
 * res.status; // 200
 * ```
 */
export function httpsRequest(
  nginx: Pick<NginxProcess, 'httpsPort' | 'certificate'>,
  options: RequestOptions,
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: nginx.httpsPort,
        servername: 'localhost',
        ca: nginx.certificate.pem,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `localhost:${nginx.httpsPort}`, ...options.headers },
        localAddress: options.localAddress,
        agent: options.agent ?? false,
        timeout: 10_000,
        ...options.tls,
      },
      (res) => collect(res, resolve),
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${options.path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * One plain-HTTP request to nginx's port 80 stand-in (Host `localhost`).
 *
 * @example
 * ```ts
 * const res = await httpRequest(nginx, { path: '/healthz' });
 * res.headers.location; // 'https://localhost:<https port>/healthz'
 * ```
 */
export function httpRequest(
  nginx: Pick<NginxProcess, 'httpPort'>,
  options: RequestOptions,
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: nginx.httpPort,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `localhost:${nginx.httpPort}`, ...options.headers },
        localAddress: options.localAddress,
        agent: false,
        timeout: 10_000,
      },
      (res) => collect(res, resolve),
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${options.path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
