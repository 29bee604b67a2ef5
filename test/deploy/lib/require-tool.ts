/**
 * A system tool a deployment test needs (nginx, redis-server). Missing locally: the suite is
 * skipped with a message saying how to install it. Missing in CI (`CI=true`, where `.ci/run`
 * installs both): an error, so a broken install can never pass as a skip.
 *
 * @example
 * ```ts
 * const NGINX = requireTool('nginx', findNginx());
 * describe.skipIf(!NGINX)('nginx', () => {});
 * ```
 */
export function requireTool(name: string, found: string | undefined): string | undefined {
  if (found) return found;
  const message = `${name} not found: apt-get install -y ${name === 'nginx' ? 'nginx' : 'redis-server'}`;
  if (process.env.CI) throw new Error(`${message} (.ci/run installs it; CI must not skip)`);
  console.warn(`skipping the ${name} deployment tests: ${message}`);
  return undefined;
}
