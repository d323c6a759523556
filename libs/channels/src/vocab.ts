/**
 * How our tags map onto public vocabularies, shared by the webhook payload (ninjs subjects) and
 * the feeds (categories), so the two never disagree about a topic or an entity. The mapping
 * itself lives with the ninjs builder in @syndication/formats.
 */
export { MEDIATOPIC_SCHEME_URI, WIKIDATA_ENTITY_PREFIX, mediaTopicUri, wikidataUri } from '@syndication/formats';
/** Entities without a QID have only our own slug id, which is not a public vocabulary. */
export const LOCAL_ENTITY_SCHEME = 'urn:syndication:entity';
