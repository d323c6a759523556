/**
 * Per-partner clean-up rules: regular expressions a partner registers for its own boilerplate
 * (an agency footer, a slug line), applied after the generic rules in cleanup.ts.
 *
 * A pattern is untrusted input that runs on every story of that partner, so two guards stand
 * between it and a hung intake:
 * 1. On insert, `validateCleanupPattern` admits only a backtracking-safe subset, in the spirit of
 *    RE2: at most 200 characters; no backreferences and no lookaround; no quantifier on a group
 *    that itself contains a quantifier (`(a+)+`), no unbounded quantifier on a group with
 *    alternatives (`(a|ab)*`); at most 4 unbounded quantifiers; counted repeats up to 1000; and
 *    the pattern must not match the empty string (it would remove everything).
 * 2. At run time every partner rule of a story runs inside one `vm` script with a time budget
 *    (V8 interrupts a regex that overruns it); on a timeout no partner rule is applied to that
 *    story and the caller records a warning, so a pattern that slips through costs 100 ms, not
 *    the process. (V8's linear-time engine would be the stronger guard, but it is behind an
 *    experimental flag and refuses the `u` flag in Node 20.)
 * Matching is case-insensitive and Unicode-aware (`iu`).
 */
import { Script, createContext } from 'node:vm';
import type { RemovedSpan } from '@syndication/contracts';

export const CLEANUP_RULE_KINDS = ['paragraph', 'line', 'prefix', 'suffix'] as const;
export type CleanupRuleKind = (typeof CLEANUP_RULE_KINDS)[number];

export interface PartnerCleanupRule {
  id: string;
  /**
   * paragraph: drop every paragraph the pattern matches anywhere in; line: drop matching lines
   * inside paragraphs; prefix: cut a match at the start of the first paragraph; suffix: cut a
   * match at the end of the last paragraph.
   */
  kind: CleanupRuleKind;
  pattern: string;
  /** Recorded as the removed span's reason. */
  reason: string;
}

export const CLEANUP_PATTERN_MAX_LENGTH = 200;
export const CLEANUP_RULES_PER_PARTNER = 100;
export const CLEANUP_RULES_TIMEOUT_MS = 100;
const MAX_UNBOUNDED_QUANTIFIERS = 4;
const MAX_REPEAT = 1000;

export class UnsafePatternError extends Error {}

interface Frame {
  quantified: boolean;
  alternation: boolean;
}

/** Throws UnsafePatternError saying what is wrong; returns normally for an admissible pattern. */
export function validateCleanupPattern(pattern: string): void {
  const fail: (why: string) => never = (why) => {
    throw new UnsafePatternError(why);
  };
  if (pattern.length === 0) fail('the pattern is empty');
  if (pattern.length > CLEANUP_PATTERN_MAX_LENGTH) fail(`the pattern is longer than ${CLEANUP_PATTERN_MAX_LENGTH} characters`);
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  // What the next quantifier would apply to.
  let last: 'none' | 'atom' | Frame = 'none';
  let unbounded = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) fail('the pattern ends with a backslash');
      if (/[1-9]/.test(next as string) || next === 'k') fail('backreferences are not allowed');
      i += 2;
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) fail('unterminated escape');
        i = end + 1;
      }
      last = 'atom';
      continue;
    }
    if (c === '[') {
      i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      if (i >= pattern.length) fail('unterminated character class');
      i += 1;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?:', i)) i += 3;
      else if (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
        const end = pattern.indexOf('>', i);
        if (end < 0) fail('unterminated group name');
        i = end + 1;
      } else if (pattern[i + 1] === '?') fail('lookahead, lookbehind and inline flags are not allowed');
      else i += 1;
      stack.push({ quantified: false, alternation: false });
      last = 'none';
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) fail('unbalanced parenthesis');
      last = stack.pop() as Frame;
      i += 1;
      continue;
    }
    if (c === '|') {
      (stack[stack.length - 1] as Frame).alternation = true;
      last = 'none';
      i += 1;
      continue;
    }
    const counted = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
    if (c === '*' || c === '+' || c === '?' || counted) {
      if (last === 'none') fail('a quantifier has nothing to repeat');
      const isUnbounded = c === '*' || c === '+' || (counted !== null && counted[2] !== undefined && counted[3] === '');
      if (counted && Number(counted[3] || counted[1]) > MAX_REPEAT) fail(`counted repeats are limited to ${MAX_REPEAT}`);
      if (last !== 'atom' && last.quantified) fail('nested quantifiers (a repeated group that itself repeats) are not allowed');
      if (last !== 'atom' && isUnbounded && last.alternation) fail('an unbounded repeat of a group with alternatives is not allowed');
      if (isUnbounded && ++unbounded > MAX_UNBOUNDED_QUANTIFIERS) fail(`at most ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers`);
      for (const f of stack) f.quantified = true;
      i += counted ? counted[0].length : 1;
      if (pattern[i] === '?') i += 1; // lazy
      last = 'none';
      continue;
    }
    last = 'atom';
    i += 1;
  }
  if (stack.length !== 1) fail('unbalanced parenthesis');
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'iu');
  } catch (err) {
    return fail(`not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (re.test('')) fail('the pattern matches the empty string');
}

export interface PartnerCleanupResult {
  paragraphs: string[];
  removed: RemovedSpan[];
  /** The time budget ran out: nothing was removed by partner rules. */
  timedOut: boolean;
}

// Runs inside the sandbox: plain JavaScript over strings only, so nothing crosses realms but JSON.
const APPLY = new Script(`(function (input) {
  var rules = input.rules, paragraphs = input.paragraphs.slice(), removed = [];
  for (var r = 0; r < rules.length; r++) {
    var rule = rules[r];
    var source = rule.kind === 'prefix' ? '^(?:' + rule.pattern + ')' : rule.kind === 'suffix' ? '(?:' + rule.pattern + ')$' : rule.pattern;
    var re;
    try { re = new RegExp(source, 'iu'); } catch (e) { continue; } // a row that bypassed validation
    var note = function (text) { removed.push({ reason: rule.reason, rule: rule.id, text: text }); };
    if (rule.kind === 'paragraph') {
      paragraphs = paragraphs.filter(function (p) { if (re.test(p)) { note(p); return false; } return true; });
    } else if (rule.kind === 'line') {
      paragraphs = paragraphs.map(function (p) {
        return p.split('\\n').filter(function (l) { if (l.trim() && re.test(l)) { note(l); return false; } return true; }).join('\\n').trim();
      }).filter(function (p) { return p.length > 0; });
    } else if (paragraphs.length > 0) {
      var at = rule.kind === 'prefix' ? 0 : paragraphs.length - 1;
      var m = re.exec(paragraphs[at]);
      if (m && m[0].length > 0) {
        note(m[0].trim());
        var rest = rule.kind === 'prefix' ? paragraphs[at].slice(m[0].length).trim() : paragraphs[at].slice(0, m.index).trim();
        if (rest) paragraphs[at] = rest; else paragraphs.splice(at, 1);
      }
    }
  }
  return JSON.stringify({ paragraphs: paragraphs, removed: removed });
})(JSON.parse(inputJson))`);
const sandbox = createContext(Object.create(null) as Record<string, unknown>);

/** Applies the rules in order; see the header for the time budget. */
export function applyPartnerCleanupRules(
  paragraphs: string[],
  rules: readonly PartnerCleanupRule[],
  timeoutMs = CLEANUP_RULES_TIMEOUT_MS,
): PartnerCleanupResult {
  if (rules.length === 0 || paragraphs.length === 0) return { paragraphs, removed: [], timedOut: false };
  sandbox['inputJson'] = JSON.stringify({
    paragraphs,
    rules: rules.map((r) => ({ id: r.id, kind: r.kind, pattern: r.pattern, reason: r.reason })),
  });
  try {
    const out = JSON.parse(APPLY.runInContext(sandbox, { timeout: timeoutMs }) as string) as { paragraphs: string[]; removed: RemovedSpan[] };
    return { ...out, timedOut: false };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { paragraphs, removed: [], timedOut: true };
    throw err;
  } finally {
    delete sandbox['inputJson'];
  }
}
