/**
 * Contract lock files: `domains/<domain>/products/<product>.contract.lock.json` records the published contract
 * of every major of a product, so a change to the definition can be compared with what consumers were promised.
 * Reading validates with zod (errors name the file and field); writing is stable and diff-friendly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MeshProduct } from '../mesh/model';
import { type DefinitionProblem, problemsFromZod } from '../mesh/problems';
import { LOCK_FORMAT_VERSION, type LockedVersion, type LockFile, LockFileSchema } from './contract-schema';
import { contractHash } from './hash';
import { compareMajors, contractsOf, type MajorComparison } from './majors';
import { versionProblems } from './semver';

export const LOCK_SUFFIX = '.contract.lock.json';

/** Lock file of a product, relative to the project root: beside its definition file. */
export function lockFilePath(product: Pick<MeshProduct, 'file'>): string {
  return product.file.replace(/\.ts$/, LOCK_SUFFIX);
}

/** A lock file as read: the lock when it is valid, the problems otherwise; neither when the file is absent. */
export interface ReadLockResult {
  readonly lock?: LockFile;
  readonly problems: readonly DefinitionProblem[];
}

/** Reads and validates a lock file (`file` relative to `root`). */
export function readLockFile(root: string, file: string, expectedProduct?: string): ReadLockResult {
  const absolute = path.join(root, file);
  if (!fs.existsSync(absolute)) return { problems: [] };
  return parseLockText(file, fs.readFileSync(absolute, 'utf8'), expectedProduct);
}

/** Validates lock file text; `file` only names the file in problems. */
export function parseLockText(file: string, text: string, expectedProduct?: string): ReadLockResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { problems: [{ file, path: '', message: `is not valid JSON: ${(err as Error).message}` }] };
  }
  const parsed = LockFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: problemsFromZod(file, LockFileSchema, raw, parsed.error) };

  const lock = parsed.data;
  const problems: DefinitionProblem[] = [];
  if (expectedProduct !== undefined && lock.product !== expectedProduct) {
    problems.push({
      file,
      path: 'product',
      message: `names "${lock.product}" but the file belongs to "${expectedProduct}"`,
    });
  }
  lock.majors.forEach((entry, i) => {
    if (lock.majors.findIndex((m) => m.major === entry.major) !== i) {
      problems.push({ file, path: `majors[${i}].major`, message: `major ${entry.major} is recorded twice` });
    }
    const hash = contractHash(entry);
    if (entry.hash !== hash) {
      problems.push({
        file,
        path: `majors[${i}].hash`,
        message: `does not match the entry's content (expected ${hash}); the entry was edited by hand`,
      });
    }
  });
  return problems.length > 0 ? { problems } : { lock, problems: [] };
}

/** Stable JSON: schema key order, two-space indent, entries by ascending major, trailing newline. */
export function serializeLock(lock: LockFile): string {
  const normalized = LockFileSchema.parse({ ...lock, majors: [...lock.majors].sort((a, b) => a.major - b.major) });
  return `${JSON.stringify(normalized, null, 2)}\n`;
}

/** Why a lock must not be written as is. */
export interface LockBlocker {
  /** `breaking`: a breaking change in a published major; `version`: a version or major going backwards. */
  readonly kind: 'breaking' | 'version';
  readonly major: number;
  readonly message: string;
}

/** What `contract lock` would write for a product, and why it may refuse. */
export interface LockPlan {
  readonly lock: LockFile;
  readonly comparisons: readonly MajorComparison[];
  /** Reasons to refuse writing; `breaking` ones may be accepted deliberately, `version` ones never. */
  readonly blockers: readonly LockBlocker[];
  /** The lock differs from the one on disk (or there is none). */
  readonly changed: boolean;
}

/**
 * Plans the lock of a product against its existing lock. Removed majors are kept as retired, so their number
 * and data prefix are never reused. Draft products are unpublished: breaking changes do not block them.
 */
export function planLock(product: MeshProduct, existing: LockFile | undefined, today: string): LockPlan {
  const comparisons = compareMajors(contractsOf(product), existing, today);
  const majors: LockedVersion[] = comparisons.map((c) => {
    if (c.contract) return { ...c.contract, hash: contractHash(c.contract) };
    const locked = c.locked!;
    return { ...locked, retired: true };
  });
  const lock: LockFile = {
    $comment: `Published contract of each major of ${product.id}. Written by \`npx mesh contract lock ${product.id}\`; review changes, do not edit by hand.`,
    lockVersion: LOCK_FORMAT_VERSION,
    product: product.id,
    ...lifecycleOf(product),
    majors,
  };
  const blockers: LockBlocker[] = [];
  if (product.definition.status !== 'draft') {
    for (const c of comparisons) {
      for (const breaking of c.changes.filter((x) => x.breaking)) {
        blockers.push({ kind: 'breaking', major: c.major, message: `${breaking.message} [${breaking.path}]` });
      }
    }
  }
  for (const problem of versionProblems(comparisons, product.versions[0].major)) {
    if (problem.severity === 'error') {
      blockers.push({ kind: 'version', major: problem.major, message: `${problem.message}; ${problem.fix}` });
    }
  }
  const changed = existing === undefined || serializeLock(existing) !== serializeLock(lock);
  return { lock, comparisons, blockers, changed };
}

/** What the lock records of a product on its way out: its status and sunset; nothing for a live product. */
export function lifecycleOf(product: MeshProduct): Pick<LockFile, 'status' | 'sunset'> {
  const { status, sunset } = product.definition;
  if (status !== 'deprecated' && status !== 'retired') return {};
  return { status, ...(sunset ? { sunset } : {}) };
}

/**
 * Whether a lock is a tombstone: the product was deprecated or retired with a sunset, and the sunset has
 * passed (`today`, YYYY-MM-DD, is after it), so its file may be gone without orphaning consumers.
 */
export function isRetiredLock(lock: LockFile, today: string): boolean {
  return lock.status !== undefined && lock.sunset !== undefined && today > lock.sunset;
}

/** Writes a lock file (`file` relative to `root`). */
export function writeLockFile(root: string, file: string, lock: LockFile): void {
  fs.writeFileSync(path.join(root, file), serializeLock(lock));
}
