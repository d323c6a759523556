import { readFileSync } from 'node:fs';
import { parseDocument } from '@syndication/formats';
import { tagStory } from '@syndication/language';
const s = parseDocument('text/plain', readFileSync('/work/shared/corpus/seed/centralasia-2026-02-07-ru.txt', 'utf8')).stories[0]!;
console.log(tagStory({ headline: s.headline, body: s.paragraphs.join('\n\n'), language: 'ru' }).topics.map((x) => `${x.code} ${x.name} ${x.score}`));
