/**
 * Light suffix strippers for Kazakh and Mongolian, which have no Snowball stemmer. Both languages
 * are agglutinative: a noun takes a plural, a possessive and a case suffix in that order, each in
 * several vowel-harmony and assimilation variants. These strip at most one suffix per slot
 * (case, then possessive, then plural), longest first, keeping at least MIN_STEM letters, so "кен орындарының" and "кен орны"
 * group together for keywords and name grouping. They do not touch derivation, and a stem may
 * keep a linking letter; the gazetteer and topic terms still match by agglutinative prefix
 * (phrase-index.ts), which these keys complement rather than replace.
 *
 * Suffix lists follow standard grammars: Kazakh septik endings (ilik, barys, tabys, jatys, shygys,
 * komektes) and plural -лар/-лер/-дар/-дер/-тар/-тер; Mongolian case endings (genitive,
 * dative-locative, accusative, ablative, instrumental, comitative, directive) and plurals.
 */

const MIN_STEM = 3;

const byLength = (list: string): string[] =>
  list
    .split(/\s+/)
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);

/**
 * Suffix slots from the end of the word inwards; at most one suffix is taken from each slot, so a
 * stem's own ending ("Астана", "хороо") is not read as one more suffix.
 */
type Slots = ReadonlyArray<readonly string[]>;

const KAZAKH: Slots = [
  // case: genitive, dative (-на/-не only after a possessive), accusative, locative, ablative, instrumental
  byLength(`
    ның нің дың дің тың тің ға ге қа ке ына іне сына сіне ны ні ды ді ты ті ын ін сын сін
    да де та те нда нде дан ден тан тен нан нен мен бен пен
  `),
  // possessive
  byLength('сы сі ы і ымыз іміз мыз міз'),
  // plural
  byLength('лар лер дар дер тар тер'),
];

const MONGOLIAN: Slots = [
  // case: genitive, dative-locative, accusative, ablative, instrumental, comitative, directive
  byLength(`
    ын ийн ний ны гийн ий ад эд од өд ыг ийг иг аас ээс оос өөс иас иос гаас гээс гоос
    аар ээр оор өөр иар иор гаар гээр гоор тай тэй той руу рүү луу лүү
  `),
  // plural
  byLength('ууд үүд нууд нүүд чууд чүүд'),
];

/** Mongolian dative -д/-т after a consonant that cannot end a stem in д/т: "Вашингтонд", "Улаанбаатарт". */
const MONGOLIAN_SHORT_DATIVE = /[нрлмвсь][дт]$/;

function stripSlots(norm: string, slots: Slots): string {
  // Acronyms and names take their case suffix after a hyphen: "АҚШ-тың", "АНУ-ын".
  const dash = norm.lastIndexOf('-');
  if (dash > 0 && slots[0]?.includes(norm.slice(dash + 1))) return norm.slice(0, dash);
  let stem = norm;
  for (const slot of slots) {
    const suffix = slot.find((candidate) => stem.endsWith(candidate) && stem.length - candidate.length >= MIN_STEM);
    if (suffix) stem = stem.slice(0, -suffix.length);
  }
  return stem;
}

export function stemKazakh(norm: string): string {
  return stripSlots(norm, KAZAKH);
}

export function stemMongolian(norm: string): string {
  const stem = stripSlots(norm, MONGOLIAN);
  if (stem === norm && MONGOLIAN_SHORT_DATIVE.test(norm) && norm.length > MIN_STEM + 1) return norm.slice(0, -1);
  return stem;
}
