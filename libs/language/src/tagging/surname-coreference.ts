/**
 * Later mentions of a person by surname alone ("Веселин Топалов ... Топалов заявил"): once a
 * recogniser has found a person by full name, every other capitalised word of the story that is
 * a case form of that surname is a mention of the same person. Runs after the other recognisers,
 * on unclaimed tokens only, so a surname that is also a known place or organisation stays theirs.
 */
import type { EntityMention } from '@syndication/contracts';
import type { Token } from './text';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from './types';

const MIN_SURNAME = 3;

export class SurnameCoreferenceRecognizer implements EntityRecognizer {
  readonly source = 'coreference';

  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>, found: readonly EntityCandidate[]): EntityCandidate[] {
    const bySurname = new Map<string, EntityCandidate>();
    for (const candidate of found) {
      if (candidate.type !== 'person') continue;
      for (const [start, end] of candidate.tokenSpans) {
        if (end - start < 2) continue;
        const last = story.tokens[end - 1];
        if (!last || last.norm.length < MIN_SURNAME) continue;
        bySurname.set(this.key(story, last), candidate);
        // Snowball may stem "Топалов" and "Топалова" apart; the generated case forms join them.
        if (!last.latin && story.analyzer.nameForms) for (const form of story.analyzer.nameForms(last.norm)) bySurname.set(`=${form}`, candidate);
      }
    }
    if (bySurname.size === 0) return [];
    const added = new Map<string, EntityCandidate>();
    for (const token of story.tokens) {
      if (claimed.has(token.index) || !token.capitalised || token.acronym || story.analyzer.isStopWord(token.norm)) continue;
      const person = bySurname.get(`=${token.norm}`) ?? bySurname.get(this.key(story, token));
      if (!person) continue;
      const mention: EntityMention = { surface: token.raw, offset: token.start };
      const entry = added.get(person.id);
      if (entry) {
        entry.mentions.push(mention);
        entry.tokenSpans.push([token.index, token.index + 1]);
      } else {
        added.set(person.id, {
          ...person,
          mentions: [mention],
          tokenSpans: [[token.index, token.index + 1]],
          confidence: Math.min(person.confidence, 0.6),
          source: this.source,
        });
      }
    }
    return [...added.values()];
  }

  private key(story: AnalyzedStory, token: Token): string {
    return story.analyzer.stem(token.norm, token.latin);
  }
}
