import { describe, expect, it } from 'vitest';
import { EventBus } from '../../core/events.js';
import { createLogger } from '../../core/log.js';
import { createApiRouter, OPENAPI_DOCUMENT } from '../../src/api/index.js';
import { createTrackingRouter } from '../../src/discord/webhooks/tracking-router.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Structural checks of an OpenAPI 3.1 document; returns every problem found. */
function validate(doc: Json): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => void (ok || problems.push(what));
  need(typeof doc.openapi === 'string' && /^3\.1\.\d+$/.test(doc.openapi), 'openapi: 3.1.x');
  const info = doc.info as Json | undefined;
  need(typeof info?.title === 'string' && typeof info.version === 'string', 'info.title/version');
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const checkSecurity = (security: unknown, where: string) => {
    if (security === undefined) return;
    need(Array.isArray(security), `${where}.security is a list`);
    for (const req of security as Json[])
      for (const name of Object.keys(req))
        need(name in schemes, `${where}: unknown scheme ${name}`);
  };
  checkSecurity(doc.security, 'root');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    need(path.startsWith('/'), `${path}: starts with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item as Json)) {
      const where = `${method.toUpperCase()} ${path}`;
      need(METHODS.includes(method), `${where}: a method`);
      const o = op as Json;
      need(typeof o.operationId === 'string', `${where}: operationId`);
      need(!operationIds.has(String(o.operationId)), `${where}: unique operationId`);
      operationIds.add(String(o.operationId));
      const params = (o.parameters ?? []) as Json[];
      for (const p of params) {
        need(['query', 'header', 'path', 'cookie'].includes(String(p.in)), `${where}: param in`);
        need(
          typeof p.name === 'string' && typeof p.schema === 'object',
          `${where}: param name/schema`,
        );
        if (p.in === 'path')
          need(
            p.required === true && templated.includes(String(p.name)),
            `${where}: path param ${String(p.name)}`,
          );
      }
      for (const t of templated)
        need(
          params.some((p) => p.in === 'path' && p.name === t),
          `${where}: declares {${t}}`,
        );
      const responses = (o.responses ?? {}) as Json;
      need(Object.keys(responses).length > 0, `${where}: responses`);
      for (const [code, r] of Object.entries(responses)) {
        need(/^([1-5](\d\d|XX)|default)$/.test(code), `${where}: status ${code}`);
        need(typeof (r as Json).description === 'string', `${where} ${code}: description`);
      }
      checkSecurity(o.security, where);
    }
  }
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, part) => (at && typeof at === 'object' ? (at as Json)[part] : undefined),
        doc,
      );
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        need(typeof v === 'string' && v.startsWith('#/'), `${at}: local $ref`);
        need(resolve(String(v)) !== undefined, `${at}: $ref ${String(v)} resolves`);
      } else walk(v, `${at}.${k}`);
    }
  };
  walk(doc, '#');
  return problems;
}

describe('OpenAPI document', () => {
  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(validate(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)) as Json)).toEqual([]);
  });

  it('the validator catches a broken document', () => {
    const broken = JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)) as Json;
    (broken.paths as Json)['/api/x/{id}'] = { get: { responses: { '200': { $ref: '#/nope' } } } };
    expect(validate(broken).length).toBeGreaterThanOrEqual(3);
  });

  it('documents exactly the routes /api serves: the status API and the go-live tracking API', () => {
    const options = {
      runtime: { bus: new EventBus(), config: { file: 'bots.yaml', bots: [] } },
      env: {},
      log: createLogger({ level: 'silent', pretty: false }),
    };
    const tracking = createTrackingRouter(options);
    tracking.close();
    const served = [...createApiRouter(options).stack, ...tracking.stack]
      .flatMap((layer) =>
        layer.methods
          .filter((m) => m !== 'HEAD')
          .map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
      )
      .sort();
    const documented = Object.entries(OPENAPI_DOCUMENT.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
      .sort();
    expect(served).toEqual(documented);
  });
});
