/**
 * orphanedContracts(): products removed or renamed while their contract is published (MESH-CON-005). The
 * signal is a `<product>.contract.lock.json` whose `<product>.ts` is gone. Removing the file drops the
 * product's tables from its domain's stack and leaves its files in the data bucket with nobody answering for
 * them, so it is allowed only once the lock is a tombstone: the product was deprecated (or retired) with a
 * sunset, locked that way, and the sunset has passed. The lock file then stays, recording what was published.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCTS_DIR } from '../mesh/load';
import { allProducts, type Mesh, type MeshProduct } from '../mesh/model';
import { formatProblem } from '../mesh/problems';
import type { LockedVersion, LockFile } from './contract-schema';
import type { ContractFinding } from './finding';
import { isRetiredLock, LOCK_SUFFIX, lockFilePath, readLockFile } from './lock';
import { contractRule } from './rules';

/** Share of the removed product's columns a new product must have to be named as its likely new name. */
const RENAME_OVERLAP = 0.5;

/**
 * Findings for every lock file under `root` whose product file no longer exists: MESH-CON-005 unless the lock
 * is a retired tombstone (see `isRetiredLock`), MESH-CON-006 when the lock cannot be read. Each belongs to the
 * lock's domain (no product), so only that domain's stack fails. `today` is YYYY-MM-DD.
 */
export function orphanedContracts(root: string, mesh: Mesh, today: string): ContractFinding[] {
  const findings: ContractFinding[] = [];
  const base = path.join(root, mesh.config.domainsDir);
  if (!isDirectory(base)) return findings;
  const loaded = new Set(allProducts(mesh).map((p) => lockFilePath(p)));
  for (const domain of fs.readdirSync(base).sort()) {
    const productsDir = path.join(base, domain, PRODUCTS_DIR);
    if (!isDirectory(productsDir)) continue;
    for (const name of fs.readdirSync(productsDir).sort()) {
      if (!name.endsWith(LOCK_SUFFIX)) continue;
      const productName = name.slice(0, -LOCK_SUFFIX.length);
      const file = path.join(mesh.config.domainsDir, domain, PRODUCTS_DIR, name);
      const definition = path.join(mesh.config.domainsDir, domain, PRODUCTS_DIR, `${productName}.ts`);
      // A product file that exists but did not load is the loader's problem, not a removal.
      if (loaded.has(file) || fs.existsSync(path.join(root, definition))) continue;
      findings.push(...orphanFindings(root, mesh, { domain, productName, file, definition }, today));
    }
  }
  return findings;
}

interface Orphan {
  readonly domain: string;
  readonly productName: string;
  /** The lock file, relative to the root. */
  readonly file: string;
  /** Where the product file was, relative to the root. */
  readonly definition: string;
}

function orphanFindings(root: string, mesh: Mesh, orphan: Orphan, today: string): ContractFinding[] {
  const { domain, productName, file, definition } = orphan;
  const productId = `${domain}/${productName}`;
  const read = readLockFile(root, file, productId);
  if (read.problems.length > 0 || !read.lock) {
    return read.problems.map((problem) => ({
      ruleId: 'MESH-CON-006' as const,
      severity: contractRule('MESH-CON-006').severity,
      productId,
      domain,
      file,
      message: `${formatProblem(problem)}; ${definition} is gone, so this lock cannot tell whether ${productId} was retired`,
      fix: `restore ${file} from version control (it must record status 'deprecated' and a sunset that has passed before ${definition} may go)`,
    }));
  }
  const lock = read.lock;
  if (isRetiredLock(lock, today)) return [];
  return [
    {
      ruleId: 'MESH-CON-005',
      severity: contractRule('MESH-CON-005').severity,
      productId,
      domain,
      file,
      message: `${definition} was removed, but ${file} records the published contract of ${productId} (${describeMajors(lock)})${whyNotRetired(lock, today)}; its tables would leave the ${domain} stack and its data would be orphaned${renameHint(mesh, root, domain, lock)}`,
      fix: safeRemoval(productId, definition, file, lock, today),
    },
  ];
}

function describeMajors(lock: LockFile): string {
  return lock.majors.map((m) => `v${m.major} ${m.version}${m.retired ? ' retired' : ''}`).join(', ');
}

function whyNotRetired(lock: LockFile, today: string): string {
  if (lock.status === undefined) return ' and does not record it as deprecated';
  if (lock.sunset === undefined) return ` and records it as ${lock.status} without a sunset`;
  return ` and its sunset ${lock.sunset} has not passed (today is ${today})`;
}

/** The way out, in the order the steps must happen. */
function safeRemoval(productId: string, definition: string, file: string, lock: LockFile, today: string): string {
  const restore = `restore ${definition} (from version control)`;
  const retire = `after the sunset delete ${definition} again and keep ${file} as its tombstone`;
  if (lock.status !== undefined && lock.sunset !== undefined && today <= lock.sunset) {
    return `${restore} and keep it until its sunset ${lock.sunset}; ${retire}`;
  }
  return `${restore}. To rename or remove it safely: add the new product as its own file, move the consumers' inputs (and the pipelines writing the data) to it, set status: 'deprecated' and sunset: 'YYYY-MM-DD' in ${definition}, run npx mesh contract lock ${productId}; ${retire}`;
}

/** Names a product of the same domain that looks like the new name: no lock yet, most of the columns. */
function renameHint(mesh: Mesh, root: string, domain: string, lock: LockFile): string {
  const candidates = mesh.domains.find((d) => d.name === domain)?.products ?? [];
  const published = new Set(liveMajor(lock).columns.map((c) => c.name));
  let best: { product: MeshProduct; overlap: number } | undefined;
  for (const product of candidates) {
    if (fs.existsSync(path.join(root, lockFilePath(product)))) continue;
    const columns = product.versions[0].schema.columns.map((c) => c.name);
    const overlap = columns.filter((c) => published.has(c)).length / published.size;
    if (overlap >= RENAME_OVERLAP && (!best || overlap > best.overlap)) best = { product, overlap };
  }
  return best
    ? `; if it was renamed to ${best.product.id} (${best.product.file}, not locked yet, ${Math.round(best.overlap * 100)}% of the columns), the data stays under the old name's prefix and its consumers lose it`
    : '';
}

/** The major consumers were last promised: the highest one not retired, else the highest. */
function liveMajor(lock: LockFile): LockedVersion {
  const sorted = [...lock.majors].sort((a, b) => b.major - a.major);
  return sorted.find((m) => !m.retired && m.sunset === undefined) ?? sorted[0];
}

function isDirectory(dir: string): boolean {
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory();
}
