/** Languages the product handles, as ISO 639-1 codes (the form stored and exposed everywhere). */
export const LANGUAGES = ['ru', 'en', 'uk', 'mn', 'kk', 'es', 'be', 'ca', 'fr', 'de'] as const;
export type LanguageCode = (typeof LANGUAGES)[number];
export function isLanguageCode(value: string): value is LanguageCode {
  return (LANGUAGES as readonly string[]).includes(value);
}
