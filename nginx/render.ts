/**
 * Renders `nginx/streamcogs.conf.template` into a site file for `/etc/nginx/sites-available/`.
 * The same function renders the config the deployment tests run, so what is documented is
 * what is tested.
 *
 * ```sh
 * npx tsx nginx/render.ts --server-name bots.example.com \
 *   --upstream 127.0.0.1:8000 --upstream 127.0.0.1:8001 \
 *   | sudo tee /etc/nginx/sites-available/streamcogs.conf
 * ```
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The template next to this file. */
export const NGINX_TEMPLATE = fileURLToPath(new URL('./streamcogs.conf.template', import.meta.url));

/** The placeholders of the template, each written `${NAME}` there. */
export const TEMPLATE_VARIABLES = [
  'SERVER_NAME',
  'PUBLIC_AUTHORITY',
  'HTTP_LISTEN',
  'HTTPS_LISTEN',
  'CERT_DIR',
  'ACME_ROOT',
  'UPSTREAM_SERVERS',
] as const;

/** One placeholder name. */
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** What varies between two deployments of the site file. */
export interface NginxSiteOptions {
  /** Public host name: PUBLIC_URL's host, the certificate's name. */
  serverName: string;
  /** App instances, `host:port` each (the `HOST`/`PORT` each instance listens on). */
  upstreams: string[];
  /** Listen address of the plain-HTTP server; default `80`. */
  httpListen?: string;
  /** Listen address of the TLS server; default `443`. */
  httpsListen?: string;
  /** Folder holding `fullchain.pem` and `privkey.pem`; default certbot's `/etc/letsencrypt/live/<serverName>`. */
  certDir?: string;
  /** Webroot for ACME HTTP-01 challenges; default `/var/www/letsencrypt`. */
  acmeRoot?: string;
  /** Where `http://` redirects to; default the server name, plus the HTTPS port unless 443. */
  publicAuthority?: string;
  /** Parameters of each upstream `server` line; default `max_fails=3 fail_timeout=10s`. */
  upstreamParameters?: string;
}

function portOf(listen: string): string {
  const first = listen.trim().split(/\s+/)[0] ?? '';
  const match = /(?:^|:)(\d+)$/.exec(first);
  return match?.[1] ?? '443';
}

/**
 * The value of every placeholder for `options`.
 *
 * @example
 * ```ts
 * siteVariables({ serverName: 'bots.example.com', upstreams: ['127.0.0.1:8000'] }).CERT_DIR;
 * // '/etc/letsencrypt/live/bots.example.com'
 * ```
 */
export function siteVariables(options: NginxSiteOptions): Record<TemplateVariable, string> {
  if (!/^[A-Za-z0-9.-]+$/.test(options.serverName))
    throw new Error(`server name "${options.serverName}" is not a host name`);
  if (options.upstreams.length === 0) throw new Error('at least one upstream is needed');
  const parameters = options.upstreamParameters ?? 'max_fails=3 fail_timeout=10s';
  const httpsListen = options.httpsListen ?? '443';
  const httpsPort = portOf(httpsListen);
  const servers = options.upstreams.map((u) => {
    if (!/^[^\s;{}]+:\d+$/.test(u)) throw new Error(`upstream "${u}" is not host:port`);
    return `server ${u}${parameters ? ` ${parameters}` : ''};`;
  });
  return {
    SERVER_NAME: options.serverName,
    PUBLIC_AUTHORITY:
      options.publicAuthority ??
      (httpsPort === '443' ? options.serverName : `${options.serverName}:${httpsPort}`),
    HTTP_LISTEN: options.httpListen ?? '80',
    HTTPS_LISTEN: httpsListen,
    CERT_DIR: options.certDir ?? `/etc/letsencrypt/live/${options.serverName}`,
    ACME_ROOT: options.acmeRoot ?? '/var/www/letsencrypt',
    UPSTREAM_SERVERS: servers.join('\n    '),
  };
}

/**
 * Replaces each `${NAME}` of `template` (envsubst's syntax; nginx's own `$variables` have no
 * braces and are left alone). Throws on a placeholder without a value, so a typo never
 * reaches nginx.
 *
 * @example
 * ```ts
 * renderTemplate('listen ${HTTP_LISTEN};', { HTTP_LISTEN: '80' }); // 'listen 80;'
 * ```
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for \${${name}} in the nginx template`);
    return value;
  });
}

/**
 * Reads the template and renders the site file for `options`.
 *
 * @example
 * ```ts
 * const conf = await renderSite({ serverName: 'bots.example.com', upstreams: ['127.0.0.1:8000'] });
 * ```
 */
export async function renderSite(options: NginxSiteOptions): Promise<string> {
  return renderTemplate(await readFile(NGINX_TEMPLATE, 'utf8'), siteVariables(options));
}

const USAGE = `usage: npx tsx nginx/render.ts --server-name HOST --upstream HOST:PORT [--upstream ...]
  [--http-listen 80] [--https-listen 443] [--cert-dir /etc/letsencrypt/live/HOST]
  [--acme-root /var/www/letsencrypt] [--public-authority HOST[:PORT]]
Prints the nginx site file on stdout.`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'server-name': { type: 'string' },
      upstream: { type: 'string', multiple: true },
      'http-listen': { type: 'string' },
      'https-listen': { type: 'string' },
      'cert-dir': { type: 'string' },
      'acme-root': { type: 'string' },
      'public-authority': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values['server-name'] || !values.upstream?.length) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  process.stdout.write(
    await renderSite({
      serverName: values['server-name'],
      upstreams: values.upstream,
      httpListen: values['http-listen'],
      httpsListen: values['https-listen'],
      certDir: values['cert-dir'],
      acmeRoot: values['acme-root'],
      publicAuthority: values['public-authority'],
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
