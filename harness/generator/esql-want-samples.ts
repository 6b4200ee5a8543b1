import fc from 'fast-check';
import { luceneToJs } from '../engines/common/lucene-regex.ts';
import type { Pattern } from '../engines/common/pattern.ts';
import { parseEsWildcard } from '../engines/elastic/es-wildcard.ts';
import { javaRegex } from '../engines/esql/functions/strings.ts';
import { LOOKAROUND } from './esql-plant.ts';

/**
 * Texts a LIKE / RLIKE pattern matches, for the backwards reading of a
 * condition (esql-want.ts): a wildcard's literal parts joined, a regex sampled
 * (fast-check's stringMatching) and kept only when the pattern, read as the
 * ES|QL engine reads it, matches the whole sample.
 */
export function patternText(p: Pattern): string {
  return p.map((t) => (t.kind === 'text' ? t.text : t.kind === 'one' ? 'x' : '')).join('');
}

export function likeSample(pattern: string): string {
  return patternText(parseEsWildcard(pattern));
}

const SAMPLES = 3;

/** Samples by pattern and seed: the search asks for the same pattern once per round and event. */
const drawnBefore = new Map<string, string[]>();
function cached(key: string, draw: () => string[]): string[] {
  let got = drawnBefore.get(key);
  if (got === undefined) {
    if (drawnBefore.size > 2000) drawnBefore.clear();
    drawnBefore.set(key, (got = draw()));
  }
  return got;
}

/** Up to three distinct texts the RLIKE pattern matches whole (none when it cannot be sampled). */
export function rlikeSamples(pattern: string, seed = 1): string[] {
  return cached(`rlike ${seed} ${pattern}`, () => drawRlike(pattern, seed));
}

function drawRlike(pattern: string, seed: number): string[] {
  try {
    const source = luceneToJs(pattern.replace(/(^|[^\\][(|])([*+?])/g, '$1\\$2'));
    const whole = new RegExp(`^(?:${source})$`, 's');
    const drawn = fc.sample(fc.stringMatching(new RegExp(`^(?:${source.replace(LOOKAROUND, '')})$`), { size: 'xsmall' }), { seed, numRuns: 12 });
    return [...new Set(drawn.filter((t) => whole.test(t)))].slice(0, SAMPLES);
  } catch {
    return [];
  }
}

/** Up to three distinct texts a Java regex (REPLACE's pattern) matches whole. */
export function regexSamples(pattern: string, seed = 1): string[] {
  return cached(`java ${seed} ${pattern}`, () => drawJava(pattern, seed));
}

function drawJava(pattern: string, seed: number): string[] {
  try {
    const re = javaRegex(pattern);
    const whole = new RegExp(`^(?:${re.source})$`, re.flags.replace(/[gy]/g, ''));
    const drawn = fc.sample(fc.stringMatching(new RegExp(`^(?:${re.source.replace(LOOKAROUND, '')})$`, re.flags.replace(/[gyi]/g, '')), { size: 'xsmall' }), { seed, numRuns: 12 });
    return [...new Set(drawn.filter((t) => t.length > 0 && whole.test(t)))].slice(0, SAMPLES);
  } catch {
    return [];
  }
}
