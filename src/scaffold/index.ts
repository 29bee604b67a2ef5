/**
 * `streamcogs new cog <name>`: a new cog folder from a template, with a passing test.
 *
 * @example
 * ```ts
 * import { createCog } from './scaffold/index.js';
 * await createCog({ name: 'shout-box', catalog });
 * ```
 * @module
 */
export { createCog } from './create-cog.js';
export type { CreateCogOptions, CreatedCog } from './create-cog.js';
export { checkCogName, CogNameError } from './names.js';
export { indexTemplate, readmeTemplate, testTemplate } from './templates.js';
export type { TemplateInput } from './templates.js';
