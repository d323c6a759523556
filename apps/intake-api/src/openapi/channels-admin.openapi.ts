/**
 * OpenAPI paths of the channels and routes admin API, with request schemas generated from the
 * zod schemas the controller validates with.
 */
import { z } from 'zod';
import { CHANNEL_KINDS } from '@syndication/contracts';
import { CreateChannel, CreateRoute, Pause, RoutePreview, UpdateChannel, UpdateRoute } from '../admin/channels-admin.schemas';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};
const json = (s: Json) => ({ 'application/json': { schema: s } });
const body = (s: z.ZodType) => ({ required: true, content: json(schema(s)) });
const ok = (description: string, s: Json) => ({ description, content: json(s) });
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]));
const badGateway = {
  '502': { description: 'The channel refused the test message (`channel_test_failed`, with the channel\'s error code)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
};
const SECURITY = [{ adminToken: [] }];
const tags = ['admin'];
const slugParam = { name: 'slug', in: 'path', required: true, schema: { type: 'string' } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const Channel: Json = {
  type: 'object',
  required: ['slug', 'kind', 'name', 'config', 'languages', 'state', 'state_reason', 'state_since', 'state_until', 'created_at'],
  properties: {
    slug: { type: 'string' },
    kind: { enum: [...CHANNEL_KINDS] },
    name: { type: 'string' },
    config: { type: 'object', description: 'Per kind (see the README, "Channels"); credential fields show as "(set)"' },
    languages: { type: ['array', 'null'], items: { type: 'string' } },
    state: { enum: ['active', 'paused', 'rate_limited', 'credentials_broken', 'circuit_open', 'endpoint_gone'] },
    state_reason: { type: ['string', 'null'] },
    state_since: { type: 'string', format: 'date-time' },
    state_until: { type: ['string', 'null'], format: 'date-time' },
    created_at: { type: 'string', format: 'date-time' },
  },
};
const Route: Json = {
  ...schema(CreateRoute),
  required: ['id', 'name', 'channel', 'partner', 'languages', 'active', 'created_at'],
};
(Route['properties'] as Json)['id'] = { type: 'string', format: 'uuid' };
(Route['properties'] as Json)['created_at'] = { type: 'string', format: 'date-time' };

export const CHANNELS_ADMIN_PATHS: Record<string, Json> = {
  '/v1/admin/channels': {
    get: { operationId: 'listChannels', tags, security: SECURITY, responses: { '200': ok('Every channel with its state', { type: 'object', properties: { channels: { type: 'array', items: Channel } } }), ...problems(401, 403) } },
    post: {
      operationId: 'createChannel',
      summary: 'Create a channel; `config` is validated per kind and its credentials are sealed at rest',
      tags,
      security: SECURITY,
      requestBody: body(CreateChannel),
      responses: { '201': ok('Created', Channel), ...problems(401, 403, 409, 415, 422) },
    },
  },
  '/v1/admin/channels/{slug}': {
    get: { operationId: 'getChannel', tags, security: SECURITY, parameters: [slugParam], responses: { '200': ok('The channel', Channel), ...problems(401, 403, 404) } },
    patch: {
      operationId: 'updateChannel',
      summary: 'Change name, languages or config; credentials left out (or sent back as "(set)") are kept',
      tags,
      security: SECURITY,
      parameters: [slugParam],
      requestBody: body(UpdateChannel),
      responses: { '200': ok('Updated', Channel), ...problems(401, 403, 404, 415, 422) },
    },
    delete: {
      operationId: 'deleteChannel',
      summary: 'Delete a channel and its routes; refused (409 `channel_in_use`) once it has deliveries: pause it instead',
      tags,
      security: SECURITY,
      parameters: [slugParam],
      responses: { '204': { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    },
  },
  '/v1/admin/channels/{slug}/pause': {
    post: {
      operationId: 'pauseChannel',
      summary: 'Nothing is routed to or sent on the channel until it is resumed',
      tags,
      security: SECURITY,
      parameters: [slugParam],
      requestBody: { required: false, content: json(schema(Pause)) },
      responses: { '200': ok('Paused', Channel), ...problems(401, 403, 404, 415, 422) },
    },
  },
  '/v1/admin/channels/{slug}/resume': {
    post: {
      operationId: 'resumeChannel',
      summary: 'Back to active from any state; its open deliveries are queued again at once',
      tags,
      security: SECURITY,
      parameters: [slugParam],
      responses: { '200': ok('Resumed', { type: 'object', properties: { channel: Channel, requeued: { type: 'integer' } } }), ...problems(401, 403, 404) },
    },
  },
  '/v1/admin/channels/{slug}/test': {
    post: {
      operationId: 'testChannel',
      summary: 'Send a short test message through the channel (not a story; not in the ledger)',
      tags,
      security: SECURITY,
      parameters: [slugParam],
      responses: {
        '200': ok('Sent', { type: 'object', properties: { ok: { const: true }, external_id: { type: ['string', 'null'] }, detail: { type: 'object' } } }),
        ...problems(401, 403, 404, 422),
        ...badGateway,
      },
    },
  },
  '/v1/admin/routes': {
    get: {
      operationId: 'listRoutes',
      tags,
      security: SECURITY,
      parameters: [
        { name: 'channel', in: 'query', schema: { type: 'string' } },
        { name: 'partner', in: 'query', schema: { type: 'string' } },
      ],
      responses: { '200': ok('Routes, oldest first (the order rules apply in)', { type: 'object', properties: { routes: { type: 'array', items: Route } } }), ...problems(401, 403) },
    },
    post: {
      operationId: 'createRoute',
      summary: 'A route names its channel and partner (null: every partner) by slug',
      tags,
      security: SECURITY,
      requestBody: body(CreateRoute),
      responses: { '201': ok('Created', Route), ...problems(401, 403, 415, 422) },
    },
  },
  '/v1/admin/routes/preview': {
    post: {
      operationId: 'previewRoutesAdmin',
      summary: 'Which deliveries a draft rule and/or a raw story would create, across partners (nothing is written)',
      tags,
      security: SECURITY,
      requestBody: body(RoutePreview),
      responses: {
        '200': ok('Per story: the deliveries (channel, language, matching routes; "draft" is the draft rule) and whether the draft matches', { type: 'object' }),
        ...problems(401, 403, 413, 415, 422),
      },
    },
  },
  '/v1/admin/routes/{id}': {
    get: { operationId: 'getRoute', tags, security: SECURITY, parameters: [idParam], responses: { '200': ok('The route', Route), ...problems(401, 403, 404) } },
    patch: {
      operationId: 'updateRoute',
      tags,
      security: SECURITY,
      parameters: [idParam],
      requestBody: body(UpdateRoute),
      responses: { '200': ok('Updated', Route), ...problems(401, 403, 404, 415, 422) },
    },
    delete: { operationId: 'deleteRoute', tags, security: SECURITY, parameters: [idParam], responses: { '204': { description: 'Deleted' }, ...problems(401, 403, 404) } },
  },
};
