import { describe, expect, it } from 'vitest';
import { diffLinks } from '../../../plugins/sub-roles/diff.js';
import {
  applySub,
  desiredRoles,
  effectiveSub,
  needsSync,
  syncKey,
  toTier,
  type Link,
  type RoleIds,
} from '../../../plugins/sub-roles/model.js';
import { subRolesSettings } from '../../../plugins/sub-roles/settings.js';

const DAY = 86_400_000;
const IDS: RoleIds = {
  tiers: { '1000': 't1', '2000': 't2', '3000': 't3' },
  any: 'sub',
  gifted: 'gift',
};

function link(over: Partial<Link> = {}): Link {
  return {
    discordId: 'd1',
    twitchId: 'w1',
    login: 'ada',
    linkedAt: 0,
    sub: null,
    subAt: 0,
    roles: [],
    version: 1,
    ...over,
  };
}

describe('sub-roles model', () => {
  it('reads tiers, Prime counting as Tier 1', () => {
    expect([toTier('1000'), toTier('2000'), toTier('3000'), toTier('prime')]).toEqual([
      '1000',
      '2000',
      '3000',
      '1000',
    ]);
  });

  it('gives the tier role, the any-sub role and, for gifts, the gifted role', () => {
    expect(desiredRoles(link({ sub: { tier: '2000', gift: false } }), IDS, 0)).toEqual([
      'sub',
      't2',
    ]);
    expect(desiredRoles(link({ sub: { tier: '1000', gift: true } }), IDS, 0)).toEqual([
      'gift',
      'sub',
      't1',
    ]);
    expect(desiredRoles(link(), IDS, 0)).toEqual([]);
    expect(
      desiredRoles(link({ sub: { tier: '3000', gift: true } }), { tiers: { '1000': 't1' } }, 0),
    ).toEqual([]);
  });

  it('keeps the roles of an ended sub during the grace period, not after', () => {
    const {
      link: ended,
      graceStarted,
      changed,
    } = applySub(link({ sub: { tier: '1000', gift: false }, subAt: 10 }), null, 100, 3 * DAY);
    expect({ graceStarted, changed }).toEqual({ graceStarted: true, changed: true });
    expect(ended.graceUntil).toBe(100 + 3 * DAY);
    expect(desiredRoles(ended, IDS, 100 + 3 * DAY - 1)).toEqual(['sub', 't1']);
    expect(desiredRoles(ended, IDS, 100 + 3 * DAY)).toEqual([]);
    const back = applySub(ended, { tier: '2000', gift: false }, 200, 3 * DAY).link;
    expect(back.graceUntil).toBeUndefined();
    expect(back.ended).toBeUndefined();
    expect(desiredRoles(back, IDS, 100 + 4 * DAY)).toEqual(['sub', 't2']);
  });

  it('ignores news older than what the link knows, and repeats without a new version', () => {
    const l = link({ sub: { tier: '2000', gift: false }, subAt: 500 });
    expect(applySub(l, null, 400, DAY)).toMatchObject({ changed: false, link: l });
    const same = applySub(l, { tier: '2000', gift: false }, 600, DAY);
    expect(same.changed).toBe(false);
    expect(same.link.version).toBe(l.version);
    expect(applySub(l, { tier: '3000', gift: false }, 600, DAY).link.version).toBeGreaterThan(
      l.version,
    );
  });

  it('a due relink removes the roles at its deadline even while subscribed', () => {
    const l = link({
      sub: { tier: '1000', gift: false },
      relink: 'tier_changed',
      graceUntil: 1000,
    });
    expect(effectiveSub(l, 999)).toEqual({ tier: '1000', gift: false });
    expect(effectiveSub(l, 1000)).toBeNull();
  });

  it('needs a sync only when applied roles differ, never for members who left', () => {
    const l = link({ sub: { tier: '1000', gift: false }, roles: ['t1', 'sub'] });
    expect(needsSync(l, IDS, 0)).toBe(false);
    expect(needsSync({ ...l, roles: ['t1'] }, IDS, 0)).toBe(true);
    expect(needsSync({ ...l, roles: [], left: true }, IDS, 0)).toBe(false);
  });

  it('keys a role job by member, version and target: the same change, the same key', () => {
    const a = syncKey({ discordId: 'd1', version: 4 }, ['sub', 't1']);
    expect(a).toBe(syncKey({ discordId: 'd1', version: 4 }, ['sub', 't1']));
    expect(a).not.toBe(syncKey({ discordId: 'd1', version: 4 }, ['sub', 't2']));
    expect(a).not.toBe(syncKey({ discordId: 'd1', version: 5 }, ['sub', 't1']));
    expect(a.startsWith('sync:d1:4:')).toBe(true);
  });

  it('diffs links against the subscriber list without changing them', () => {
    const links = [
      link({
        discordId: 'a',
        twitchId: 'A',
        sub: { tier: '1000', gift: false },
        roles: ['sub', 't1'],
      }),
      link({
        discordId: 'b',
        twitchId: 'B',
        sub: { tier: '1000', gift: false },
        roles: ['sub', 't1'],
      }),
      link({
        discordId: 'c',
        twitchId: 'C',
        sub: { tier: '1000', gift: false },
        roles: ['sub', 't1'],
      }),
      link({ discordId: 'e', twitchId: 'E', sub: null, roles: [] }),
    ];
    const frozen = JSON.stringify(links);
    const subs = new Map([
      ['A', { tier: '3000' as const, gift: false }],
      ['C', { tier: '1000' as const, gift: false }],
      ['E', { tier: '1000' as const, gift: true }],
    ]);
    const rows = diffLinks(links, subs, IDS, 10, DAY);
    expect(rows.map((r) => [r.discordId, r.after, r.why])).toEqual([
      ['a', ['sub', 't3'], 'tier changed'],
      ['b', ['sub', 't1'], 'subscription ended: grace period starts, roles kept until it ends'],
      ['e', ['gift', 'sub', 't1'], 'subscribed'],
    ]);
    expect(JSON.stringify(links)).toBe(frozen);
  });

  it('settings: defaults, and at least one role', () => {
    const s = subRolesSettings.parse({});
    expect(s).toMatchObject({
      roles: { '1000': 'Tier 1', '2000': 'Tier 2', '3000': 'Tier 3' },
      reconcile_minutes: 60,
      grace_days: 3,
    });
    expect(subRolesSettings.safeParse({ roles: {} }).success).toBe(false);
    expect(subRolesSettings.safeParse({ roles: {}, any_sub_role: 'Subs' }).success).toBe(true);
    expect(subRolesSettings.safeParse({ roles: { '4000': 'x' } }).success).toBe(false);
  });
});
