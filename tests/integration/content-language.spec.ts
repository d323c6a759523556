/**
 * The partner's own statement of the source language (`Content-Language`) beats detection for
 * items that carry no language of their own; a language we do not handle is refused clearly.
 */
import { type RunningSystem, startSystem } from '../support/system';
import { createPartner, pushStory, type TestPartner } from '../support/fixtures';

describe('Content-Language on a push', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    partner = await createPartner(system.db, 'lang');
  });
  afterAll(() => system.stop());

  // Russian text: detection alone would say ru.
  const text = (n: string) => `date 2026-02-07 Новости ${n}\n\nМинистр иностранных дел провёл переговоры с делегацией соседней страны о торговле.\n`;

  async function storedLanguage(id: string): Promise<{ language: string; confidence: number }> {
    const rows: Array<{ language: string; language_confidence: number }> = await system.db.query(
      'SELECT language, language_confidence FROM story_version WHERE story_id = $1',
      [id],
    );
    return { language: rows[0]!.language, confidence: rows[0]!.language_confidence };
  }

  it('detects the language when the partner states none', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, text('a'));
    expect(res.status).toBe(202);
    expect((await storedLanguage(res.body['id'] as string)).language).toBe('ru');
  });

  it('takes the stated language over detection', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, text('b'), 'text/plain; charset=utf-8', { 'content-language': 'uk-UA' });
    expect(res.status).toBe(202);
    expect(await storedLanguage(res.body['id'] as string)).toEqual({ language: 'uk', confidence: 1 });
  });

  it('refuses a language the platform does not handle, naming the header', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, text('c'), 'text/plain; charset=utf-8', { 'content-language': 'tlh' });
    expect(res.status).toBe(422);
    expect(res.body['code']).toBe('unsupported_language');
    expect((res.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer)).toContain('/headers/content-language');
  });
});
