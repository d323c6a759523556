/**
 * The routing flag of topic tags: a topic whose relevance reaches the threshold routes, the rest
 * are stored and shown but never match a route. Applied where a threshold is known (the tagging
 * worker, the route preview), after any external tagger has merged its topics.
 */
import type { TopicTag } from '@syndication/contracts';

export function markRoutable(topics: readonly TopicTag[], threshold: number): Array<TopicTag & { routable: boolean }> {
  return topics.map((topic) => ({ ...topic, routable: topic.score >= threshold }));
}
