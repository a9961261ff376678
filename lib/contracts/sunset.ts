/**
 * Sunset checks: consumers pinned to a major that is about to go (MESH-CON-007) and producers still serving a
 * major after its sunset (MESH-CON-008). Dates are calendar days in UTC, compared as YYYY-MM-DD.
 */
import { allProducts, currentVersion, type Mesh } from '../mesh/model';
import { type ContractFinding, productFinding } from './finding';
import { lockFilePath } from './lock';

/** Consumers are warned this many days before a sunset. */
export const SUNSET_WARNING_DAYS = 30;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Throws unless `today` is a real YYYY-MM-DD date; every check takes it explicitly so results are reproducible. */
export function assertIsoDate(today: string): void {
  if (!ISO_DATE.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new Error(`today must be a date written YYYY-MM-DD, got "${today}"`);
  }
}

export function checkSunsets(mesh: Mesh, today: string): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const edge of mesh.edges) {
    const version = edge.producer.versions.find((v) => v.major === edge.major);
    if (!version?.sunset) continue;
    const days = daysBetween(today, version.sunset);
    if (days > SUNSET_WARNING_DAYS) continue;
    const target = currentVersion(edge.producer).major;
    const reference = `${edge.producer.id}@${edge.major}`;
    findings.push(
      productFinding('MESH-CON-007', edge.consumer, {
        severity: days < 0 ? 'error' : 'warning',
        message:
          days < 0
            ? `${edge.consumer.id} reads ${reference}, whose sunset was ${version.sunset} (${-days} day${-days === 1 ? '' : 's'} ago); the producer may remove it at any time`
            : `${edge.consumer.id} reads ${reference}, whose sunset is ${version.sunset} (in ${days} day${days === 1 ? '' : 's'})`,
        fix: `change "${reference}" to "${edge.producer.id}@${target}" in the inputs of ${edge.consumer.file} and adapt to the v${target} contract (npx mesh contract export shows both)`,
      }),
    );
  }
  for (const product of allProducts(mesh)) {
    for (const version of product.versions) {
      if (!version.sunset || today <= version.sunset) continue;
      findings.push(
        productFinding('MESH-CON-008', product, {
          message: `${product.id} still serves v${version.major} (${version.version}) after its sunset ${version.sunset}`,
          fix: `remove the previousVersions entry for ${version.version} from ${product.file} (its table leaves the stack; the files under its prefix are retained), move its remaining consumers to v${currentVersion(product).major}, then run npx mesh contract lock ${product.id} and commit ${lockFilePath(product)}`,
        }),
      );
    }
  }
  return findings;
}
