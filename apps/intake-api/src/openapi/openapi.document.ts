/**
 * The intake's OpenAPI 3.1 document, written by hand: the controllers read raw bytes and several
 * content types, and their precise shapes (problem+json codes, signature headers, multi-item
 * pushes) say more here than decorators would. It cannot drift unnoticed: a test fetches
 * /openapi.json and fails when a route the app registers is missing from it, and validates the
 * document against the OpenAPI 3.1 schema.
 */
import { CHANNEL_KINDS, DELIVERY_STATUSES, LANGUAGES } from '@syndication/contracts';
import { CHANNELS_ADMIN_PATHS } from './channels-admin.openapi';
import { NINJS_VERSIONS, SUPPORTED_MEDIA_TYPES } from '@syndication/formats';

type Json = Record<string, unknown>;

const ref = (name: string, kind: 'schemas' | 'responses' | 'parameters' = 'schemas') => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const ok = (description: string, schema: Json, headers?: Json) => ({ description, content: json(schema), ...(headers ? { headers } : {}) });

/** Either a bearer API key or all four signature headers. */
const PARTNER_SECURITY = [{ apiKey: [] }, { signatureKeyId: [], signatureTimestamp: [], signatureNonce: [], signature: [] }];
const ADMIN_SECURITY = [{ adminToken: [] }];

const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), ref(`Problem${s}`, 'responses')]));

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request (e.g. `invalid_query`, `unreadable_body`, `unsupported_format`).',
  401: 'Not authenticated: `missing_credentials`, `invalid_credentials`, `signature_required`, `missing_signature`, `invalid_signature`, `stale_timestamp`, `replayed_request`, `unknown_key`, `revoked_key`.',
  403: 'Forbidden: `admin_api_disabled` (ADMIN_TOKEN is not set).',
  404: 'Not found (`not_found`, `partner_not_found`, `key_not_found`, `translation_not_found`, `delivery_not_found`); another partner\'s story is a 404 too.',
  406: 'Not acceptable: `unsupported_ninjs_version`.',
  409: 'Conflict: `version_conflict`, `stale_version`, `story_withdrawn`, `idempotency_key_reused`, `partner_exists`, `too_many_active_keys`, `too_many_feeds`, `delivery_not_in_doubt`.',
  413: 'Payload too large (`payload_too_large`, `parse_budget_exceeded`, or a document limit such as `too_many_items`).',
  415: 'Unsupported media type (`unsupported_media_type`, `unsupported_ninjs_version`).',
  429: 'Too many requests: from this partner (`rate_limited`), or refused credentials for one key id from one client (`auth_rate_limited`); retry after `Retry-After` seconds.',
  422: 'The document or request body is invalid; `errors` points at each offending field (`schema_violation`, `invalid_request`, `invalid_characters`, ...).',
  503: 'Storage unavailable (`unavailable`); nothing was accepted. Retry after `Retry-After`.',
};

const STORY_HEADERS = [ref('XStoryId', 'parameters'), ref('XStoryVersion', 'parameters')];

const ninjsMedia = { schema: { type: 'object', description: 'An IPTC ninjs 1.x/2.x/3.x document, or an array of them' } };
const textMedia = { schema: { type: 'string' } };
const storyBody = {
  required: true,
  description:
    'The story exactly as the partner produces it. The media type decides the format (a `version` parameter on `application/ninjs+json` declares the ninjs version); `application/octet-stream` or no Content-Type has it detected. ' +
    `Accepted: ${SUPPORTED_MEDIA_TYPES.join(', ')}, application/octet-stream.`,
  content: {
    'text/plain': { schema: { type: 'string', description: 'First line `date YYYY-MM-DD <headline>`, then paragraphs' } },
    'application/ninjs+json': ninjsMedia,
    'application/json': ninjsMedia,
    'application/vnd.iptc.g2.newsitem+xml': textMedia,
    'application/vnd.iptc.g2.newsmessage+xml': textMedia,
    'application/nitf+xml': textMedia,
    'application/rss+xml': textMedia,
    'application/atom+xml': textMedia,
    'application/xml': textMedia,
    'application/octet-stream': { schema: { type: 'string', contentEncoding: 'binary' } },
  },
};

const schemas: Record<string, Json> = {
  PolledFeed: {
    type: 'object',
    required: ['id', 'url', 'interval_seconds', 'enabled'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      url: { type: 'string', format: 'uri' },
      interval_seconds: { type: 'integer' },
      enabled: { type: 'boolean' },
      last_polled_at: { type: ['string', 'null'], format: 'date-time' },
      last_status: { type: ['string', 'null'], description: 'ok, not_modified, partial or error' },
      last_error: { type: ['string', 'null'] },
      last_result: { type: ['object', 'null'] },
      consecutive_failures: { type: 'integer' },
      next_poll_at: { type: ['string', 'null'], format: 'date-time' },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  Language: { enum: [...LANGUAGES], description: 'ISO 639-1 code of a language the platform handles' },
  GlossaryEntry: {
    type: 'object',
    additionalProperties: false,
    required: ['term', 'translation'],
    properties: { term: { type: 'string', minLength: 1, maxLength: 200 }, translation: { type: 'string', minLength: 1, maxLength: 200 } },
  },
  GlossaryTerm: {
    type: 'object',
    required: ['source_language', 'target_language', 'term', 'translation', 'updated_at'],
    properties: {
      source_language: { $ref: '#/components/schemas/Language' },
      target_language: { $ref: '#/components/schemas/Language' },
      term: { type: 'string' },
      translation: { type: 'string' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  Withdrawal: {
    type: 'object',
    required: ['id', 'version', 'version_id', 'status', 'status_url'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      version_id: { type: 'string', format: 'uuid' },
      status: { const: 'withdrawn' },
      status_url: { type: 'string', format: 'uri' },
    },
  },
  NewCleanupRule: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'pattern', 'reason'],
    properties: {
      kind: { enum: ['paragraph', 'line', 'prefix', 'suffix'] },
      pattern: { type: 'string', maxLength: 200, description: 'A regular expression in a backtracking-safe subset' },
      reason: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
    },
  },
  CleanupRule: {
    type: 'object',
    required: ['id', 'kind', 'pattern', 'reason', 'enabled', 'created_at'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      kind: { enum: ['paragraph', 'line', 'prefix', 'suffix'] },
      pattern: { type: 'string' },
      reason: { type: 'string' },
      enabled: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details. `code` is stable; `type` is one URL per code.',
    required: ['type', 'title', 'status', 'code', 'request_id'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      request_id: { type: 'string' },
      errors: { type: 'array', items: ref('ProblemField') },
    },
  },
  ProblemField: {
    type: 'object',
    required: ['pointer', 'code', 'message'],
    properties: {
      pointer: { type: 'string', description: 'JSON pointer (or `/headers/<name>`, `/query/<name>`); XML documents use XPath-like paths' },
      code: { type: 'string' },
      message: { type: 'string' },
    },
  },
  PushResult: {
    type: 'object',
    required: ['id', 'version', 'version_id', 'status', 'status_url', 'events_url'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      version_id: { type: 'string', format: 'uuid' },
      status: { enum: ['accepted', 'duplicate'] },
      status_url: { type: 'string', format: 'uri' },
      events_url: { type: 'string', format: 'uri' },
      warnings: { type: 'array', items: { type: 'string' }, description: 'What the intake noted about the item (dialect deviations, collapsed repeats, ignored dates, metadata only); stored with the version. Absent when none' },
      format: { type: 'string', description: 'Multi-item documents only' },
      count: { type: 'integer', description: 'Multi-item documents only' },
      items: {
        type: 'array',
        description: 'Multi-item documents only: one entry per item, in document order',
        items: {
          type: 'object',
          properties: {
            external_id: { type: 'string' },
            id: { type: 'string', format: 'uuid' },
            version: { type: 'integer' },
            version_id: { type: 'string', format: 'uuid' },
            status: { enum: ['accepted', 'duplicate'] },
            status_url: { type: 'string', format: 'uri' },
            events_url: { type: 'string', format: 'uri' },
            warnings: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  Delivery: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      channel: { type: 'string' },
      channel_kind: { enum: [...CHANNEL_KINDS] },
      language: { type: 'string' },
      status: { enum: [...DELIVERY_STATUSES] },
      attempts: { type: 'integer' },
      last_error: { type: ['string', 'null'] },
      external_id: { type: ['string', 'null'] },
      delivered_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  StoryVersion: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      received_at: { type: 'string', format: 'date-time' },
      format: { type: 'string' },
      headline: { type: 'string' },
      dateline: { type: ['string', 'null'] },
      story_date: { type: ['string', 'null'], format: 'date' },
      language: { type: 'string' },
      paragraphs: { type: 'array', items: { type: 'string' } },
      removed: { type: 'array', items: { type: 'object', properties: { reason: { type: 'string' }, text: { type: 'string' } } } },
      stage: { type: 'string' },
      canonical: { type: 'object', description: 'The canonical story as parsed from the input format' },
      warnings: { type: 'array', items: { type: 'string' }, description: 'What the intake noted about the document when it stored this version' },
      stages: { type: 'object', additionalProperties: { type: 'string' } },
      timeline: {
        type: 'array',
        items: { type: 'object', properties: { stage: { type: 'string' }, status: { type: 'string' }, at: { type: 'string', format: 'date-time' }, detail: { type: 'object' } } },
      },
      translations: { type: 'array', items: { type: 'object' } },
      tags: { type: 'array', items: { type: 'object' } },
      deliveries: { type: 'array', items: ref('Delivery') },
    },
  },
  Story: {
    type: 'object',
    required: ['id', 'external_id', 'partner', 'latest_version', 'status', 'settled', 'versions'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      external_id: { type: 'string', description: "The partner's own id for the story (its uri/guid)" },
      partner: { type: 'string' },
      latest_version: { type: 'integer' },
      status: { enum: ['processing', 'published', 'partially_published', 'failed', 'not_routed'] },
      settled: { type: 'boolean' },
      versions: { type: 'array', items: ref('StoryVersion'), description: 'Newest first' },
    },
  },
  Receipt: {
    type: 'object',
    required: ['delivery_id', 'version', 'channel', 'channel_kind', 'language', 'status', 'attempts'],
    properties: {
      delivery_id: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      version_id: { type: 'string', format: 'uuid' },
      channel: { type: 'string' },
      channel_kind: { enum: [...CHANNEL_KINDS] },
      language: { type: 'string' },
      status: { enum: [...DELIVERY_STATUSES] },
      attempts: { type: 'integer' },
      created_at: { type: 'string', format: 'date-time' },
      delivered_at: { type: ['string', 'null'], format: 'date-time' },
      last_error: { type: ['string', 'null'] },
      external_id: { type: ['string', 'null'], description: 'The id the delivery carries on the channel: the `webhook-id`, the feed item guid' },
      remote_id: { type: ['string', 'null'], description: "The receiving system's id for it (a webhook receiver's JSON `id`)" },
      url: { type: ['string', 'null'], format: 'uri', description: "Where it can be seen: the feed URL, or a webhook receiver's `Location`" },
    },
  },
  Receipts: {
    type: 'object',
    required: ['story_id', 'uri', 'latest_version', 'receipts'],
    properties: {
      story_id: { type: 'string', format: 'uuid' },
      uri: { type: 'string' },
      latest_version: { type: 'integer' },
      receipts: { type: 'array', items: ref('Receipt') },
    },
  },
  RoutePreview: {
    type: 'object',
    properties: {
      format: { type: 'string' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            external_id: { type: 'string' },
            language: { type: 'string' },
            language_source: { type: 'string' },
            channels: {
              type: 'array',
              items: { type: 'object', properties: { channel: { type: 'string' }, kind: { type: 'string' }, languages: { type: 'array', items: { type: 'string' } } } },
            },
            matched_routes: { type: 'array', items: { type: 'object' } },
            tags: { type: 'object' },
          },
        },
      },
    },
  },
  Ninjs: { type: 'object', description: 'An IPTC ninjs document valid against the schema of the version named in Content-Type' },
  PartnerKey: {
    type: 'object',
    required: ['key_id', 'kind', 'created_at', 'last_used_at', 'revoked_at'],
    properties: {
      key_id: { type: 'string' },
      kind: { enum: ['api_key', 'hmac', 'ed25519'] },
      created_at: { type: 'string', format: 'date-time' },
      last_used_at: { type: ['string', 'null'], format: 'date-time', description: 'Updated at most once a minute' },
      revoked_at: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Partner: {
    type: 'object',
    required: ['slug', 'name', 'ninjs_version', 'require_signature', 'format_mode', 'created_at', 'keys'],
    properties: {
      slug: { type: 'string' },
      name: { type: 'string' },
      ninjs_version: { type: ['string', 'null'], description: 'ninjs version assumed when a push does not declare one' },
      require_signature: { type: 'boolean' },
      format_mode: { enum: ['strict', 'dialects'], description: '`dialects` (default): producer dialects such as Superdesk ninjs (`guid`, no `uri`) are read with warnings when no ninjs version is declared; `strict`: standards only' },
      created_at: { type: 'string', format: 'date-time' },
      keys: { type: 'array', items: ref('PartnerKey') },
    },
  },
  CreatePartner: {
    type: 'object',
    additionalProperties: false,
    required: ['slug', 'name'],
    properties: {
      slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      ninjs_version: { enum: [...NINJS_VERSIONS, null] },
      require_signature: { type: 'boolean', default: false },
      format_mode: { enum: ['strict', 'dialects'], default: 'dialects' },
    },
  },
  UpdatePartner: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      ninjs_version: { enum: [...NINJS_VERSIONS, null], description: 'null clears it' },
      require_signature: { type: 'boolean' },
      format_mode: { enum: ['strict', 'dialects'] },
    },
  },
  CreateKey: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { enum: ['api_key', 'hmac', 'ed25519'] },
      public_key: { type: 'string', description: 'ed25519 only (required): PEM SPKI (`-----BEGIN PUBLIC KEY-----`) or base64 of the raw 32 bytes' },
    },
  },
  CreatedKey: {
    type: 'object',
    required: ['key_id', 'kind', 'created_at'],
    properties: {
      key_id: { type: 'string' },
      kind: { enum: ['api_key', 'hmac', 'ed25519'] },
      created_at: { type: 'string', format: 'date-time' },
      api_key: { type: 'string', description: 'api_key only, shown once: send as `Authorization: Bearer <api_key>`' },
      secret: { type: 'string', description: 'hmac only, shown once: the HMAC-SHA256 key (its UTF-8 bytes)' },
    },
  },
  InDoubtDelivery: {
    type: 'object',
    description: 'A send that may or may not have reached a channel where a resend is not harmless; held for an operator, never resent automatically.',
    required: ['id', 'story_id', 'version_id', 'channel_id', 'channel_slug', 'channel_kind', 'language', 'attempts', 'claimed_at', 'last_error', 'evidence', 'headline', 'partner_slug'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      story_id: { type: 'string', format: 'uuid' },
      version_id: { type: 'string', format: 'uuid' },
      channel_id: { type: 'string', format: 'uuid' },
      channel_slug: { type: 'string' },
      channel_kind: { type: 'string' },
      language: { type: 'string' },
      attempts: { type: 'integer' },
      claimed_at: { type: ['string', 'null'], format: 'date-time' },
      last_error: { type: ['string', 'null'] },
      evidence: {
        type: 'object',
        description: 'What the publisher knew: `cause` (`timeout`, `network_error`, `lease_expired`, ...), `error`, `attempt`, `claimed_at`, `send_started_at`, timings (`elapsed_ms`, `timeout_ms`, `lease_ms`), the worker',
      },
      headline: { type: ['string', 'null'] },
      partner_slug: { type: 'string' },
    },
  },
  ResolveDelivery: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'reason'],
    properties: {
      action: { enum: ['mark_delivered', 'resend'], description: '`mark_delivered`: it is on the channel. `resend`: it is not; one more send is queued' },
      reason: { type: 'string', minLength: 1, maxLength: 1000, description: 'Kept in the audit log' },
      external_id: { type: 'string', maxLength: 512, description: 'mark_delivered only: the id the channel shows for it (message id, status URL)' },
    },
  },
  Health: {
    type: 'object',
    properties: { status: { enum: ['ok', 'degraded', 'down'] }, postgres: { type: 'string' }, redis: { type: 'string' } },
  },
};

const storyId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'Our story id (from the push response)' };
const slugParam = { name: 'slug', in: 'path', required: true, schema: { type: 'string' } };

const FEED_ID = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const GLOSSARY_PAIR = [
  { name: 'source', in: 'path', required: true, schema: ref('Language') },
  { name: 'target', in: 'path', required: true, schema: ref('Language') },
];
const GLOSSARY_TERM = { name: 'term', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 200 } };

const paths: Record<string, Json> = {
  '/v1/stories': {
    post: {
      operationId: 'pushStory',
      summary: 'Push a story (any supported format); idempotent on (partner, uri, version)',
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [
        ...STORY_HEADERS,
        ref('IdempotencyKey', 'parameters'),
        {
          name: 'Content-Language',
          in: 'header',
          schema: { type: 'string' },
          description: 'The source language of items that state none themselves (plain text); beats detection',
        },
        {
          name: 'Prefer',
          in: 'header',
          schema: { type: 'string', enum: ['handling=lenient', 'handling=strict'] },
          description: 'RFC 7240. `handling=lenient`: a multi-item document keeps its good items and answers 207 listing each item (default: all or nothing)',
        },
      ],
      requestBody: storyBody,
      responses: {
        '207': ok('Lenient handling, some items refused: per item `accepted`/`duplicate` (id, status URL) or `rejected` (problem with pointers); the good ones are committed', {
          type: 'object',
          required: ['status', 'items'],
          properties: {
            status: { const: 'partial' },
            accepted: { type: 'integer' },
            duplicates: { type: 'integer' },
            rejected: { type: 'integer' },
            items: { type: 'array', items: { type: 'object' } },
          },
        }),
        '202': ok('Accepted: a new story or version; the pipeline runs', ref('PushResult'), {
          Location: { schema: { type: 'string' }, description: 'The status URL' },
        }),
        '200': ok('Nothing new: an identical repeat, or an `Idempotency-Key` replay (`Idempotent-Replayed: true`)', ref('PushResult'), {
          'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } },
        }),
        ...problems(400, 401, 409, 413, 415, 422, 503),
      },
    },
    get: {
      operationId: 'getStoryByUri',
      summary: "The status of a story by the partner's own id (uri/guid/X-Story-Id)",
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [{ name: 'uri', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 1024 } }],
      responses: {
        '200': ok('The same view as GET /v1/stories/{id}', ref('Story'), { 'Content-Location': { schema: { type: 'string' } } }),
        ...problems(400, 401, 404, 503),
      },
    },
  },
  '/v1/stories/{id}': {
    get: {
      operationId: 'getStory',
      summary: 'The story: every version, its stages, timeline, translations, tags and deliveries; or the latest version as ninjs',
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [
        storyId,
        { name: 'format', in: 'query', schema: { enum: ['json', 'ninjs'] } },
        { name: 'version', in: 'query', schema: { enum: ['2.1', '3.0'] }, description: 'ninjs version (default 2.1)' },
        { name: 'language', in: 'query', schema: { type: 'string' }, description: 'ninjs only: a translation instead of the source' },
      ],
      responses: {
        '200': {
          description: 'The status view, or ninjs when asked for (`format=ninjs` or `Accept: application/ninjs+json; version=…`)',
          content: { 'application/json': { schema: ref('Story') }, 'application/ninjs+json': { schema: ref('Ninjs') } },
        },
        ...problems(400, 401, 404, 406, 503),
      },
    },
  },
  '/v1/stories/{id}/events': {
    get: {
      operationId: 'storyEvents',
      summary: 'Server-sent events as stages complete (`stage` events; a `heartbeat` every 15 s)',
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [storyId],
      responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems(401, 404) },
    },
  },
  '/v1/stories/{id}/receipts': {
    get: {
      operationId: 'storyReceipts',
      summary: 'What was delivered where: per version, channel and language, with status, attempts and external ids',
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [storyId],
      responses: { '200': ok('Receipts, newest version first', ref('Receipts')), ...problems(401, 404, 503) },
    },
  },
  '/v1/stories/{id}/withdraw': {
    post: {
      operationId: 'withdrawStory',
      summary: 'Kill the story everywhere: feeds drop it, webhook channels get `story.withdrawn`, unsent deliveries are cancelled; final',
      tags: ['stories'],
      security: PARTNER_SECURITY,
      parameters: [storyId],
      requestBody: {
        required: false,
        content: json({ type: 'object', additionalProperties: false, properties: { reason: { type: 'string', minLength: 1 } } }),
      },
      responses: {
        '202': ok('Withdrawn now (recorded as a kill-notice version)', ref('Withdrawal')),
        '200': ok('It already was withdrawn', ref('Withdrawal')),
        ...problems(400, 401, 404, 422, 503),
      },
    },
  },
  '/v1/cleanup-rules': {
    get: {
      operationId: 'listCleanupRules',
      summary: "The calling partner's clean-up rules (applied after the generic ones)",
      tags: ['cleanup'],
      security: PARTNER_SECURITY,
      responses: { '200': ok('Rules, oldest first', { type: 'object', properties: { rules: { type: 'array', items: ref('CleanupRule') } } }), ...problems(401, 503) },
    },
    post: {
      operationId: 'createCleanupRule',
      summary: 'A new rule; patterns outside a backtracking-safe regex subset are refused with `unsafe_pattern`',
      tags: ['cleanup'],
      security: PARTNER_SECURITY,
      requestBody: { required: true, content: json(ref('NewCleanupRule')) },
      responses: { '201': ok('Created', ref('CleanupRule')), ...problems(400, 401, 422, 503) },
    },
  },
  '/v1/cleanup-rules/{id}': {
    delete: {
      operationId: 'disableCleanupRule',
      summary: 'Disable a rule (kept, so recorded removals still name it)',
      tags: ['cleanup'],
      security: PARTNER_SECURITY,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { '200': ok('The disabled rule', ref('CleanupRule')), ...problems(401, 404, 503) },
    },
  },
  '/v1/glossary': {
    get: {
      operationId: 'listGlossary',
      summary: "The calling partner's glossary terms (enforced in every translation of its stories; a partner term beats a global one)",
      tags: ['translation'],
      security: PARTNER_SECURITY,
      parameters: [
        { name: 'source', in: 'query', required: false, schema: ref('Language') },
        { name: 'target', in: 'query', required: false, schema: ref('Language') },
      ],
      responses: { '200': ok('Terms', { type: 'object', properties: { terms: { type: 'array', items: ref('GlossaryTerm') } } }), ...problems(400, 401, 503) },
    },
  },
  '/v1/glossary/{source}/{target}': {
    put: {
      operationId: 'replaceGlossary',
      summary: "Replace the pair's whole list",
      tags: ['translation'],
      security: PARTNER_SECURITY,
      parameters: GLOSSARY_PAIR,
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          additionalProperties: false,
          required: ['terms'],
          properties: { terms: { type: 'array', maxItems: 5000, items: ref('GlossaryEntry') } },
        }),
      },
      responses: {
        '200': ok('The pair\'s list now', {
          type: 'object',
          properties: { source_language: ref('Language'), target_language: ref('Language'), terms: { type: 'array', items: ref('GlossaryTerm') } },
        }),
        ...problems(400, 401, 422, 503),
      },
    },
    delete: {
      operationId: 'deleteGlossaryPair',
      summary: "Remove the pair's list",
      tags: ['translation'],
      security: PARTNER_SECURITY,
      parameters: GLOSSARY_PAIR,
      responses: { '204': { description: 'Removed' }, ...problems(400, 401, 503) },
    },
  },
  '/v1/glossary/{source}/{target}/{term}': {
    put: {
      operationId: 'upsertGlossaryTerm',
      summary: 'Create or change one term',
      tags: ['translation'],
      security: PARTNER_SECURITY,
      parameters: [...GLOSSARY_PAIR, GLOSSARY_TERM],
      requestBody: {
        required: true,
        content: json({ type: 'object', additionalProperties: false, required: ['translation'], properties: { translation: { type: 'string', minLength: 1, maxLength: 200 } } }),
      },
      responses: { '201': ok('Created', ref('GlossaryTerm')), '200': ok('Changed', ref('GlossaryTerm')), ...problems(400, 401, 422, 503) },
    },
    delete: {
      operationId: 'deleteGlossaryTerm',
      tags: ['translation'],
      security: PARTNER_SECURITY,
      parameters: [...GLOSSARY_PAIR, GLOSSARY_TERM],
      responses: { '204': { description: 'Removed' }, ...problems(400, 401, 404, 503) },
    },
  },
  '/v1/translation/providers': {
    get: {
      operationId: 'translationProviders',
      summary: 'Providers in preference order, per-pair chains, limits and status (paused after a spent quota, until when and why)',
      tags: ['translation'],
      security: PARTNER_SECURITY,
      responses: { '200': ok('Providers', { type: 'object' }), ...problems(401, 503) },
    },
  },
  '/v1/feeds': {
    get: {
      operationId: 'listFeeds',
      summary: "The calling partner's polled feeds with their state",
      tags: ['feeds'],
      security: PARTNER_SECURITY,
      responses: { '200': ok('Feeds, oldest first', { type: 'object', properties: { feeds: { type: 'array', items: ref('PolledFeed') } } }), ...problems(401, 503) },
    },
    post: {
      operationId: 'registerFeed',
      summary: 'Register an RSS 2.0 / Atom 1.0 feed for us to poll (the same URL again updates and re-enables it)',
      tags: ['feeds'],
      security: PARTNER_SECURITY,
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', format: 'uri', maxLength: 2048, description: 'http(s), no credentials; checked by the SSRF guard' },
            interval_seconds: { type: 'integer', minimum: 60, maximum: 86400, default: 300 },
          },
        }),
      },
      responses: {
        '201': ok('Registered', ref('PolledFeed'), { Location: { schema: { type: 'string', format: 'uri' } } }),
        '200': ok('Already registered: updated and re-enabled', ref('PolledFeed')),
        ...problems(400, 401, 409, 415, 422, 503),
      },
    },
  },
  '/v1/feeds/{id}': {
    get: {
      operationId: 'getFeed',
      tags: ['feeds'],
      security: PARTNER_SECURITY,
      parameters: [FEED_ID],
      responses: { '200': ok('The feed and its last outcome', ref('PolledFeed')), ...problems(401, 404, 503) },
    },
    delete: {
      operationId: 'deleteFeed',
      summary: 'Stop polling; stories already ingested stay',
      tags: ['feeds'],
      security: PARTNER_SECURITY,
      parameters: [FEED_ID],
      responses: { '204': { description: 'Deleted' }, ...problems(401, 404, 503) },
    },
  },
  '/v1/routes/preview': {
    post: {
      operationId: 'previewRoutes',
      summary: 'Where would this story go? Parses, cleans, detects and tags like a push, writes nothing',
      tags: ['routes'],
      security: PARTNER_SECURITY,
      parameters: STORY_HEADERS,
      requestBody: storyBody,
      responses: { '200': ok('Per item: channels, languages, matched routes and tags', ref('RoutePreview')), ...problems(400, 401, 413, 415, 422, 503) },
    },
  },
  '/v1/admin/partners': {
    get: {
      operationId: 'listPartners',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      responses: {
        '200': ok('Every partner with its keys (never their secrets)', { type: 'object', properties: { partners: { type: 'array', items: ref('Partner') } } }),
        ...problems(401, 403),
      },
    },
    post: {
      operationId: 'createPartner',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      requestBody: { required: true, content: json(ref('CreatePartner')) },
      responses: { '201': ok('Created (no keys yet)', ref('Partner')), ...problems(401, 403, 409, 415, 422) },
    },
  },
  '/v1/admin/partners/{slug}': {
    get: {
      operationId: 'getPartner',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [slugParam],
      responses: { '200': ok('The partner and its keys', ref('Partner')), ...problems(401, 403, 404) },
    },
    patch: {
      operationId: 'updatePartner',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [slugParam],
      requestBody: { required: true, content: json(ref('UpdatePartner')) },
      responses: { '200': ok('Updated', ref('Partner')), ...problems(401, 403, 404, 415, 422) },
    },
  },
  '/v1/admin/partners/{slug}/keys': {
    post: {
      operationId: 'createPartnerKey',
      summary: 'A new key; its secret (api_key, hmac) is in this response only. At most 2 active API keys and 2 active signing keys',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [slugParam],
      requestBody: { required: true, content: json(ref('CreateKey')) },
      responses: { '201': ok('Created', ref('CreatedKey')), ...problems(401, 403, 404, 409, 415, 422) },
    },
  },
  '/v1/admin/partners/{slug}/keys/{keyId}': {
    delete: {
      operationId: 'revokePartnerKey',
      summary: 'Revoke a key (idempotent); requests with it are refused with `revoked_key`',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [slugParam, { name: 'keyId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': ok('The revoked key', ref('PartnerKey')), ...problems(401, 403, 404) },
    },
  },
  '/v1/admin/deliveries': {
    get: {
      operationId: 'listInDoubtDeliveries',
      summary: 'Deliveries held in doubt, oldest first, with the evidence',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [
        { name: 'status', in: 'query', required: false, schema: { enum: ['in_doubt'], default: 'in_doubt' } },
        { name: 'channel', in: 'query', required: false, schema: { type: 'string' }, description: 'A channel slug or id' },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      ],
      responses: {
        '200': ok('In-doubt deliveries', { type: 'object', properties: { deliveries: { type: 'array', items: ref('InDoubtDelivery') } } }),
        ...problems(401, 403, 422),
      },
    },
  },
  '/v1/admin/deliveries/{id}/resolve': {
    post: {
      operationId: 'resolveInDoubtDelivery',
      summary: 'Settle an in-doubt delivery (`mark_delivered` or `resend`); audited as `delivery.resolve`. 409 `delivery_not_in_doubt` when it is not (or no longer) in doubt',
      tags: ['admin'],
      security: ADMIN_SECURITY,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: { required: true, content: json(ref('ResolveDelivery')) },
      responses: {
        '200': ok('Resolved: `delivered`, or `retry` with a fresh publish job queued', {
          type: 'object',
          required: ['id', 'status'],
          properties: { id: { type: 'string', format: 'uuid' }, status: { enum: ['delivered', 'retry'] } },
        }),
        ...problems(401, 403, 404, 409, 415, 422),
      },
    },
  },
  ...CHANNELS_ADMIN_PATHS,
  '/health/live': {
    get: { operationId: 'live', tags: ['health'], security: [], responses: { '200': ok('The process is up', ref('Health')) } },
  },
  '/health/ready': {
    get: {
      operationId: 'ready',
      tags: ['health'],
      security: [],
      responses: { '200': ok('Postgres answers (Redis down only degrades)', ref('Health')), '503': ok('Postgres is down', ref('Health')) },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      tags: ['health'],
      security: [],
      description: 'Prometheus metrics of this process (text exposition format): stage latency, intake rejections by partner and code, deliveries, process and event-loop figures.',
      responses: { '200': { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openapi',
      tags: ['meta'],
      security: [],
      responses: { '200': ok('This document', { type: 'object' }) },
    },
  },
};

// Every partner-authenticated operation can answer 429 (the per-partner rate limit runs in the guard).
for (const item of Object.values(paths)) {
  for (const op of Object.values(item as Record<string, Json>)) {
    const o = op as { security?: unknown; responses?: Record<string, unknown> };
    if (o.security === PARTNER_SECURITY && o.responses) Object.assign(o.responses, problems(429));
  }
}

const SIGNATURE_DESCRIPTION = [
  '`X-Signature: v1=<base64>` over the signing input: the lines `v1`, METHOD, request target (path and query as sent),',
  'X-Signature-Timestamp, X-Signature-Nonce, Content-Type, X-Story-Id, X-Story-Version, Idempotency-Key (empty when absent),',
  'each followed by "\\n", then the exact body bytes. HMAC-SHA256 keyed with the secret\'s UTF-8 bytes, or Ed25519.',
  'The timestamp must be within SIGNATURE_WINDOW_SECONDS (default 300) of the server clock; a nonce is accepted once.',
].join(' ');

export function openApiDocument(serverUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'News syndication intake API',
      version: '1',
      description:
        'Partners push stories in the formats they already produce, follow them through the pipeline and read per-channel receipts. ' +
        'Operators manage partners and keys under /v1/admin. Every error is RFC 9457 `application/problem+json` with a stable `code`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'stories', description: 'Push stories, read their status and receipts' },
      { name: 'routes', description: 'Routing previews' },
      { name: 'cleanup', description: "The partner's own clean-up rules" },
      { name: 'translation', description: 'Glossary and translation providers' },
      { name: 'feeds', description: 'Partner feeds we poll' },
      { name: 'admin', description: 'Partners and keys, in-doubt deliveries (ADMIN_TOKEN)' },
      { name: 'health' },
      { name: 'meta' },
    ],
    security: PARTNER_SECURITY,
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.entries(PROBLEM_DESCRIPTIONS).map(([status, description]) => [
          `Problem${status}`,
          { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ]),
      ),
      parameters: {
        XStoryId: { name: 'X-Story-Id', in: 'header', schema: { type: 'string' }, description: "The partner's id for a plain-text story (other formats carry their own)" },
        XStoryVersion: { name: 'X-Story-Version', in: 'header', schema: { type: 'integer', minimum: 1 } },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
          description: 'Same key + same body within 7 days answers the original response; same key + another body is 409 `idempotency_key_reused`',
        },
      },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: '<key_id>.<secret>', description: 'A partner API key (refused with `signature_required` for partners that must sign)' },
        signatureKeyId: { type: 'apiKey', in: 'header', name: 'X-Signature-Key-Id', description: 'The signing key id (hmac or ed25519)' },
        signatureTimestamp: { type: 'apiKey', in: 'header', name: 'X-Signature-Timestamp', description: 'Unix seconds' },
        signatureNonce: { type: 'apiKey', in: 'header', name: 'X-Signature-Nonce', description: '16-128 of [A-Za-z0-9_-], new for every request' },
        signature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: SIGNATURE_DESCRIPTION },
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
      },
    },
  };
}
