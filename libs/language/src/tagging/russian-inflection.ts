/**
 * Case forms of Russian proper names, generated from the nominative by their ending. Snowball
 * stems names badly ("Киев" -> "ки", "Китай" -> "кита" but "Китая" -> "кит"), so gazetteer names
 * are matched against their generated paradigm instead: the six singular cases for nouns and
 * adjectives ("Южная Корея" -> "Южной Кореи"), and the plural cases for plural names ("Штаты" ->
 * "Штатов"). Over-generation is harmless here: a form is only ever compared with a capitalised
 * word of a story, never produced as output.
 */

const SIBILANT_OR_VELAR = /[гкхжшчщ]$/;
const HUSHING = /[жшчщц]$/;

function adjectiveForms(stem: string, ending: string): string[] {
  switch (ending) {
    case 'ая':
      return ['ой', 'ую', 'ою'].map((e) => stem + e);
    case 'яя':
      return ['ей', 'юю'].map((e) => stem + e);
    case 'ый':
    case 'ой':
    case 'ое':
      return ['ого', 'ому', 'ым', 'ом'].map((e) => stem + e);
    case 'ий':
    case 'ее':
      return ['его', 'ему', 'им', 'ем', 'ого', 'ому', 'ом'].map((e) => stem + e);
    case 'ые':
      return ['ых', 'ым', 'ыми'].map((e) => stem + e);
    case 'ие':
      return ['их', 'им', 'ими'].map((e) => stem + e);
    default:
      return [];
  }
}

function nounForms(word: string): string[] {
  const last = word.slice(-1);
  const stem = word.slice(0, -1);
  if (word.endsWith('ия')) return ['ии', 'ию', 'ией'].map((e) => word.slice(0, -2) + e);
  switch (last) {
    case 'а':
      return [SIBILANT_OR_VELAR.test(stem) ? 'и' : 'ы', 'е', 'у', 'ой', 'ою', ...(HUSHING.test(stem) ? ['ей'] : [])].map((e) => stem + e);
    case 'я':
      return ['и', 'е', 'ю', 'ей'].map((e) => stem + e);
    case 'ь':
      return ['и', 'ью', 'я', 'ю', 'ем', 'е'].map((e) => stem + e);
    case 'й':
      return ['я', 'ю', 'ем', 'е', 'и'].map((e) => stem + e);
    case 'ы':
      return ['', 'ов', 'ам', 'ами', 'ах'].map((e) => stem + e);
    case 'и':
      // "Сочи" does not decline, "Курилы"-like plurals in -и do ("Гималаи" -> "Гималаев").
      return ['', 'ей', 'ев', 'ям', 'ями', 'ях'].map((e) => stem + e);
    default:
      break;
  }
  if (/[аеёиоуыэюя]$/.test(word)) return []; // Токио, Перу, Лукашенко: indeclinable
  // A consonant: masculine noun or surname (Киев -> Киева, Путин -> Путиным).
  return ['а', 'у', 'ом', 'е', 'ым', 'ы', 'ов', 'ам', 'ах', ...(HUSHING.test(word) ? ['ем'] : [])].map((e) => word + e);
}

const cache = new Map<string, ReadonlySet<string>>();

/** The nominative itself plus its generated case forms (lower case, "ё" folded). */
export function russianNameForms(norm: string): ReadonlySet<string> {
  let forms = cache.get(norm);
  if (forms) return forms;
  const dash = norm.lastIndexOf('-');
  if (dash > 0) {
    // Hyphenated names decline on their last part only ("Улан-Удэ", "Санкт-Петербурга").
    const head = norm.slice(0, dash + 1);
    forms = new Set([...russianNameForms(norm.slice(dash + 1))].map((form) => head + form));
  } else {
    const set = new Set<string>([norm]);
    if (norm.length >= 3 && /[а-я]$/.test(norm)) {
      const ending = norm.slice(-2);
      for (const form of adjectiveForms(norm.slice(0, -2), ending)) set.add(form);
      // "-ой"/"-ий" may be nouns too ("Толстой", "Дмитрий"), so both paradigms are generated.
      if (!['ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ый'].includes(ending)) for (const form of nounForms(norm)) set.add(form);
    }
    forms = set;
  }
  cache.set(norm, forms);
  return forms;
}
