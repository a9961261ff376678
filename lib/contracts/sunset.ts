/**
 * Sunset checks: consumers pinned to a major (or a product) that is about to go (MESH-CON-007) and producers
 * still serving one after its sunset (MESH-CON-008). Dates are calendar days in UTC, compared as YYYY-MM-DD.
 */
import { isIsoDate } from '../definition/schema';
import { allProducts, currentVersion, type Mesh, type MeshEdge, type MeshProduct } from '../mesh/model';
import { type ContractFinding, productFinding } from './finding';
import { lockFilePath } from './lock';

/** Consumers are warned this many days before a sunset. */
export const SUNSET_WARNING_DAYS = 30;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Throws unless `today` is a real calendar day written YYYY-MM-DD (2027-02-30 is refused, not rolled over);
 * every check takes it explicitly so results are reproducible.
 */
export function assertIsoDate(today: string): void {
  if (!isIsoDate(today)) throw new Error(`today must be a real calendar date written YYYY-MM-DD, got "${today}"`);
}

export function checkSunsets(mesh: Mesh, today: string): ContractFinding[] {
  return [...mesh.edges.flatMap((edge) => consumerFindings(edge, today)), ...producerFindings(mesh, today)];
}

/** The input's earliest end: its major's sunset or the whole product's, whichever comes first. */
function inputSunset(edge: MeshEdge): { date: string; ofProduct: boolean } | undefined {
  const major = edge.producer.versions.find((v) => v.major === edge.major)?.sunset;
  const product = edge.producer.definition.sunset;
  if (product !== undefined && (major === undefined || product <= major)) return { date: product, ofProduct: true };
  return major !== undefined ? { date: major, ofProduct: false } : undefined;
}

function consumerFindings(edge: MeshEdge, today: string): ContractFinding[] {
  const sunset = inputSunset(edge);
  if (!sunset) return [];
  const days = daysBetween(today, sunset.date);
  if (days > SUNSET_WARNING_DAYS) return [];
  const reference = `${edge.producer.id}@${edge.major}`;
  const target = currentVersion(edge.producer).major;
  const ago = `${-days} day${-days === 1 ? '' : 's'} ago`;
  const ahead = `in ${days} day${days === 1 ? '' : 's'}`;
  const ending = sunset.ofProduct
    ? days < 0
      ? `whose product ended ${sunset.date} (${ago})`
      : `whose product ends ${sunset.date} (${ahead})`
    : days < 0
      ? `whose sunset was ${sunset.date} (${ago})`
      : `whose sunset is ${sunset.date} (${ahead})`;
  return [
    productFinding('MESH-CON-007', edge.consumer, {
      severity: days < 0 ? 'error' : 'warning',
      message: `${edge.consumer.id} reads ${reference}, ${ending}${days < 0 ? '; the producer may remove it at any time' : ''}`,
      fix: sunset.ofProduct
        ? `remove "${reference}" from the inputs of ${edge.consumer.file}, or move it to the product that replaces ${edge.producer.id} (its description in ${edge.producer.file} says which)`
        : `change "${reference}" to "${edge.producer.id}@${target}" in the inputs of ${edge.consumer.file} and adapt to the v${target} contract (npx mesh contract export shows both)`,
    }),
  ];
}

function producerFindings(mesh: Mesh, today: string): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const product of allProducts(mesh)) {
    const end = product.definition.sunset;
    if (end !== undefined && today > end) {
      findings.push(productFinding('MESH-CON-008', product, productEnded(product, end)));
      continue;
    }
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

function productEnded(product: MeshProduct, end: string): { message: string; fix: string } {
  const lock = lockFilePath(product);
  return {
    message: `${product.id} is still defined after its sunset ${end}`,
    fix: `make sure ${lock} records status ${product.definition.status} and sunset ${end} (npx mesh contract lock ${product.id}), then delete ${product.file} and keep ${lock} as the tombstone (its tables leave the stack; the files in the data bucket are retained)`,
  };
}
