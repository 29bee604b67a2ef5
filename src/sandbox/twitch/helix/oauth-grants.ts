import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenResponse } from './oauth-store.js';

/** A device-code grant waiting for (or holding) the user's approval. */
export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  userId: string | null;
}

interface PendingCode {
  clientId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random token of `length` characters from `chars` (Twitch tokens are lowercase alphanumeric).
 *
 * @example
 * ```ts
 * randomToken(30); // 'k3j2...'
 * ```
 */
export function randomToken(length: number, chars = alphabet): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += chars[b % chars.length];
  return out;
}

/**
 * Authorization codes and device-code grants: both end in tokens issued by `issue`.
 *
 * @example
 * ```ts
 * const grants = new PendingGrants(() => Date.now(), (c, u, s) => store.issueUserToken(c, u, s));
 * const device = grants.startDevice('cid', ['chat:read']);
 * grants.approveDevice(device.userCode, '123');
 * grants.pollDevice('cid', device.deviceCode); // tokens
 * ```
 */
export class PendingGrants {
  /** Lifetime of device codes in seconds. */
  deviceCodeExpiresIn = 1_800;
  private readonly codes = new Map<string, PendingCode>();
  private readonly devices = new Map<string, DeviceGrant>();

  constructor(
    private readonly now: () => number,
    private readonly issue: (clientId: string, userId: string, scopes: string[]) => TokenResponse,
  ) {}

  /**
   * Creates a one-time authorization code (valid 10 minutes).
   *
   * @example
   * ```ts
   * const code = grants.createCode('cid', '123', ['chat:read'], 'http://localhost/cb');
   * ```
   */
  createCode(clientId: string, userId: string, scopes: string[], redirectUri: string): string {
    const code = randomToken(30);
    const expiresAt = this.now() + 600_000;
    this.codes.set(code, { clientId, userId, scopes: [...scopes], redirectUri, expiresAt });
    return code;
  }

  /**
   * Redeems an authorization code; a string result is the Twitch error message.
   *
   * @example
   * ```ts
   * const res = grants.exchangeCode('cid', code, 'http://localhost/cb');
   * ```
   */
  exchangeCode(clientId: string, code: string, redirectUri: string): TokenResponse | string {
    const pending = this.codes.get(code);
    if (!pending || pending.clientId !== clientId || pending.expiresAt <= this.now()) {
      return 'Invalid authorization code';
    }
    if (pending.redirectUri !== redirectUri) {
      return 'Parameter redirect_uri does not match registered URI';
    }
    this.codes.delete(code);
    return this.issue(clientId, pending.userId, pending.scopes);
  }

  /**
   * Starts a device-code grant.
   *
   * @example
   * ```ts
   * const grant = grants.startDevice('cid', ['chat:read']);
   * ```
   */
  startDevice(clientId: string, scopes: string[]): DeviceGrant {
    const grant: DeviceGrant = {
      deviceCode: randomUUID().replace(/-/g, ''),
      userCode: randomToken(8, 'ABCDEFGHJKLMNPQRSTUVWXYZ'),
      clientId,
      scopes: [...scopes],
      expiresAt: this.now() + this.deviceCodeExpiresIn * 1000,
      userId: null,
    };
    this.devices.set(grant.deviceCode, grant);
    return grant;
  }

  /**
   * Approves a pending device grant by its user code.
   *
   * @example
   * ```ts
   * grants.approveDevice('ABCDEFGH', '123'); // true when the code was pending
   * ```
   */
  approveDevice(userCode: string, userId: string): boolean {
    const wanted = userCode.trim().toUpperCase();
    for (const grant of this.devices.values()) {
      if (grant.userCode === wanted && grant.expiresAt > this.now() && grant.userId === null) {
        grant.userId = userId;
        return true;
      }
    }
    return false;
  }

  /**
   * Polls a device grant: tokens once approved, else `'authorization_pending'` or
   * `'invalid device code'`.
   *
   * @example
   * ```ts
   * const res = grants.pollDevice('cid', deviceCode);
   * ```
   */
  pollDevice(clientId: string, deviceCode: string): TokenResponse | string {
    const grant = this.devices.get(deviceCode);
    if (!grant || grant.clientId !== clientId || grant.expiresAt <= this.now()) {
      return 'invalid device code';
    }
    if (grant.userId === null) return 'authorization_pending';
    this.devices.delete(deviceCode);
    return this.issue(clientId, grant.userId, grant.scopes);
  }
}
