import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../core/events.js';
import { createLogger } from '../../core/log.js';
import { createApiRouter, OPENAPI_DOCUMENT } from '../../src/api/index.js';
import { createTrackingRouter } from '../../src/discord/webhooks/tracking-router.js';

type Json = Record<string, unknown>;
type Operation = { operationId?: string; parameters?: Json[]; security?: Json[] };

const copy = (): Json => JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)) as Json;

/** Validates against the official OpenAPI JSON Schema of the version the document declares. */
async function schemaErrors(doc: Json): Promise<unknown> {
  const validator = new Validator();
  const result = await validator.validate(doc);
  expect(validator.version).toBe(String(doc.openapi).slice(0, 3));
  return result.valid ? [] : result.errors;
}

/**
 * The specification's rules that its JSON Schema cannot express: unique operationIds, every
 * `{param}` of a path declared as a path parameter (and no other), security requirements naming
 * a declared scheme.
 */
function ruleErrors(doc: Json): string[] {
  const problems: string[] = [];
  const schemes = Object.keys(((doc.components as Json).securitySchemes ?? {}) as Json);
  const checkSecurity = (security: Json[] | undefined, where: string) => {
    for (const name of (security ?? []).flatMap((req) => Object.keys(req)))
      if (!schemes.includes(name)) problems.push(`${where}: unknown security scheme ${name}`);
  };
  checkSecurity(doc.security as Json[] | undefined, 'root');
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (op.operationId === undefined || seen.has(op.operationId))
        problems.push(`${where}: missing or repeated operationId ${String(op.operationId)}`);
      seen.add(String(op.operationId));
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      if (JSON.stringify(declared.sort()) !== JSON.stringify(templated))
        problems.push(`${where}: path parameters ${declared.join()} != {${templated.join('}{')}}`);
      checkSecurity(op.security, where);
    }
  }
  return problems;
}

describe('OpenAPI document', () => {
  it('validates against the official OpenAPI schema of the version it declares (3.1)', async () => {
    expect(await schemaErrors(copy())).toEqual([]);
  });

  it('the schema validation rejects a broken document', async () => {
    const noDescription = copy();
    const listStreamers = (noDescription.paths as { '/api/streamers': { get: Json } })[
      '/api/streamers'
    ].get;
    delete ((listStreamers.responses as Json)['200'] as Json).description;
    expect(await schemaErrors(noDescription)).toContainEqual(
      expect.objectContaining({
        instancePath: '/paths/~1api~1streamers/get/responses/200',
        params: { missingProperty: 'description' },
      }),
    );
    const danglingRef = copy();
    (danglingRef.paths as Json)['/api/x'] = {
      get: { responses: { '200': { $ref: '#/components/responses/Nope' } } },
    };
    expect(await schemaErrors(danglingRef)).toMatch(/resolve #\/components\/responses\/Nope/);
  });

  it('keeps the rules the schema cannot express', () => {
    expect(ruleErrors(copy())).toEqual([]);
    const broken = copy();
    (broken.paths as Json)['/api/x/{id}'] = {
      get: { operationId: 'listStreamers', security: [{ cookie: [] }], responses: {} },
    };
    expect(ruleErrors(broken)).toEqual([
      'GET /api/x/{id}: missing or repeated operationId listStreamers',
      'GET /api/x/{id}: path parameters  != {id}',
      'GET /api/x/{id}: unknown security scheme cookie',
    ]);
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
