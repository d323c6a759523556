import { escapeHtml, neutraliseCdataEnd, paragraphsToHtml, sanitizeStoryHtml } from './html';

// Reliability plan B30-B33 plus the usual suspects.
const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="//evil.example/">x</a>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<p style="background:url(javascript:alert(1))" onclick="alert(1)">t</p>',
  '<iframe src="https://example.org"></iframe><object data="x"></object>',
  '<a href="https://ok.example/?a=1&b=2" target="_blank" onmouseover="x">ok</a>',
];

describe('sanitizeStoryHtml', () => {
  it.each(XSS_CORPUS)('leaves nothing executable in %s', (input) => {
    const out = sanitizeStoryHtml(input);
    expect(out).not.toMatch(/<(script|img|svg|math|style|iframe|object|noscript)\b/i);
    expect(out).not.toMatch(/\son\w+=/i);
    expect(out).not.toMatch(/href="(?!https?:)/i);
  });

  it.each(XSS_CORPUS)('is idempotent on %s', (input) => {
    const once = sanitizeStoryHtml(input);
    expect(sanitizeStoryHtml(once)).toBe(once);
  });

  it('keeps the allowlisted structure and http(s) links', () => {
    const html =
      '<p><b>b</b> <i>i</i> <em>em</em> <strong>s</strong> <a href="https://x.example/a">a</a></p>' +
      '<ul><li>1</li></ul><ol><li>2</li></ol><blockquote>q</blockquote>';
    expect(sanitizeStoryHtml(html)).toBe(html);
  });

  it('never lets a CDATA terminator through', () => {
    expect(sanitizeStoryHtml('<p>a ]]> b ]]> c</p>')).toBe('<p>a ]]&gt; b ]]&gt; c</p>');
    expect(neutraliseCdataEnd('x]]>y]]>')).toBe('x]]&gt;y]]&gt;');
  });
});

describe('paragraphsToHtml', () => {
  it('escapes text, wraps paragraphs and drops blank ones', () => {
    expect(paragraphsToHtml(['A & <b>B</b>', '  ', 'C "q" \'s\''])).toBe(
      '<p>A &amp; &lt;b&gt;B&lt;/b&gt;</p>\n<p>C "q" \'s\'</p>',
    );
  });

  it('escapeHtml escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
