import type { SandboxMentions } from './model.js';

/** The `allowed_mentions` object of a message create/execute body. */
export interface AllowedMentions {
  parse?: ('users' | 'roles' | 'everyone')[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/**
 * Checks an `allowed_mentions` object the way Discord validates it; returns an error
 * text (for a 400 Invalid Form Body) or null.
 *
 * @example
 * ```ts
 * validateAllowedMentions({ parse: ['users'], users: ['1'] }); // 'parse:users and users are mutually exclusive'
 * ```
 */
export function validateAllowedMentions(allowed: unknown): string | null {
  if (allowed === undefined || allowed === null) return null;
  if (typeof allowed !== 'object') return 'allowed_mentions must be an object';
  const a = allowed as AllowedMentions;
  const parse = a.parse ?? [];
  if (!Array.isArray(parse) || parse.some((p) => !['users', 'roles', 'everyone'].includes(p))) {
    return 'allowed_mentions.parse has an invalid value';
  }
  if (parse.includes('users') && (a.users?.length ?? 0) > 0) {
    return 'parse:users and users are mutually exclusive';
  }
  if (parse.includes('roles') && (a.roles?.length ?? 0) > 0) {
    return 'parse:roles and roles are mutually exclusive';
  }
  if ((a.users?.length ?? 0) > 100 || (a.roles?.length ?? 0) > 100) return 'at most 100 ids';
  return null;
}

/**
 * Resolves which mentions in `content` actually ping, honouring `allowed_mentions`
 * (absent = everything parses, Discord's default). Unknown user ids are dropped.
 *
 * @example
 * ```ts
 * resolveMentions('hi <@1> <@&2> @everyone', { parse: ['roles'] }, (id) => id === '1');
 * // { users: [], roles: ['2'], everyone: false }
 * ```
 */
export function resolveMentions(
  content: string,
  allowed: AllowedMentions | undefined | null,
  userExists: (id: string) => boolean,
): SandboxMentions {
  const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
  const userIds = new Set<string>();
  const roleIds = new Set<string>();
  for (const m of content.matchAll(/<@(!|&)?(\d{15,21})>/g)) {
    const id = m[2] as string;
    if (m[1] === '&') roleIds.add(id);
    else userIds.add(id);
  }
  const users = [...userIds].filter(
    (id) => userExists(id) && (parse.includes('users') || (allowed?.users ?? []).includes(id)),
  );
  const roles = [...roleIds].filter(
    (id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id),
  );
  const everyone = parse.includes('everyone') && /@(everyone|here)\b/.test(content);
  return { users, roles, everyone };
}
