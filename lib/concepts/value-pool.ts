/**
 * One deterministic pool of values per shared concept, for sample data: the concept's examples first, then
 * distinct values matching its pattern, the same sequence for the same seed in every product. A sample of
 * sales/orders therefore joins a sample of customers/customer_profiles on customer_id.
 */
import type { Concept } from '../policies/concept-registry';
import { sampleMatching } from '../quality/regex-sampler';

/**
 * Values a column that does not have to be unique (a foreign key) draws from: the first values of the
 * pool, so they are among the keys of a unique column's sample of the default 1,000 rows.
 */
export const SHARED_POOL_SIZE = 500;

/**
 * The first `count` values of the concept's pool for `seed`; a longer pool starts with the shorter one.
 * Throws PatternSampleError when the pattern cannot yield that many distinct values.
 */
export function conceptValues(concept: Concept, count: number, seed: number): string[] {
  if (!concept.pattern) throw new Error(`concept "${concept.name}" has no pattern to draw values from`);
  const matches = new RegExp(concept.pattern);
  const examples = [...new Set((concept.examples ?? []).map(String).filter((value) => matches.test(value)))].slice(
    0,
    count,
  );
  const generated = sampleMatching(concept.pattern, count - examples.length, {
    unique: true,
    seed: poolSeed(seed, concept.name),
    accept: (value) => !examples.includes(value),
  });
  return [...examples, ...generated];
}

/** A 32-bit seed from the sample's seed and the concept's name (FNV-1a), so concepts draw apart. */
function poolSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${name}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
