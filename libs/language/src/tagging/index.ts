/**
 * Offline story tagging: entities (gazetteer + person heuristic), IPTC Media Topics and keywords.
 */
export { Tagger, tagStory, mergeById, HEADLINE_SEPARATOR, type TaggerComponents } from './tagger';
export type {
  AnalyzedStory,
  EntityCandidate,
  EntityRecognizer,
  KeywordExtractor,
  ScoredKeyword,
  TagInput,
  TopicClassifier,
} from './types';
export { GazetteerRecognizer, loadGazetteer } from './gazetteer';
export { PersonHeuristicRecognizer } from './person-heuristic';
export { RussianNerRecognizer, loadRussianNerModel, type RussianNerOptions } from './ner-ru/recognizer';
export { PerceptronModel, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type ModelFile } from './ner-ru/perceptron';
export { trainRussianNer, documentFolds } from './ner-ru/train';
export { RuleTopicClassifier } from './topic-classifier';
export { markRoutable } from './topic-routing';
export { FrequencyKeywordExtractor } from './keywords';
export {
  StoryTagger,
  OpenAiCompatibleTagger,
  mergeTagging,
  type LlmTaggerOptions,
  type TaggingOutcome,
  type DroppedTag,
} from './llm-tagger';
export { mediaTopics, MediaTopicVocabulary, type MediaTopic } from './media-topics';
export { TOPIC_RULES, type TopicRule } from './topic-rules';
export { analyzerFor, type Analyzer } from './analyzer';
