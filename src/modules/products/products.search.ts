/**
 * Turns the user's search text into a tsquery. Full-text search (a generated, weighted tsvector over title, brand,
 * category names and description, GIN-indexed) matches and ranks; pg_trgm on the vocabulary (`search_terms`: every
 * word of the search documents, kept by triggers, trigram GiST-indexed) makes it tolerant:
 *
 * - typos: a word that is not a known term is OR-ed with its nearest terms by trigram distance (KNN) that look like
 *   a typo of it — similar length, same first letter unless very similar: "iphnoe" → `iphnoe | iphone`, while
 *   "phone" is never "corrected" to "one". This is the spelling-correction recipe of the pg_trgm documentation; it
 *   needs no per-session similarity threshold and stays cheap at any catalogue size (the vocabulary is small);
 * - parts of words: a word is OR-ed with the shortest terms containing it, so "phone" also finds "iPhone" and
 *   "smartphones" and "xm5" finds "WH-1000XM5" — full-text search alone matches whole words only;
 * - typing: the last word, unless already a known word, also matches as a prefix ("ipho" finds the iPhone).
 *
 * Everything ends up in one tsquery answered by the GIN index. (Matching titles with ILIKE through a trigram index
 * instead was measured: OR-ed with the full-text match it turned plans into sequential scans, 350 ms+ at 100k rows.)
 */

/** Words shorter than this are neither corrected nor expanded (too little signal in their trigrams). */
const MIN_TOLERANT_LENGTH = 4;
/** pg_trgm similarity (0..1) a vocabulary term needs to count as a spelling of the word; "iphnoe"/"iphone" = 0.27. */
export const MIN_CORRECTION_SIMILARITY = 0.25;
/** Above this similarity a term may differ in its first letter too. */
const STRONG_SIMILARITY = 0.5;
const MAX_LENGTH_DIFFERENCE = 2;
/** A second spelling correction must be at least this fraction as similar as the best one. */
const RUNNER_UP_RATIO = 0.8;
/** Alternatives kept per word: spelling corrections, terms containing it. */
const MAX_CORRECTIONS = 2;
const MAX_CONTAINING = 6;
/** Words of a query beyond this are ignored. */
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/** Lower-cased letter/digit runs of the query: the only characters that ever reach a tsquery. */
export function tokenize(q: string): string[] {
  const words = q
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && word.length <= MAX_WORD_LENGTH);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** Words worth a vocabulary lookup. */
export function tolerantWords(words: string[]): { near: string[]; infix: string[] } {
  const long = words.filter((word) => word.length >= MIN_TOLERANT_LENGTH);
  return { near: long.filter((word) => !/^\d+$/.test(word)), infix: long };
}

export interface TermCandidate {
  word: string;
  term: string;
  similarity: number;
  /** true: the term contains the word; false: a nearest term by trigram distance. */
  contains: boolean;
}

export interface SearchPlan {
  /** to_tsquery('english', …) text: AND of the words, each OR-ed with its corrections and containing terms. */
  tsquery: string;
  /** Per word, the vocabulary terms OR-ed with it (debugging, tests). */
  alternatives: Record<string, string[]>;
}

const isWord = (term: string) => /^[\p{L}\p{N}]+$/u.test(term);

/**
 * Builds the plan from the words and their vocabulary candidates. Words and terms are letter/digit runs only, so
 * they cannot inject tsquery operators.
 */
export function buildSearchPlan(words: string[], candidates: TermCandidate[]): SearchPlan | undefined {
  if (words.length === 0) return undefined;
  const alternatives: Record<string, string[]> = {};
  const known = new Set<string>();
  for (const word of words) {
    const mine = candidates.filter((candidate) => candidate.word === word && isWord(candidate.term));
    const nearest = mine.filter((candidate) => !candidate.contains);
    if (nearest.some((candidate) => candidate.term === word)) known.add(word);
    // A word that is itself a known term is taken as written. Otherwise the closest typo-like terms, keeping only
    // those nearly as close as the best one ("headphnes" → headphones, not also headlamp).
    const typos = known.has(word)
      ? []
      : nearest
          .filter((candidate) => looksLikeTypo(word, candidate))
          .sort((a, b) => b.similarity - a.similarity);
    const corrections = typos
      .filter((candidate) => candidate.similarity >= typos[0].similarity * RUNNER_UP_RATIO)
      .slice(0, MAX_CORRECTIONS)
      .map((candidate) => candidate.term);
    const containing = mine
      .filter((candidate) => candidate.contains)
      .slice(0, MAX_CONTAINING)
      .map((candidate) => candidate.term);
    const terms = [...new Set([...corrections, ...containing])].filter((term) => term !== word);
    if (terms.length > 0) alternatives[word] = terms;
  }

  const groups = words.map((word, index) => {
    // The last word may still be being typed: a prefix, unless it is already a known word (a prefix match makes
    // the GIN index recheck every candidate row: measured 2x slower on broad words).
    const prefix = index === words.length - 1 && word.length >= 2 && !known.has(word);
    const options = [prefix ? `${word}:*` : word, ...(alternatives[word] ?? [])];
    return options.length === 1 ? options[0] : `(${options.join(' | ')})`;
  });
  return { tsquery: groups.join(' & '), alternatives };
}

function looksLikeTypo(word: string, candidate: TermCandidate): boolean {
  if (candidate.similarity < MIN_CORRECTION_SIMILARITY) return false;
  if (Math.abs(candidate.term.length - word.length) > MAX_LENGTH_DIFFERENCE) return false;
  return candidate.term[0] === word[0] || candidate.similarity >= STRONG_SIMILARITY;
}
