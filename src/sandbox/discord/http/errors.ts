/**
 * A Discord JSON error: thrown by route handlers, written as `{ code, message, errors? }`.
 *
 * @example
 * ```ts
 * throw new ApiError(403, 50013, 'Missing Permissions');
 * ```
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The response body. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, code: this.code };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

/**
 * The error catalogue (Discord's JSON error codes).
 *
 * @example
 * ```ts
 * if (!hook) throw Errors.unknownWebhook();
 * ```
 */
export const Errors = {
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownRole: () => new ApiError(404, 10011, 'Unknown Role'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  unknownCommand: () => new ApiError(404, 10063, 'Unknown application command'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  cannotEditOthers: () =>
    new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  cannotSendEmpty: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  cannotDm: () => new ApiError(403, 50007, 'Cannot send messages to this user'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  /** 50035 Invalid Form Body with one field error, as Discord nests them. */
  invalidForm: (field: string, code: string, message: string) =>
    new ApiError(400, 50035, 'Invalid Form Body', {
      [field]: { _errors: [{ code, message }] },
    }),
} as const;
