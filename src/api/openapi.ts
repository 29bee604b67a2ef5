const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const reply = (description: string, schema: object) => ({ description, content: json(schema) });
const failure = (description: string) => reply(description, ref('Error'));

const botParam = {
  name: 'bot',
  in: 'query',
  required: false,
  description:
    'The bot whose eventsub cog answers; default: the first bot in bots.yaml that runs it',
  schema: { type: 'string' },
};
const loginParam = {
  name: 'login',
  in: 'path',
  required: true,
  description: 'Twitch login',
  schema: { type: 'string', pattern: '^[a-zA-Z0-9_]{1,25}$' },
};
const common = {
  '401': failure('Missing or invalid bearer token'),
  '404': failure('Unknown bot (`?bot=`)'),
  '503': failure('No bot runs the eventsub cog'),
};

const streamData = {
  type: ['object', 'null'],
  required: ['stream_id', 'viewer_count', 'game_name', 'title', 'started_at'],
  properties: {
    stream_id: { type: 'string' },
    viewer_count: { type: 'integer' },
    game_id: { type: 'string' },
    game_name: { type: 'string' },
    title: { type: 'string' },
    started_at: { type: 'string', format: 'date-time' },
    type: { type: 'string' },
  },
};

const streamerStatus = {
  type: 'object',
  required: ['user_id', 'username', 'display_name', 'is_live', 'stream_data', 'last_updated'],
  properties: {
    user_id: { type: 'string' },
    username: { type: 'string' },
    display_name: { type: 'string' },
    is_live: { type: 'boolean' },
    stream_data: ref('StreamData'),
    last_updated: { type: 'string', format: 'date-time' },
    last_event_type: { type: ['string', 'null'] },
    source: { type: 'string', enum: ['storage', 'twitch_api'] },
  },
};

const trackedStreamer = {
  type: 'object',
  required: ['login', 'user_id', 'display_name', 'source', 'added_at'],
  properties: {
    login: { type: 'string' },
    user_id: { type: 'string' },
    display_name: { type: 'string' },
    source: { type: 'string', enum: ['config', 'api'] },
    added_at: { type: 'string', format: 'date-time' },
  },
};

const storedEvent = {
  type: 'object',
  required: ['id', 'type', 'broadcaster_user_id', 'timestamp', 'source', 'event'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', examples: ['stream.online'] },
    broadcaster_user_id: { type: 'string' },
    broadcaster_user_login: { type: 'string' },
    broadcaster_user_name: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['eventsub', 'refresh'] },
    event: { type: 'object', additionalProperties: true },
  },
};

const snowflakeParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^\\d{5,25}$' },
});
const channelParam = snowflakeParam('channel', 'Discord channel id');
const goLiveBotParam = {
  ...botParam,
  description: 'The bot whose go-live cog answers; default: the first bot that runs it',
};
const trackingCommon = {
  '400': failure('A malformed channel id, login or webhook id'),
  '401': failure('Missing or invalid bearer token'),
  '404': failure('The bot (`?bot=`) does not run the go-live cog'),
  '503': failure('No bot runs the go-live cog'),
};

const trackedChannel = {
  type: 'object',
  required: ['names', 'webhook'],
  properties: {
    names: { type: 'array', items: { type: 'string' }, description: 'Twitch logins posted here' },
    webhook: { oneOf: [ref('Webhook'), { type: 'null' }] },
    disabled: {
      type: 'object',
      description: 'Set when Discord deleted the webhook: posts stopped until a new one is given',
      required: ['reason', 'at'],
      properties: { reason: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
    },
  },
};

const list = (key: string, item: string) => ({
  type: 'object',
  required: ['bot', key, 'count'],
  properties: {
    bot: { type: 'string' },
    [key]: { type: 'array', items: ref(item) },
    count: { type: 'integer' },
  },
});

/**
 * The OpenAPI 3.1 description of `/api`, served at `/api/openapi.json`.
 *
 * @example
 * ```ts
 * router.get('/openapi.json', (ctx) => { ctx.body = OPENAPI_DOCUMENT; });
 * ```
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'streamcogs stream status API',
    version: '1.0.0',
    description:
      'Live status of the streamers a bot tracks, from Twitch EventSub and Helix. Every operation acts for one bot: `?bot=<name>`, default the first bot in bots.yaml that runs the eventsub cog. Protected by `API_KEY` or JWTs from `POST /api/token` when either `API_KEY` or `API_JWT_SECRET` is set. `/api/tracking` is the go-live tracking API (the Tatsumaki twitch service): it acts for the first bot that runs the go-live cog.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/api/streamers': {
      get: {
        operationId: 'listStreamers',
        summary: 'Streamers whose status is kept',
        parameters: [botParam],
        responses: {
          '200': reply('Tracked streamers', list('streamers', 'TrackedStreamer')),
          ...common,
        },
      },
    },
    '/api/streamers/{login}': {
      post: {
        operationId: 'trackStreamer',
        summary: 'Start tracking a streamer (subscribes to stream.online and stream.offline)',
        parameters: [loginParam, botParam],
        responses: {
          '200': reply('Already tracked', ref('TrackResponse')),
          '201': reply('Now tracked', ref('TrackResponse')),
          '400': failure('Not a Twitch login'),
          ...common,
          '404': failure('No such Twitch user, or unknown bot'),
        },
      },
      delete: {
        operationId: 'untrackStreamer',
        summary: 'Stop tracking a streamer added through the API (unsubscribes)',
        parameters: [loginParam, botParam],
        responses: {
          '200': reply('No longer tracked', ref('Message')),
          '400': failure('Not a Twitch login'),
          ...common,
          '404': failure('Not tracked, or unknown bot'),
          '409': failure('Configured in bots.yaml: remove it there'),
        },
      },
    },
    '/api/streamers/{login}/status': {
      get: {
        operationId: 'streamerStatus',
        summary:
          'Live status of any streamer (stored; an unknown one is fetched from Twitch and cached)',
        parameters: [loginParam, botParam],
        responses: {
          '200': reply('Status', ref('StreamerStatus')),
          '400': failure('Not a Twitch login'),
          ...common,
          '404': failure('No such Twitch user, or unknown bot'),
        },
      },
    },
    '/api/streams/live': {
      get: {
        operationId: 'liveStreams',
        summary: 'Tracked streamers live right now',
        parameters: [botParam],
        responses: {
          '200': reply('Live streams', list('live_streams', 'StreamerStatus')),
          ...common,
        },
      },
    },
    '/api/events': {
      get: {
        operationId: 'recentEvents',
        summary: 'Recent events, newest first',
        parameters: [
          botParam,
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
          },
        ],
        responses: {
          '200': reply('Events', list('events', 'StoredEvent')),
          '400': failure('limit out of range'),
          ...common,
        },
      },
    },
    '/api/token': {
      post: {
        operationId: 'issueToken',
        summary: 'Issue a JWT for a client (name, shard) in exchange for the shared secret',
        security: [],
        requestBody: { required: true, content: json(ref('TokenRequest')) },
        responses: {
          '200': reply('A bearer token', ref('TokenResponse')),
          '400': failure('Malformed request'),
          '401': failure('Wrong secret'),
          '404': failure('Token issuing is off (API_JWT_SECRET unset)'),
        },
      },
    },
    '/api/tracking': {
      get: {
        operationId: 'listTrackedChannels',
        summary: 'Every Discord channel with go-live posts, and what it posts (Tatsumaki service)',
        parameters: [goLiveBotParam],
        responses: {
          '200': reply('Tracked channels', {
            type: 'object',
            required: ['bot', 'channels', 'count'],
            properties: {
              bot: { type: 'string' },
              channels: { type: 'array', items: ref('TrackedChannelEntry') },
              count: { type: 'integer' },
            },
          }),
          ...trackingCommon,
        },
      },
    },
    '/api/tracking/{channel}': {
      get: {
        operationId: 'trackedChannel',
        summary: 'The streamers posted in a Discord channel and its webhook',
        parameters: [channelParam, goLiveBotParam],
        responses: { '200': reply('The channel', ref('TrackedChannel')), ...trackingCommon },
      },
    },
    '/api/tracking/{channel}/{login}': {
      post: {
        operationId: 'trackInChannel',
        summary:
          "Post a streamer's go-live in a Discord channel through the channel's webhook (one per channel; a new one replaces the old)",
        parameters: [channelParam, loginParam, goLiveBotParam],
        requestBody: { required: true, content: json(ref('Webhook')) },
        responses: {
          ...trackingCommon,
          '200': reply('Already tracked there', ref('TrackedChannel')),
          '201': reply('Now tracked', ref('TrackedChannel')),
          '404': failure('No such Twitch user, or the bot (`?bot=`) does not run go-live'),
          '422': failure('The webhook was refused'),
        },
      },
    },
    '/api/tracking/{channel}/{login}/{webhook}': {
      delete: {
        operationId: 'untrackInChannel',
        summary: 'Stop posting a streamer in a Discord channel',
        parameters: [
          channelParam,
          loginParam,
          snowflakeParam('webhook', "The channel's webhook id"),
          goLiveBotParam,
        ],
        responses: {
          ...trackingCommon,
          '200': reply('What the channel still posts', ref('TrackedChannel')),
          '404': failure('Not tracked in that channel, or the bot (`?bot=`) does not run go-live'),
          '409': failure('Not the webhook of that channel'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document',
        security: [],
        responses: { '200': reply('OpenAPI 3.1 document', { type: 'object' }) },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'API_KEY, or a JWT from POST /api/token',
      },
    },
    schemas: {
      StreamData: streamData,
      StreamerStatus: streamerStatus,
      TrackedStreamer: trackedStreamer,
      StoredEvent: storedEvent,
      TrackResponse: {
        type: 'object',
        required: ['bot', 'streamer', 'message'],
        properties: {
          bot: { type: 'string' },
          streamer: ref('TrackedStreamer'),
          message: { type: 'string' },
        },
      },
      Message: {
        type: 'object',
        required: ['message'],
        properties: { bot: { type: 'string' }, message: { type: 'string' } },
      },
      TokenRequest: {
        type: 'object',
        required: ['name', 'shard', 'secret'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          shard: { type: 'integer', minimum: 0 },
          secret: { type: 'string' },
        },
      },
      TokenResponse: {
        type: 'object',
        required: ['token', 'token_type', 'expires_at'],
        properties: {
          token: { type: 'string' },
          token_type: { const: 'Bearer' },
          expires_at: { type: 'string', format: 'date-time' },
        },
      },
      Webhook: {
        type: 'object',
        required: ['id', 'token'],
        properties: {
          id: { type: 'string', pattern: '^\\d{5,25}$' },
          token: { type: 'string', minLength: 10, maxLength: 200 },
        },
      },
      TrackedChannel: trackedChannel,
      TrackedChannelEntry: {
        ...trackedChannel,
        required: ['channel_id', ...trackedChannel.required],
        properties: { channel_id: { type: 'string' }, ...trackedChannel.properties },
      },
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: { error: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;
