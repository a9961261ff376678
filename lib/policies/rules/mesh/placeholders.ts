import type { MeshRule, Violation } from '../../model';

/** The marker `mesh new` writes where a person has to say something. */
const PLACEHOLDER = /\bTODO\b/;

/** Field paths of every string in a definition that still holds a scaffolded placeholder. */
export function placeholderPaths(value: unknown): string[] {
  const found: string[] = [];
  // Paths are built only on the way to a match: nearly every definition has none, and it runs on every product.
  const walk = (node: unknown, path: () => string): void => {
    if (typeof node === 'string') {
      if (PLACEHOLDER.test(node)) found.push(path());
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i], () => `${path()}[${i}]`);
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        walk((node as Record<string, unknown>)[key], () => {
          const parent = path();
          return parent ? `${parent}.${key}` : key;
        });
      }
    }
  };
  walk(value, () => '');
  return found;
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
