/** A name a cog may take: kebab-case, starting with a letter. */
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Why a cog name was refused, and what to do.
 *
 * @example
 * ```ts
 * try {
 *   checkCogName('Bad_Name', []);
 * } catch (err) {
 *   if (err instanceof CogNameError) console.error(err.message, err.fix);
 * }
 * ```
 */
export class CogNameError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} (fix: ${fix})`);
    this.name = 'CogNameError';
  }
}

/** The kebab-case spelling of a name typed another way (`My_Cog` -> `my-cog`). */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/**
 * Checks a new cog's name: kebab-case (it is the folder name and what bots.yaml lists), 2 to
 * 40 characters, not npm-package-like (`streamcogs-*` and `@scope/*` are looked up in
 * node_modules), and not taken by an installed or retired cog.
 *
 * @example
 * ```ts
 * checkCogName('shout-box', ['echo-console']); // ok
 * checkCogName('Shout_Box', []); // throws: use "shout-box"
 * ```
 */
export function checkCogName(name: string, taken: readonly string[]): void {
  if (!KEBAB.test(name)) {
    const better = kebab(name);
    throw new CogNameError(
      `"${name}" is not a valid cog name: use lower-case letters, digits and dashes, starting with a letter`,
      KEBAB.test(better) ? `call it "${better}"` : 'pick a name like "shout-box"',
    );
  }
  if (name.length < 2 || name.length > 40)
    throw new CogNameError(`"${name}" must be 2 to 40 characters long`, 'pick a shorter name');
  if (name.startsWith('streamcogs-'))
    throw new CogNameError(
      `"${name}" looks like an npm package name: bots.yaml would look for it in node_modules`,
      `drop the prefix: "${name.slice('streamcogs-'.length) || 'my-cog'}"`,
    );
  if (taken.includes(name))
    throw new CogNameError(`a cog named "${name}" already exists`, 'pick another name');
}
