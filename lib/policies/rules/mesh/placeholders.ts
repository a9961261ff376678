import type { MeshRule, Violation } from '../../model';

/** The marker `mesh new` writes where a person has to say something. */
const PLACEHOLDER = /\bTODO\b/;

/** Field paths of every string in a definition that still holds a scaffolded placeholder. */
export function placeholderPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => placeholderPaths(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => placeholderPaths(child, path ? `${path}.${key}` : key));
  }
  return [];
}

function violations(definition: unknown): Violation[] {
  return placeholderPaths(definition).map((path) => ({
    finding: path,
    message: `${path} still holds the scaffolded TODO text`,
    fix: `write what ${path} should say in place of the TODO`,
  }));
}

/** MESH-DEF-001: nothing scaffolded ships as it was scaffolded. */
export const noPlaceholders: MeshRule = {
  kind: 'mesh',
  id: 'MESH-DEF-001',
  severity: 'error',
  title: 'No scaffolded TODO text in a definition',
  explanation:
    '`mesh new` writes TODO where a person has to describe the domain, the product or a column. A definition that still holds one would publish a placeholder as the contract consumers read.',
  fix: 'replace every TODO text in the file with what it should say',
  checkProduct: (product) => violations(product.definition),
  checkDomain: (domain) => violations(domain.definition),
};
