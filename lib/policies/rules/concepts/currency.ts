import { findConcept } from '../../concept-registry';
import { CONCEPT_REGISTRY } from '../../concepts';
import type { MeshRule } from '../../model';
import { liveColumns } from '../mesh/schema-paths';

/** The concept of a column that names the currency of the product's amounts. */
export const CURRENCY_CONCEPT = 'currency_code';

/** MESH-CPT-002: an amount says which currency it is in. */
export const amountsNameCurrency: MeshRule = {
  kind: 'mesh',
  id: 'MESH-CPT-002',
  severity: 'error',
  title: 'Amounts name their currency',
  explanation:
    "An amount without its currency cannot be added to, compared with or converted into another domain's amounts. A column whose concept is an amount (money_amount) states its currency (currency: 'EUR'), or the major has a column referencing the currency_code concept that gives it per row.",
  fix: "set currency: '<ISO 4217 code>' on the amount column, or add a column with concept: 'currency_code'",
  checkProduct(product) {
    const columns = liveColumns(product);
    const priced = new Set(
      columns.filter(({ column }) => column.concept === CURRENCY_CONCEPT).map(({ major }) => major),
    );
    return columns
      .filter(({ column, major }) => {
        const concept = column.concept === undefined ? undefined : findConcept(CONCEPT_REGISTRY, column.concept);
        return concept?.needsCurrency === true && column.currency === undefined && !priced.has(major);
      })
      .map(({ column, path, current, major }) => ({
        finding: current ? `Column::${column.name}` : `v${major}::Column::${column.name}`,
        message: `column "${column.name}"${current ? '' : ` of v${major}`} is an amount (concept "${column.concept}") but names no currency`,
        fix: `set currency: 'EUR' (its ISO 4217 code) on ${path}, or add a column with concept: '${CURRENCY_CONCEPT}' to the v${major} schema`,
      }));
  },
};
