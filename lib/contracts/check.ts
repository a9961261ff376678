/**
 * checkContracts(): the contract governance rules over the whole mesh, as plain findings. The policy engine
 * attaches them to the product's (or domain's) construct; the CLI prints them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCTS_DIR } from '../mesh/load';
import { allProducts, type Mesh, type MeshProduct } from '../mesh/model';
import { productVersionNames } from '../mesh/naming';
import { formatProblem } from '../mesh/problems';
import { type ContractFinding, productFinding } from './finding';
import { LOCK_SUFFIX, lockFilePath, planLock, readLockFile } from './lock';
import type { MajorComparison } from './majors';
import { contractRule } from './rules';
import { versionProblems } from './semver';
import { assertIsoDate, checkSunsets } from './sunset';

/**
 * Runs MESH-CON-001 … 009 on the mesh. Lock files are read from `root`; `today` (YYYY-MM-DD) decides
 * sunsets. Draft products are unpublished, so their lock findings (001–004) are warnings.
 */
export function checkContracts(mesh: Mesh, root: string, today: string): ContractFinding[] {
  assertIsoDate(today);
  return [
    ...allProducts(mesh).flatMap((product) => checkLockOf(product, root, today)),
    ...checkOrphanLocks(mesh, root),
    ...checkSunsets(mesh, today),
    ...checkTableNames(mesh),
  ];
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
    const stale = plan.comparisons.filter((c) => c.state === 'new' || c.state === 'changed' || c.state === 'removed');
    findings.push(
      productFinding('MESH-CON-002', product, {
        severity: severity(contractRule('MESH-CON-002').severity),
        message: `the contract of ${product.id} differs from ${file}${stale.length > 0 ? ` (${stale.map((c) => `v${c.major} ${c.state}`).join(', ')})` : ''}`,
        fix: `run ${lockCommand} and commit ${file}`,
      }),
    );
  }
  return findings;
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

function checkOrphanLocks(mesh: Mesh, root: string): ContractFinding[] {
  const findings: ContractFinding[] = [];
  const known = new Set(allProducts(mesh).map((p) => lockFilePath(p)));
  const base = path.join(root, mesh.config.domainsDir);
  if (!fs.existsSync(base)) return findings;
  for (const domain of fs.readdirSync(base).sort()) {
    const productsDir = path.join(base, domain, PRODUCTS_DIR);
    if (!fs.existsSync(productsDir) || !fs.statSync(productsDir).isDirectory()) continue;
    for (const name of fs.readdirSync(productsDir).sort()) {
      if (!name.endsWith(LOCK_SUFFIX)) continue;
      const file = path.join(mesh.config.domainsDir, domain, PRODUCTS_DIR, name);
      if (known.has(file)) continue;
      const productName = name.slice(0, -LOCK_SUFFIX.length);
      const definition = file.slice(0, -LOCK_SUFFIX.length) + '.ts';
      findings.push({
        ruleId: 'MESH-CON-005',
        severity: contractRule('MESH-CON-005').severity,
        productId: `${domain}/${productName}`,
        domain,
        file,
        message: `${file} locks the contract of ${domain}/${productName}, but ${definition} no longer exists; its consumers lose its tables with no sunset`,
        fix: `restore ${definition} with status: 'retired' (tables and data stay, no new consumers), or, if removing it was approved, delete ${file} in the same change`,
      });
    }
  }
  return findings;
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
