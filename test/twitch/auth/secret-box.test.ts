import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadSecretKey,
  parseSecretKey,
  SANDBOX_KEY_FILE,
  SecretBox,
} from '../../../src/twitch/auth/secret-box.js';

const KEY = Buffer.alloc(32, 1);

describe('the key for tokens at rest', () => {
  it('reads 32 bytes as base64 or hex, and explains how to make one otherwise', () => {
    expect(parseSecretKey(KEY.toString('base64')).equals(KEY)).toBe(true);
    expect(parseSecretKey(KEY.toString('hex')).equals(KEY)).toBe(true);
    expect(() => parseSecretKey('too-short')).toThrow(/32 bytes.*randomBytes\(32\)/s);
  });

  it('is a startup error in production when missing, naming the variable', async () => {
    await expect(
      loadSecretKey({ env: {}, sandbox: false, dataDir: 'unused' }),
    ).rejects.toMatchObject({
      code: 'SC_SECRET_KEY_MISSING',
      message: expect.stringContaining('STREAMCOGS_SECRET_KEY is not set'),
    });
  });

  it('in sandbox mode is generated once into the data folder with mode 0600, then reused', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'sc-key-')), 'data');
    const first = await loadSecretKey({ env: {}, sandbox: true, dataDir });
    expect(first.source).toBe('generated');
    const file = path.join(dataDir, SANDBOX_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadSecretKey({ env: {}, sandbox: true, dataDir });
    expect(second.source).toBe('data folder');
    expect(second.key.equals(first.key)).toBe(true);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.key.toString('base64'));
  });

  it('prefers the environment even in sandbox mode', async () => {
    const got = await loadSecretKey({
      env: { STREAMCOGS_SECRET_KEY: KEY.toString('base64') },
      sandbox: true,
      dataDir: '/nonexistent',
    });
    expect(got).toMatchObject({ source: 'environment' });
  });
});

describe('SecretBox', () => {
  it('seals with AES-256-GCM (fresh IV each time) and opens only with the same key and context', () => {
    const box = new SecretBox(KEY);
    const a = box.seal({ refreshToken: 'r-123' }, 'alice');
    const b = box.seal({ refreshToken: 'r-123' }, 'alice');
    expect(a.alg).toBe('aes-256-gcm');
    expect(a.data).not.toBe(b.data);
    expect(JSON.stringify(a)).not.toContain('r-123');
    expect(box.open(a, 'alice')).toEqual({ refreshToken: 'r-123' });
    expect(() => box.open(a, 'bob')).toThrow(
      /another STREAMCOGS_SECRET_KEY.*npx streamcogs auth bob/,
    );
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(a, 'alice')).toThrow(
      /cannot be decrypted/,
    );
  });

  it('signs and verifies texts', () => {
    const box = new SecretBox(KEY);
    const sig = box.sign('payload');
    expect(box.verify('payload', sig)).toBe(true);
    expect(box.verify('payload2', sig)).toBe(false);
    expect(new SecretBox(Buffer.alloc(32, 3)).verify('payload', sig)).toBe(false);
  });
});
