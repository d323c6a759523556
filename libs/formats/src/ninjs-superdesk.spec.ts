/**
 * Superdesk-style ninjs (`guid`, no `uri`) read as a named dialect when the partner allows
 * dialects and no version is declared; a declared version keeps strict IPTC validation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from './canonical';
import { parseDocument } from './detect';

const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'superdesk', 'superdesk-text.json'), 'utf8');

const errorOf = (f: () => unknown): FormatError => {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
};

describe('Superdesk ninjs dialect', () => {
  it('maps the fields into the canonical story, with the deviations as warnings', () => {
    const [story] = parseDocument('application/json', fixture, { dialects: true }).stories;
    expect(story).toMatchObject({
      format: 'ninjs',
      dialect: 'superdesk',
      formatVersion: '1.6',
      externalId: 'urn:newsml:example.org:2026-04-12T08:15:00.000000:6f1c2d3e-0b5a-4c7e-9a31-2d4e5f607182',
      version: 3,
      headline: 'Harbour bridge reopens after eight weeks of repairs',
      byline: 'Kari Example',
      dateline: 'Bergen',
      language: 'en',
      urgency: 3,
      pubStatus: 'usable',
      versionCreated: '2026-04-12T08:15:00.000Z',
      firstCreated: '2026-04-12T06:40:00.000Z',
      editorNote: 'Updates with the reopening time.',
      signals: ['cwarn'],
      extra: { desk: 'Western Norway', news_value: 3 },
      annotations: [{ id: '1', type: 'remark', text: 'Work was planned to last ten weeks.' }],
      rights: { copyrightHolder: 'Example News Agency', copyrightNotice: 'Copyright 2026 Example News Agency', usageTerms: 'Subscribers only' },
      paragraphs: [
        'The harbour bridge reopened to traffic on Sunday morning after eight weeks of repairs, the city said.',
        'Engineers replaced two bearings and resurfaced the deck ahead of schedule.',
      ],
    });
    expect(story!.subjects).toEqual([
      { scheme: 'subj', code: '11000000', name: 'politics', uri: undefined },
      { scheme: 'subj', code: '04015000', name: 'transport', uri: undefined },
      { scheme: 'desk_topics', code: 'city-news', name: 'City news', uri: undefined },
      { scheme: 'keyword', code: undefined, name: 'bridge', uri: undefined },
      { scheme: 'keyword', code: undefined, name: 'infrastructure', uri: undefined },
    ]);
    expect(story!.places).toEqual([{ name: 'Norway', code: 'NO', uri: undefined }]);
    expect(story!.associations).toEqual([
      expect.objectContaining({ role: 'featuremedia', uri: 'tag:example.org:2026:bridge-photo-0412', href: 'https://media.example.org/bridge-0412/original.jpg', type: 'picture' }),
    ]);
    expect(story!.warnings).toEqual([
      'ninjs dialect superdesk: no uri; the story is identified by guid',
      'ninjs dialect superdesk: byline taken from authors (writer roles)',
      expect.stringMatching(/^ninjs dialect superdesk: not in IPTC ninjs, not mapped: .*\/priority.*\/firstpublished/),
    ]);
  });

  it('is refused as IPTC ninjs when the partner is strict (no dialects)', () => {
    expect(errorOf(() => parseDocument('application/json', fixture))).toMatchObject({ status: 422, code: 'schema_violation', pointer: '/uri' });
  });

  it('is validated strictly when a version is declared, whatever the partner allows', () => {
    expect(errorOf(() => parseDocument('application/ninjs+json; version=1.6', fixture, { dialects: true }))).toMatchObject({ status: 422, code: 'schema_violation' });
    expect(errorOf(() => parseDocument('application/json', fixture, { dialects: true, ninjsVersion: '1.6' }))).toMatchObject({ status: 422, code: 'schema_violation' });
  });

  it('still refuses a wrong type in a field IPTC defines, with its pointer', () => {
    const doc = { ...JSON.parse(fixture), urgency: 'high' };
    expect(errorOf(() => parseDocument('application/json', JSON.stringify(doc), { dialects: true }))).toMatchObject({ status: 422, code: 'schema_violation', pointer: '/urgency' });
  });

  it('reads each element of a collection on its own, pointers into the array', () => {
    const one = JSON.parse(fixture) as Record<string, unknown>;
    const doc = [one, { ...one, guid: 'urn:second', headline: 42 }];
    expect(errorOf(() => parseDocument('application/json', JSON.stringify(doc), { dialects: true }))).toMatchObject({ pointer: '/1/headline' });
  });

  it('leaves documents with a uri to IPTC validation', () => {
    const doc = { uri: 'urn:x', guid: 'urn:y', headline: 'H', body_text: 'Body.' };
    expect(errorOf(() => parseDocument('application/json', JSON.stringify(doc), { dialects: true }))).toMatchObject({ code: 'schema_violation', pointer: '/guid' });
  });
});
