/**
 * @syndication/language: clean-up, language detection and machine translation for story text.
 * The tagger's exports are appended below.
 */
export * from './cleanup';
export * from './cleanup-rules';
export * from './near-duplicate';
export * from './detect';
export * from './translation/provider';
export * from './translation/registry';
export * from './translation/apertium.provider';
export * from './translation/deepl.provider';
export * from './translation/libretranslate.provider';
export * from './translation/google.provider';
export * from './translation/azure.provider';
export * from './translation/openai.provider';
export * from './translation/fidelity';
export * from './translation/rate-limit';
export * from './translation/apy-server';
export * from './tagging';
export * from './evaluation/factru';
export * from './evaluation/ner-score';
export * from './evaluation/ner-eval';
export * from './evaluation/ner-cross-validation';
export * from './evaluation/topic-score';
