/**
 * The sandbox banner: a few plain lines that tell a newcomer where the console is, printed
 * on stdout next to the (possibly JSON) logs.
 *
 * @example
 * ```ts
 * bannerText('http://127.0.0.1:8000/sandbox', ['demo_bot']);
 * ```
 */
export function bannerText(consoleUrl: string, bots: readonly string[]): string {
  const lines = [
    'streamcogs is running in SANDBOX mode (no Twitch or Discord credentials found).',
    `Bots (${bots.length}): ${bots.join(', ') || 'none'}, talking to local Twitch and Discord simulators.`,
    `Open the console:  ${consoleUrl}`,
    'Add credentials to .env to use the real platforms (see docs/sandbox.md).',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((l) => `| ${l.padEnd(width)} |`), rule, ''].join('\n');
}

/**
 * Writes {@link bannerText} to `out` (stdout), except under a test runner
 * (`NODE_ENV=test` or `VITEST`), where it would only be noise.
 *
 * @example
 * ```ts
 * printBanner('http://127.0.0.1:8000/sandbox', ['demo_bot']);
 * ```
 */
export function printBanner(
  consoleUrl: string,
  bots: readonly string[],
  out: { write(text: string): unknown } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.VITEST || env.NODE_ENV === 'test') return false;
  out.write(bannerText(consoleUrl, bots));
  return true;
}
