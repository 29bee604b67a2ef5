import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuthError, authCommand } from './errors.js';

/** An encrypted value as stored: AES-256-GCM, every field base64. */
export interface SealedValue {
  v: 1;
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

/**
 * The variable holding the key that encrypts tokens at rest.
 *
 * @example
 * ```ts
 * process.env[SECRET_KEY_VARIABLE]; // the key, base64 or hex
 * ```
 */
export const SECRET_KEY_VARIABLE = 'STREAMCOGS_SECRET_KEY';
/**
 * The file the sandbox keeps its generated key in, inside the data folder.
 *
 * @example
 * ```ts
 * path.join(dataDir, SANDBOX_KEY_FILE); // data/secret.key
 * ```
 */
export const SANDBOX_KEY_FILE = 'secret.key';
const GENERATE_HINT = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))" and set ${SECRET_KEY_VARIABLE}`;

/**
 * Reads a 32-byte key written as base64 (44 characters) or hex (64 characters).
 *
 * @example
 * ```ts
 * const key = parseSecretKey(process.env.STREAMCOGS_SECRET_KEY ?? '');
 * ```
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new AuthError(
      'SC_SECRET_KEY_INVALID',
      `${SECRET_KEY_VARIABLE} must be 32 bytes as base64 or hex (it decodes to ${key.length} bytes)`,
      { fix: GENERATE_HINT },
    );
  return key;
}

/** Where a key came from. */
export type SecretKeySource = 'environment' | 'data folder' | 'generated';

/**
 * The key for tokens at rest: `STREAMCOGS_SECRET_KEY`, required in production. In sandbox
 * mode a missing key is generated once and kept in `<dataDir>/secret.key` (mode 0600).
 *
 * @example
 * ```ts
 * const { key } = await loadSecretKey({ env: process.env, sandbox: false, dataDir: 'data' });
 * ```
 */
export async function loadSecretKey(options: {
  env: Record<string, string | undefined>;
  sandbox: boolean;
  dataDir: string;
}): Promise<{ key: Buffer; source: SecretKeySource }> {
  const fromEnv = options.env[SECRET_KEY_VARIABLE];
  if (fromEnv) return { key: parseSecretKey(fromEnv), source: 'environment' };
  if (!options.sandbox)
    throw new AuthError(
      'SC_SECRET_KEY_MISSING',
      `${SECRET_KEY_VARIABLE} is not set: it encrypts the bots' Twitch tokens in storage`,
      { fix: `${GENERATE_HINT} (keep it: tokens stored with one key cannot be read with another)` },
    );
  const file = path.join(options.dataDir, SANDBOX_KEY_FILE);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return { key: parseSecretKey(existing), source: 'data folder' };
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
    async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    },
  );
  await chmod(file, 0o600);
  return { key: parseSecretKey(await readFile(file, 'utf8')), source: 'generated' };
}

/**
 * Encrypts values for storage (AES-256-GCM, a fresh IV each time, bound to a context
 * such as the bot name) and signs short texts (HMAC-SHA256), with keys derived from one
 * secret.
 *
 * @example
 * ```ts
 * const box = new SecretBox(key);
 * const sealed = box.seal({ refreshToken: 'r' }, 'alice');
 * box.open<{ refreshToken: string }>(sealed, 'alice').refreshToken; // 'r'
 * ```
 */
export class SecretBox {
  readonly #encryption: Buffer;
  readonly #signing: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#encryption = Buffer.from(hkdfSync('sha256', key, '', 'streamcogs:encrypt', 32));
    this.#signing = Buffer.from(hkdfSync('sha256', key, '', 'streamcogs:sign', 32));
  }

  /** Encrypts `value` (JSON); `context` must be given again to open it. */
  seal(value: unknown, context: string): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryption, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return {
      v: 1,
      alg: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** Decrypts a {@link SealedValue}; throws when the key or context differs. */
  open<T>(sealed: SealedValue, context: string): T {
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.#encryption,
        Buffer.from(sealed.iv, 'base64'),
      );
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const text = Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text) as T;
    } catch (err) {
      throw new AuthError(
        'SC_SECRET_KEY_MISMATCH',
        `a stored token for "${context}" cannot be decrypted: it was written with another ${SECRET_KEY_VARIABLE}`,
        {
          fix: `restore the previous key, or authorise again: ${authCommand(context)}`,
          cause: err,
        },
      );
    }
  }

  /** HMAC-SHA256 of `text`, base64url. */
  sign(text: string): string {
    return createHmac('sha256', this.#signing).update(text).digest('base64url');
  }

  /** Whether `signature` is {@link SecretBox.sign} of `text` (constant time). */
  verify(text: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(text));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/**
 * Whether a stored value looks like a {@link SealedValue}.
 *
 * @example
 * ```ts
 * if (isSealed(raw)) box.open(raw, 'alice');
 * ```
 */
export function isSealed(value: unknown): value is SealedValue {
  const v = value as Partial<SealedValue> | undefined;
  return !!v && v.v === 1 && typeof v.iv === 'string' && typeof v.data === 'string';
}
