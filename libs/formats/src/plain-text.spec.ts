import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from './canonical';
import { parseNinjs } from './ninjs';
import { parsePlainText } from './plain-text';

const seed = readFileSync(join(__dirname, '../../../tests/fixtures/seed/centralasia-2026-02-07-ru.txt'), 'utf8');

describe('plain text', () => {
  it('takes the date and headline from the seed\'s first line and keeps every paragraph', () => {
    const s = parsePlainText(seed);
    expect(s.storyDate).toBe('2026-02-07');
    expect(s.headline).toBe('Батцэцэг приняла участие в министерской конференции, организованной госсекретарем Марко Рубио');
    expect(s.paragraphs[0]).toMatch(/^CentralAsia \(MNG\) - Государственный департамент США/);
    expect(s.paragraphs.at(-1)).toBe('Карта распространения');
    expect(s.paragraphs).toHaveLength(10);
  });

  it('uses the first line as the headline when there is no date line, and CRLF works', () => {
    const s = parsePlainText('\uFEFFTitle here\r\n\r\nFirst para\r\nsame para\r\n\r\nSecond para\r\n');
    expect(s).toMatchObject({ headline: 'Title here', paragraphs: ['First para same para', 'Second para'] });
    expect(s.storyDate).toBeUndefined();
  });

  it('refuses an impossible date and a missing body, naming where', () => {
    expect(() => parsePlainText('date 2026-13-45 Headline\n\nBody')).toThrow(FormatError);
    try {
      parsePlainText('only a headline');
    } catch (e) {
      expect(e).toMatchObject({ status: 422, code: 'missing_field', pointer: '/body' });
    }
  });
});

describe('ninjs', () => {
  it('reads 1.x/2.x flat fields, with an HTML body turned into paragraphs', () => {
    const s = parseNinjs({
      uri: 'urn:x:1',
      version: '3',
      headline: 'H',
      body_html: '<p>One &amp; <b>two</b></p><p>Three<br>Four</p><script>alert(1)</script>',
      language: 'en-GB',
    });
    expect(s).toMatchObject({ externalId: 'urn:x:1', version: 3, headline: 'H', language: 'en' });
    expect(s.paragraphs).toEqual(['One & two', 'Three', 'Four']);
  });

  it('reads 3.x headlines and bodies', () => {
    const s = parseNinjs({
      uri: 'urn:x:2',
      headlines: [{ role: 'main', value: 'Main' }],
      bodies: [{ role: 'main', contenttype: 'text/plain', value: 'Para 1\n\nPara 2' }],
    });
    expect(s).toMatchObject({ headline: 'Main', paragraphs: ['Para 1', 'Para 2'] });
  });

  it.each([
    [{ headline: 'H', body_text: 'B' }, '/uri', 'schema_violation'],
    [{ uri: 'u', headline: 7, body_text: 'B' }, '/headline', 'schema_violation'],
    [{ uri: 'u', headline: 'H', body_text: 'B', version: 1 }, '/version', 'schema_violation'],
    [{ uri: 'u', headline: 'H\r\nBcc: x', body_text: 'B' }, '/headline', 'control_characters'],
  ])('%j -> %s %s', (doc, pointer, code) => {
    expect(() => parseNinjs(doc)).toThrow(expect.objectContaining({ pointer, code }));
  });
});
