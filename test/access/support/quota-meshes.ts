/** Meshes that break one access quota each, for the bad-input tests. */
import { domain, product, type TempDomain } from './temp-project';

const name = (prefix: string, i: number) => `${prefix}${String(i).padStart(3, '0')}`;

/**
 * A producer whose three products are shared with three different lists of 70 consumer domains: three
 * deny statements naming 140+ roles each, more than a 20 KB bucket policy holds.
 */
export function bucketPolicyBlowingMesh(): TempDomain[] {
  const consumers = Array.from({ length: 72 }, (_, i) => name('x', i));
  const shared = (offset: number) => ({
    visibility: 'consumers' as const,
    consumers: consumers.slice(offset, offset + 70).map((d) => ({ domain: d, purpose: 'Reporting' })),
  });
  return [
    {
      definition: domain('hub'),
      products: [
        product('alpha', { access: shared(0) }),
        product('beta', { access: shared(1) }),
        product('gamma', { access: shared(2) }),
      ],
    },
    ...consumers.map((d) => ({ definition: domain(d) })),
  ];
}

/** A consumer domain reading 450 product versions (30 domains × 15 products): more than 10 managed policies hold. */
export function identityPolicyBlowingMesh(): TempDomain[] {
  const producers = Array.from({ length: 30 }, (_, i) => name('p', i));
  const inputs = producers.flatMap((d) => Array.from({ length: 15 }, (_, j) => `${d}/${d}_${name('t', j)}@1`));
  return [
    ...producers.map((d) => ({
      definition: domain(d),
      products: Array.from({ length: 15 }, (_, j) => product(`${d}_${name('t', j)}`)),
    })),
    { definition: domain('lake'), products: [product('everything', { access: { visibility: 'domain' }, inputs })] },
  ];
}
