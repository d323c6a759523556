/**
 * How our tags map onto public vocabularies, shared by the webhook payload (ninjs subjects) and
 * the feeds (categories), so the two never disagree about a topic or an entity.
 */
export const MEDIATOPIC_SCHEME_URI = 'http://cv.iptc.org/newscodes/mediatopic/';
export const WIKIDATA_ENTITY_PREFIX = 'http://www.wikidata.org/entity/';
/** Entities without a QID have only our own slug id, which is not a public vocabulary. */
export const LOCAL_ENTITY_SCHEME = 'urn:syndication:entity';

const QID = /^Q[1-9]\d*$/;

export function wikidataUri(entityId: string): string | undefined {
  return QID.test(entityId) ? `${WIKIDATA_ENTITY_PREFIX}${entityId}` : undefined;
}

/** "medtop:20000568" -> "http://cv.iptc.org/newscodes/mediatopic/20000568". */
export function mediaTopicUri(code: string): string | undefined {
  const match = /^medtop:(\d+)$/.exec(code);
  return match ? `${MEDIATOPIC_SCHEME_URI}${match[1]}` : undefined;
}
