import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StreamcogsError } from './errors.js';
import { PLUGIN_API_VERSION } from './plugin.js';

/**
 * Where a cog came from, for error messages: an npm package and its version.
 *
 * @example
 * ```ts
 * validatePlugin(mod.default, 'streamcogs-hello', { package: 'streamcogs-hello', version: '1.2.0' });
 * ```
 */
export interface CogOrigin {
  package: string;
  version?: string;
}

/**
 * The package.json version of the package `name` whose entry file is `entry`.
 *
 * @example
 * ```ts
 * packageOrigin('streamcogs-hello', '/app/node_modules/streamcogs-hello/dist/index.js');
 * // { package: 'streamcogs-hello', version: '1.2.0' }
 * ```
 */
export function packageOrigin(name: string, entry: string): CogOrigin {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name) return { package: name, version: pkg.version };
    } catch {
      // no package.json here: keep going up
    }
    if (path.dirname(dir) === dir) return { package: name };
  }
}

/**
 * The error for a cog written for another plugin API: for an npm package, it names the
 * package and its version, and says which release to install.
 *
 * @example
 * ```ts
 * throw apiVersionError('streamcogs-hello', 2, { package: 'streamcogs-hello', version: '3.0.0' });
 * ```
 */
export function apiVersionError(
  source: string,
  version: unknown,
  origin?: CogOrigin,
): StreamcogsError {
  const newer = typeof version === 'number' && version > PLUGIN_API_VERSION;
  if (!origin)
    return new StreamcogsError(
      'SC_COG_API_VERSION',
      `cog "${source}" was written for plugin API v${String(version)}, but this streamcogs implements v${PLUGIN_API_VERSION}`,
      {
        fix: newer
          ? 'upgrade streamcogs, or install a version of the cog made for this API'
          : 'install a newer version of the cog',
      },
    );
  const pkg = origin.package;
  const at = origin.version ? `${pkg}@${origin.version}` : pkg;
  return new StreamcogsError(
    'SC_COG_API_VERSION',
    `npm package ${at} is a cog for plugin API v${String(version)}, but this streamcogs implements plugin API v${PLUGIN_API_VERSION}`,
    {
      fix: newer
        ? `upgrade streamcogs to a release with plugin API v${String(version)}, or install a release of ${pkg} made for plugin API v${PLUGIN_API_VERSION} (npm install ${pkg}@<that version>)`
        : `install a release of ${pkg} made for plugin API v${PLUGIN_API_VERSION} (npm install ${pkg}@latest), or ask its author to update it`,
    },
  );
}
