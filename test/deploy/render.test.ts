import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  NGINX_TEMPLATE,
  renderSite,
  renderTemplate,
  siteVariables,
  TEMPLATE_VARIABLES,
} from '../../nginx/render.js';

describe('nginx/render.ts', () => {
  it('uses every placeholder of the template, and nothing else', async () => {
    const template = await readFile(NGINX_TEMPLATE, 'utf8');
    const used = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...TEMPLATE_VARIABLES].sort());
  });

  it("defaults to certbot's paths, ports 80/443 and a redirect to the bare host name", async () => {
    const conf = await renderSite({
      serverName: 'bots.example.com',
      upstreams: ['127.0.0.1:8000', '10.0.0.2:8000'],
    });
    expect(conf).toContain('ssl_certificate /etc/letsencrypt/live/bots.example.com/fullchain.pem;');
    expect(conf).toContain(
      'ssl_certificate_key /etc/letsencrypt/live/bots.example.com/privkey.pem;',
    );
    expect(conf).toContain('listen 80;');
    expect(conf).toContain('listen 443 ssl;');
    expect(conf).toContain('root /var/www/letsencrypt;');
    expect(conf).toContain('return 301 https://bots.example.com$request_uri;');
    expect(conf).toMatch(
      /server 127\.0\.0\.1:8000 max_fails=3 fail_timeout=10s;\n\s+server 10\.0\.0\.2:8000 max_fails=3/,
    );
    expect(conf).not.toMatch(/\$\{/);
  });

  it('redirects to the HTTPS port when it is not 443', () => {
    const v = siteVariables({
      serverName: 'localhost',
      upstreams: ['127.0.0.1:1'],
      httpsListen: '127.0.0.1:8443',
    });
    expect(v.PUBLIC_AUTHORITY).toBe('localhost:8443');
    const v6 = siteVariables({
      serverName: 'h.example',
      upstreams: ['127.0.0.1:1'],
      httpsListen: '[::]:443 ipv6only=off',
    });
    expect(v6.PUBLIC_AUTHORITY).toBe('h.example');
  });

  it('refuses what would break or inject into the config', () => {
    const ok = { serverName: 'bots.example.com', upstreams: ['127.0.0.1:8000'] };
    expect(() => siteVariables({ ...ok, upstreams: [] })).toThrow(/at least one upstream/);
    expect(() => siteVariables({ ...ok, upstreams: ['127.0.0.1:8000; evil'] })).toThrow(
      /not host:port/,
    );
    expect(() => siteVariables({ ...ok, serverName: 'a b;' })).toThrow(/not a host name/);
    expect(() => renderTemplate('listen ${HTTP_LISTN};', { HTTP_LISTEN: '80' })).toThrow(
      /no value for \$\{HTTP_LISTN\}/,
    );
    expect(renderTemplate('proxy_set_header Host $host;', {})).toBe('proxy_set_header Host $host;');
  });
});
