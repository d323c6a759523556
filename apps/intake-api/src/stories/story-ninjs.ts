/**
 * The story API's ninjs output: which version the client asked for, and the latest story
 * version (or one of its translations) mapped onto the shared builder in @syndication/formats.
 */
import { buildNinjs, isNinjsOutVersion, NINJS_OUT_VERSIONS, parseMediaType, type NinjsDocument, type NinjsOutVersion } from '@syndication/formats';
import { ProblemError } from '../http/problem';
import type { StoryView } from './story-status.service';

const NINJS_MEDIA = 'application/ninjs+json';

function unsupported(version: string): ProblemError {
  return new ProblemError(
    406,
    'unsupported_ninjs_version',
    'Not acceptable',
    `ninjs version ${version.slice(0, 16)} is not offered; supported versions: ${NINJS_OUT_VERSIONS.join(', ')}`,
    [{ pointer: '/query/version', code: 'unsupported_ninjs_version', message: `one of ${NINJS_OUT_VERSIONS.join(', ')}` }],
  );
}

/**
 * The ninjs version wanted, or undefined for the default JSON status view. `?format=ninjs`
 * (with `&version=`) wins over Accept; an Accept listing ninjs (with its `version` parameter)
 * selects it too. The default version is 2.1, the one our webhooks carry.
 */
export function negotiateNinjs(format?: string, version?: string, accept?: string): NinjsOutVersion | undefined {
  let wanted: string | undefined;
  if (format !== undefined) {
    if (format === 'json') return undefined;
    if (format !== 'ninjs') {
      throw new ProblemError(400, 'unsupported_format', 'Bad request', 'format must be ninjs or json', [
        { pointer: '/query/format', code: 'unsupported_format', message: 'one of ninjs, json' },
      ]);
    }
    wanted = version ?? '2.1';
  } else if (accept) {
    const ninjs = accept
      .split(',')
      .map((part) => parseMediaType(part.trim()))
      .find((m) => m.type === NINJS_MEDIA);
    if (!ninjs) return undefined;
    wanted = version ?? ninjs.params['version'] ?? '2.1';
  } else {
    return undefined;
  }
  if (!isNinjsOutVersion(wanted)) throw unsupported(wanted);
  return wanted;
}

export function storyAsNinjs(view: StoryView, version: NinjsOutVersion, language?: string): NinjsDocument {
  const latest = view.versions[0];
  if (!latest) throw new ProblemError(404, 'not_found', 'Not found', 'No such story');
  const c = latest.canonical;
  let headline = latest.headline;
  let paragraphs = latest.paragraphs;
  let bodyHtml = c.bodyHtml;
  let lang = latest.language;
  if (language && language !== latest.language) {
    const t = latest.translations.find((x) => x.language === language && x.status === 'done' && x.headline);
    if (!t) throw new ProblemError(404, 'translation_not_found', 'Not found', `No ${language.slice(0, 16)} translation of the latest version`);
    headline = t.headline ?? headline;
    paragraphs = t.paragraphs ?? [];
    // The source HTML is in the source language; the translation's HTML is built from its paragraphs.
    bodyHtml = undefined;
    lang = t.language;
  }
  const oldest = view.versions[view.versions.length - 1];
  return buildNinjs(
    {
      uri: view.external_id,
      version: latest.version,
      versionCreated: c.versionCreated ?? latest.received_at,
      firstCreated: c.firstCreated ?? oldest?.received_at ?? latest.received_at,
      ...(c.pubStatus ? { pubStatus: c.pubStatus } : {}),
      language: lang,
      headline,
      ...(c.subheadline && lang === latest.language ? { subheadline: c.subheadline } : {}),
      ...(c.byline ? { byline: c.byline } : {}),
      ...(latest.dateline ? { dateline: latest.dateline } : {}),
      paragraphs,
      ...(bodyHtml ? { bodyHtml } : {}),
      ...(c.urgency !== undefined ? { urgency: c.urgency } : {}),
      ...(c.embargo ? { embargo: c.embargo } : {}),
      ...(c.expires ? { expires: c.expires } : {}),
      ...(c.rights?.copyrightHolder ? { copyrightHolder: c.rights.copyrightHolder } : {}),
      ...(c.rights?.copyrightNotice ? { copyrightNotice: c.rights.copyrightNotice } : {}),
      ...(c.rights?.usageTerms ? { usageTerms: c.rights.usageTerms } : {}),
      topics: latest.tags.filter((t) => t.kind === 'topic').map((t) => ({ code: t.code, name: t.label })),
      entities: latest.tags
        .filter((t) => t.kind === 'person' || t.kind === 'organisation' || t.kind === 'place')
        .map((t) => ({ id: t.code, name: t.label, type: t.kind })),
      keywords: latest.tags.filter((t) => t.kind === 'keyword').map((t) => t.label),
    },
    version,
  );
}
