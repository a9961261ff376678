import {
  type PersonalDataCategory,
  type PersonalDataEvidence,
  personalDataEvidence,
} from '../../../privacy/pii-detection';
import type { MeshRule } from '../../model';
import { liveColumns } from '../mesh/schema-paths';

/** MESH-PRIV-003: columns that look personal are marked pii. */
export const personalDataMarked: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PRIV-003',
  severity: 'warning',
  title: 'Columns that look personal are marked pii',
  explanation:
    'Protection of personal data starts from `pii: true`: classification, named consumers, subject keys and erasure all follow it. A column whose name (as snake_case words: `customer_email`, `date_of_birth`, `ip_address`), description ("postal code of the customer") or example values look like an email address, phone number, birth date, national id, IBAN, postal address or IP address but is not marked is probably personal data nobody protects. `npx mesh check <product> --local <file> --scan-pii` checks the values of a file the same way.',
  fix: "mark the column pii: true (and classification: 'confidential'); if it holds no personal data, add an exception for its finding with the reason",
  checkProduct(product) {
    return liveColumns(product)
      .filter(({ column }) => !column.pii)
      .flatMap(({ column, path, current, major }) => {
        const evidence = personalDataEvidence(column);
        if (evidence.length === 0) return [];
        const finding = current ? `Column::${column.name}` : `v${major}::Column::${column.name}`;
        return [
          {
            finding,
            message: `column "${column.name}"${current ? '' : ` of v${major}`} looks like personal data but is not marked pii: ${describeEvidence(evidence)}`,
            fix: `set pii: true and classification: 'confidential' on ${path}; if it holds no personal data, add an exception { rule: 'MESH-PRIV-003', finding: '${finding}', reason: '<why it is not personal>', … }`,
          },
        ];
      });
  },
};

/** `email address (name "contact_email", example "ana@example.com"); phone number (description "mobile number")`. */
function describeEvidence(evidence: readonly PersonalDataEvidence[]): string {
  const byCategory = new Map<PersonalDataCategory, PersonalDataEvidence[]>();
  for (const e of evidence) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e]);
  return [...byCategory]
    .map(([category, found]) => {
      const reasons = found.map((e) => `${e.source} "${e.text}"`);
      return `${category.label} (${reasons.join(', ')})`;
    })
    .join('; ');
}
