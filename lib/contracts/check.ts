/**
 * checkContracts(): the contract governance rules over the whole mesh, as plain findings. The policy engine
 * attaches them to the product's (or domain's) construct; the CLI prints them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_ROOT, hashJson, hashSources, ResultCache } from '../cache/result-cache';
import { sourceKeyOf } from '../mesh/load';
import type { Mesh, MeshProduct } from '../mesh/model';
import { productVersionNames } from '../mesh/naming';
import { formatProblem } from '../mesh/problems';
import type { LockFile } from './contract-schema';
import { type ContractFinding, productFinding } from './finding';
import { lockFilePath, planLock, readLockFile } from './lock';
import type { MajorComparison } from './majors';
import { orphanedContracts } from './orphans';
import { contractRule } from './rules';
import { versionProblems } from './semver';
import { assertIsoDate, checkSunsets } from './sunset';

/**
 * Runs MESH-CON-001 … 009 on the mesh (lock files of removed products: see orphans.ts). Lock files are read from `root`; `today` (YYYY-MM-DD) decides
 * sunsets. Draft products are unpublished, so their lock findings (001–004) are warnings.
 */
export function checkContracts(mesh: Mesh, root: string, today: string): ContractFinding[] {
  assertIsoDate(today);
  const cache = lockCheckCache(root);
  return [
    ...mesh.domains.flatMap((domain) => cachedCheckLocksOf(domain.products, root, today, cache)),
    ...orphanedContracts(root, mesh, today),
    ...checkSunsets(mesh, today),
    ...checkTableNames(mesh),
  ];
}

/** A finding as kept in the cache: without the product, which is attached again on the way out. */
type StoredFinding = Omit<ContractFinding, 'product'>;

function lockCheckCache(root: string): ResultCache<StoredFinding[]> {
  return new ResultCache<StoredFinding[]>(path.join(root, CACHE_ROOT, 'contracts'));
}

let platformFingerprint: string | undefined;

/** The code a lock check's result depends on: the contract rules and the definition model they read. */
function platform(): string {
  platformFingerprint ??= hashSources([
    __dirname,
    path.join(__dirname, '..', 'mesh'),
    path.join(__dirname, '..', 'definition'),
    // Columns inherit types from the shared concepts, so the contracts depend on them.
    path.join(__dirname, '..', 'policies', 'concepts.ts'),
    path.join(__dirname, '..', 'policies', 'concept-registry.ts'),
    path.join(__dirname, '..', '..', 'package.json'),
  ]);
  return platformFingerprint;
}

/**
 * checkLockOf for every product of a domain, answered from one cache entry when neither the lock files'
 * text, the products' definitions, the day nor the platform changed: parsing and re-hashing every lock is
 * most of a contract check's cost, and one entry per domain keeps a warm check to one read per domain.
 */
function cachedCheckLocksOf(
  products: readonly MeshProduct[],
  root: string,
  today: string,
  cache: ResultCache<StoredFinding[]>,
): ContractFinding[] {
  if (products.length === 0) return [];
  const locks = products.map((product) => {
    try {
      return fs.readFileSync(path.join(root, lockFilePath(product)), 'utf8');
    } catch {
      return null;
    }
  });
  // One entry per domain: a new key replaces the domain's earlier entries (another day, an edit).
  const prefix = `${products[0].domain.replace(/[^A-Za-z0-9_-]/g, '_')}--`;
  // Products straight from the loader are named by the key of their sources; others are hashed whole.
  const sources = products.map(sourceKeyOf);
  const described = sources.every((s) => s !== undefined) ? sources : products;
  // Lock texts go into the hash as they are: wrapping megabytes of JSON in JSON again costs more than the hash.
  const hash = createHash('sha256').update(hashJson({ platform: platform(), today, products: described }));
  for (const lock of locks)
    hash.update(lock === null ? '\u0000absent' : `\u0000${lock.length}\u0000`).update(lock ?? '');
  const key = `${prefix}${hash.digest('hex').slice(0, 32)}`;
  const byId = new Map(products.map((product) => [product.id, product]));
  const stored = cache.get(key);
  if (stored) return stored.map((finding) => ({ ...finding, product: byId.get(finding.productId) }));
  const findings = products.flatMap((product) => checkLockOf(product, root, today));
  cache.set(
    key,
    findings.map(({ product: _product, ...rest }) => rest),
    prefix,
  );
  return findings;
}

function checkLockOf(product: MeshProduct, root: string, today: string): ContractFinding[] {
  const file = lockFilePath(product);
  const draft = product.definition.status === 'draft';
  const severity = (normal: 'error' | 'warning') => (draft ? 'warning' : normal);
  const lockCommand = `npx mesh contract lock ${product.id}`;

  const read = readLockFile(root, file, product.id);
  if (read.problems.length > 0) {
    return read.problems.map((problem) =>
      productFinding('MESH-CON-006', product, {
        file,
        message: formatProblem(problem),
        fix: `restore ${file} from version control, or delete it and run ${lockCommand}`,
      }),
    );
  }
  if (!read.lock) {
    return [
      productFinding('MESH-CON-003', product, {
        severity: severity('error'),
        message: `${product.id} has no contract lock (${file})${draft ? '; fine while it is a draft, needed before it is published' : ''}`,
        fix: `run ${lockCommand} and commit ${file}`,
      }),
    ];
  }

  const findings: ContractFinding[] = [];
  const plan = planLock(product, read.lock, today);
  for (const comparison of plan.comparisons) {
    const breaking = comparison.changes.filter((c) => c.breaking);
    if (breaking.length === 0) continue;
    const nextMajor = Math.max(...plan.comparisons.map((c) => c.major)) + 1;
    findings.push(
      productFinding('MESH-CON-001', product, {
        severity: severity('error'),
        message: `v${comparison.major} of ${product.id} has ${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} against ${file}: ${breaking.map((c) => `${c.message} [${c.path}]`).join('; ')}`,
        fix: breakingFix(comparison, nextMajor, file, lockCommand),
        changes: breaking,
      }),
    );
  }
  for (const problem of versionProblems(plan.comparisons, product.versions[0].major)) {
    findings.push(
      productFinding('MESH-CON-004', product, {
        severity: draft ? 'warning' : problem.severity,
        message: `${product.id} v${problem.major}: ${problem.message}`,
        fix: problem.fix,
      }),
    );
  }
  // Re-locking is the fix only when the lock command would accept the change; otherwise the findings above apply.
  if (plan.blockers.length === 0 && plan.changed) {
    const stale = plan.comparisons
      .filter((c) => c.state === 'new' || c.state === 'changed' || c.state === 'removed')
      .map((c) => `v${c.major} ${c.state}`);
    const lifecycle = lifecycleChange(read.lock, plan.lock);
    const details = [...stale, ...(lifecycle ? [lifecycle] : [])];
    findings.push(
      productFinding('MESH-CON-002', product, {
        severity: severity(contractRule('MESH-CON-002').severity),
        message: `the contract of ${product.id} differs from ${file}${details.length > 0 ? ` (${details.join(', ')})` : ''}`,
        fix: `run ${lockCommand} and commit ${file}`,
      }),
    );
  }
  return findings;
}

/** How the product's status and sunset differ between the lock and the definition, if they do. */
function lifecycleChange(locked: LockFile, planned: LockFile): string | undefined {
  const show = (lock: LockFile) =>
    lock.status ? `${lock.status}${lock.sunset ? ` until ${lock.sunset}` : ''}` : 'live';
  const [before, after] = [show(locked), show(planned)];
  return before === after ? undefined : `status ${before} → ${after}`;
}

/** What to do about the breaking changes of one major, by how the major changed. */
function breakingFix(comparison: MajorComparison, nextMajor: number, file: string, lockCommand: string): string {
  const v = `v${comparison.major}`;
  switch (comparison.state) {
    case 'removed':
      return comparison.locked?.sunset
        ? `keep ${v} in previousVersions until its sunset (${comparison.locked.sunset}); remove it afterwards and run ${lockCommand}`
        : `restore ${v} as a previousVersions entry with a sunset date that leaves consumers time to migrate, then run ${lockCommand}`;
    case 'reused':
      return `use a new major number (${nextMajor}.0.0) instead of ${v}`;
    default:
      return comparison.contract?.sunset !== undefined
        ? `restore ${v} in previousVersions exactly as locked in ${file}; an earlier major does not change`
        : `undo the change, or publish it as ${nextMajor}.0.0 and keep ${v} in previousVersions with a sunset date; then run ${lockCommand}`;
  }
}

function checkTableNames(mesh: Mesh): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const domain of mesh.domains) {
    const owners = new Map<string, { product: MeshProduct; major: number }[]>();
    for (const product of domain.products) {
      for (const version of product.versions) {
        const table = productVersionNames(product.name, version.major).table;
        owners.set(table, [...(owners.get(table) ?? []), { product, major: version.major }]);
      }
    }
    for (const [table, users] of owners) {
      if (users.length < 2) continue;
      const [first] = users;
      findings.push(
        productFinding('MESH-CON-009', first.product, {
          message: `${users.map((u) => `${u.product.id}@${u.major}`).join(' and ')} all resolve to table ${table} in the ${domain.name} database`,
          fix: `give each live major its own major number in ${[...new Set(users.map((u) => u.product.file))].join(' and ')}`,
        }),
      );
    }
  }
  return findings;
}
