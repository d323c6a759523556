/**
 * Request bodies of the channels and routes admin API, in zod: the controller validates with them
 * and the OpenAPI document is generated from them (z.toJSONSchema), so the two cannot disagree.
 * A channel's `config` is checked per kind by the channel adapter (its fields are listed in the
 * README's Channels section), not here.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, LANGUAGES } from '@syndication/contracts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, 1-63, not starting with a dash');
const name = z.string().trim().min(1).max(200);
const language = z.enum(LANGUAGES);
const channelLanguages = z.array(language).min(1).max(50).nullable();
const config = z.record(z.string(), z.unknown());

export const CreateChannel = z.strictObject({ slug, kind: z.enum(CHANNEL_KINDS), name, config, languages: channelLanguages.optional() });
export const UpdateChannel = z
  .strictObject({ name: name.optional(), config: config.optional(), languages: channelLanguages.optional() })
  .refine((o) => Object.keys(o).length > 0, 'name, config or languages');
export const Pause = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

const urgency = z.number().int().min(1).max(9).nullable();
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(100).nullable();
const RouteFields = {
  name,
  channel: slug,
  partner: slug.nullable(),
  languages: z.array(z.union([language, z.literal('source')])).min(1).max(50),
  source_languages: list(language).optional(),
  topics: list(z.string().regex(/^(medtop:)?\d{8}$/, 'an IPTC Media Topic code such as medtop:20000568')).optional(),
  entities: list(z.string().min(1).max(200)).optional(),
  urgency_min: urgency.optional(),
  urgency_max: urgency.optional(),
  translation_providers: list(z.string().min(1).max(50)).optional(),
  translation_policy: z.enum(['wait', 'source_first']).optional(),
  translation_wait_seconds: z.number().int().min(0).max(86_400).nullable().optional(),
  active: z.boolean().optional(),
};
const urgencyOrder = (o: { urgency_min?: number | null | undefined; urgency_max?: number | null | undefined }) =>
  o.urgency_min == null || o.urgency_max == null || o.urgency_min <= o.urgency_max;
export const CreateRoute = z.strictObject(RouteFields).refine(urgencyOrder, { message: 'must not exceed urgency_max', path: ['urgency_min'] });
export const UpdateRoute = z
  .strictObject(Object.fromEntries(Object.entries(RouteFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof RouteFields]: z.ZodOptional<(typeof RouteFields)[K]> })
  .refine((o) => Object.keys(o).length > 0, 'at least one field')
  .refine(urgencyOrder, { message: 'must not exceed urgency_max', path: ['urgency_min'] });

/** A route under design: like CreateRoute, the name optional. */
const DraftRule = z
  .strictObject({ ...RouteFields, name: name.optional() })
  .refine(urgencyOrder, { message: 'must not exceed urgency_max', path: ['urgency_min'] });

export const RoutePreview = z
  .strictObject({
    rule: DraftRule.optional(),
    /** true: only the draft rule is evaluated; false (default): the draft joins the active rules. */
    only_rule: z.boolean().optional(),
    /** A story not stored yet, exactly as a partner would push it. */
    story: z.strictObject({ partner: slug, content_type: z.string().min(1).max(200), body: z.string().min(1).max(200_000) }).optional(),
    /** Without a story: how many of the latest stored story versions (every partner) to try. */
    recent: z.number().int().min(1).max(200).optional(),
  })
  .refine((o) => o.rule !== undefined || o.story !== undefined, 'a draft rule, a story, or both');
