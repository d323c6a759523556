/**
 * Plain-text stories as regional outlets scrape them (the seed's format): an optional first line
 * `date YYYY-MM-DD <headline>`, otherwise the first line is the headline; paragraphs are separated
 * by blank lines (or single newlines when the text has no blank lines at all).
 */
import { type CanonicalStory, FormatError, checkBody, checkHeadline } from './canonical';

const DATE_LINE = /^\s*date\s+(\d{4}-\d{2}-\d{2})\s+(.+)$/i;

export function parsePlainText(text: string): CanonicalStory {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  const first = lines.findIndex((l) => l.trim().length > 0);
  if (first < 0) throw new FormatError(422, 'missing_field', '/', 'the document is empty');
  const firstLine = lines[first] ?? '';
  let headline = firstLine;
  let storyDate: string | undefined;
  const m = DATE_LINE.exec(firstLine);
  if (m?.[1] && m[2]) {
    storyDate = m[1];
    headline = m[2];
    if (Number.isNaN(Date.parse(`${storyDate}T00:00:00Z`))) {
      throw new FormatError(422, 'invalid_date', '/line/1', `"${storyDate}" is not a valid date`);
    }
  }
  const rest = lines.slice(first + 1).join('\n');
  const blocks = /\n\s*\n/.test(rest) ? rest.split(/\n\s*\n/) : rest.split('\n');
  return {
    format: 'plain',
    headline: checkHeadline(headline, `/line/${first + 1}`),
    storyDate,
    paragraphs: checkBody(
      blocks.map((b) => b.replace(/\s*\n\s*/g, ' ')),
      '/body',
    ),
  };
}
