/**
 * Every channel renderer on the seed story and on hostile input: nothing executable (script,
 * event handler, javascript:/data: URL) survives into any channel, the HTML sanitisers are
 * idempotent, and the size limits hold. fast-check generates the hostile input from a corpus of
 * known attack fragments mixed with arbitrary text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Parser from 'rss-parser';
import sanitizeHtml from 'sanitize-html';
import type { PublishableStory } from '@syndication/contracts';
import { parsePlainText } from '@syndication/formats';

import { renderEmail, sanitizeEmailHtml } from './email/email.render';
import { renderFeed } from './feed/feed.render';
import { sanitizeStoryHtml } from './html';
import { mastodonLength, renderMastodonStatus } from './mastodon/mastodon.render';
import { renderTelegramMessage, sanitizeTelegramHtml, TELEGRAM_CAPTION_LIMIT, TELEGRAM_MESSAGE_LIMIT } from './telegram/telegram.render';
import { buildWebhookPayload } from './webhook/webhook.payload';

const seedText = readFileSync(join(__dirname, '../../../tests/fixtures/seed/centralasia-2026-02-07-ru.txt'), 'utf8');
const seed = parsePlainText(seedText);

function story(overrides: Partial<PublishableStory> = {}): PublishableStory {
  return {
    storyId: '0193a3c2-7d1e-7000-8000-000000000001',
    versionId: '0193a3c2-7d1e-7000-8000-0000000000a1',
    version: 1,
    deliveryId: '0193a3c2-7d1e-7000-8000-0000000000d1',
    partner: 'centralasia',
    uri: 'urn:centralasia:2026-02-07',
    language: 'ru',
    sourceLanguage: 'ru',
    machineTranslated: false,
    headline: seed.headline,
    paragraphs: seed.paragraphs,
    receivedAt: '2026-02-07T10:00:00.000Z',
    tags: {
      entities: [{ id: 'Q711', type: 'place', name: 'Mongolia', mentions: [], confidence: 0.9, source: 'gazetteer' }],
      topics: [{ code: 'medtop:20000568', name: 'foreign trade', score: 0.8, ancestors: [], source: 'rules' }],
      keywords: [],
    },
    ...overrides,
  };
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  ']]><item><title>injected</title></item>',
  'Subject\r\nBcc: victim@example.org',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<a href="https://ok.example/?a=1&b=2" onmouseover="x">ok</a>',
];

const DANGEROUS_TAGS = /^(script|img|svg|math|style|iframe|object|noscript|embed|form|input|link|meta|base|frame|video|audio|source)$/i;

/**
 * Markup a browser or Telegram would act on, found by parsing (htmlparser2 through sanitize-html
 * with every tag allowed), so escaped text that merely mentions `href=` is not counted, while an
 * entity-obfuscated `jav&#x09;ascript:` in a real attribute is decoded and caught.
 */
function dangerousHtml(html: string): string | undefined {
  let found: string | undefined;
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    exclusiveFilter: (frame) => {
      if (found) return false;
      const meta = frame.tag === 'meta' && Object.keys(frame.attribs).every((a) => a === 'charset');
      if (DANGEROUS_TAGS.test(frame.tag) && !meta) found = `<${frame.tag}>`;
      for (const [name, value] of Object.entries(frame.attribs)) {
        if (/^on/i.test(name)) found = `${frame.tag}[${name}]`;
        if (/^(href|src|action|formaction|xlink:href)$/i.test(name)) {
          const url = value.replace(/[\u0000-\u0020]/g, '');
          if (!/^(https?:\/\/[^/]|mailto:)/i.test(url)) found = `${frame.tag}[${name}=${value}]`;
        }
        if (/^style$/i.test(name)) found = `${frame.tag}[style]`;
      }
      return false;
    },
  });
  return found;
}

const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 6 }).map((a) => a.join(' '));

describe('channel renderers on the seed', () => {
  const s = story();

  it('Telegram: a headline in bold, whole paragraphs, a link, within 4096 characters', () => {
    const html = renderTelegramMessage(s, { link: 'https://news.example/s/1' });
    expect(html.startsWith(`<b>${seed.headline}</b>`)).toBe(true);
    expect(html).toContain('Государственный департамент США');
    expect(html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(html).toContain('<a href="https://news.example/s/1">Full story</a>');
  });

  it('Telegram: a story longer than the limit becomes a teaser ending at a word, link kept', () => {
    const long = story({ paragraphs: Array.from({ length: 40 }, (_, i) => `Paragraph ${i} ${'слово '.repeat(40)}`) });
    const html = renderTelegramMessage(long, { link: 'https://news.example/s/1' });
    expect(html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(html).toMatch(/…\n\n<a href="https:\/\/news.example\/s\/1">Full story<\/a>$/);
    const caption = renderTelegramMessage(long, { limit: TELEGRAM_CAPTION_LIMIT });
    expect(caption.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
  });

  it('email: subject, text and HTML parts carry the story; corrections say so', () => {
    const mail = renderEmail(s, { unsubscribeUrl: 'https://news.example/unsub' });
    expect(mail.subject).toBe(seed.headline);
    expect(mail.text).toContain(seed.paragraphs[1]!);
    expect(mail.html).toContain(`<h1>${seed.headline}</h1>`);
    expect(mail.html).toContain('href="https://news.example/unsub"');
    expect(renderEmail(s, { correction: true }).subject).toBe(`Correction: ${seed.headline}`);
  });

  it('Mastodon: headline, link and hashtags within the instance limit', () => {
    const status = renderMastodonStatus(s, { link: 'https://news.example/s/1' });
    expect(mastodonLength(status)).toBeLessThanOrEqual(500);
    expect(status.startsWith(seed.headline)).toBe(true);
    expect(status).toContain('https://news.example/s/1');
    expect(status.endsWith('#ForeignTrade #Mongolia')).toBe(true);
    expect(mastodonLength(renderMastodonStatus(s, { limit: 11_000 }))).toBeGreaterThan(500);
  });
});

describe('channel renderers on hostile input', () => {
  const html: Record<string, (s: PublishableStory) => string> = {
    telegram: (s) => renderTelegramMessage(s, { link: 'https://news.example/s/1' }),
    email: (s) => renderEmail(s).html,
    // The HTML bodies of the ninjs payload (headlines and body_text are plain text by the spec).
    webhook: (s) =>
      ((buildWebhookPayload(s, { now: new Date(0), deliveryId: 'd' }).data['bodies'] ?? []) as Array<{ contenttype: string; value: string }>)
        .filter((b) => b.contenttype === 'text/html')
        .map((b) => b.value)
        .join('\n'),
  };

  it.each(Object.keys(html))('%s: no script, handler or foreign URL for any mix of attack fragments', (kind) => {
    fc.assert(
      fc.property(hostileText, hostileText, (headline, para) => {
        const out = html[kind]!(story({ headline, paragraphs: [para, ...HOSTILE] }));
        expect(dangerousHtml(out)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it.each(['rss', 'atom', 'json'] as const)('%s feed: one item whatever the text, and its HTML content is clean', async (format) => {
    const meta = { title: 'f', selfUrl: 'https://f.example/f', siteUrl: 'https://f.example/', language: 'en' };
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (headline, para) => {
        const body = renderFeed(format, meta, [story({ headline, paragraphs: [para, ...HOSTILE] })]).body;
        const items =
          format === 'json'
            ? (JSON.parse(body) as { items: Array<{ content_html?: string }> }).items.map((i) => i.content_html ?? '')
            : (await new Parser().parseString(body)).items.map((i) => String(i['content'] ?? ''));
        expect(items).toHaveLength(1);
        expect(dangerousHtml(items[0]!)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('plain-text channels (Mastodon, email text, email subject) carry no markup and no header break', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (headline, para) => {
        const s = story({ headline, paragraphs: [para, ...HOSTILE] });
        const status = renderMastodonStatus(s, { limit: 5000 });
        const mail = renderEmail(s);
        for (const text of [status, mail.text, mail.subject]) expect(text).not.toMatch(/[<>]/);
        expect(mail.subject).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['telegram', sanitizeTelegramHtml],
    ['email', sanitizeEmailHtml],
    ['story', sanitizeStoryHtml],
  ] as const)('%s sanitiser: idempotent and leaves nothing dangerous', (_name, sanitize) => {
    fc.assert(
      fc.property(hostileText, (input) => {
        const once = sanitize(input);
        expect(sanitize(once)).toBe(once);
        expect(dangerousHtml(once)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

});
