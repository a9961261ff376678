import { productVersionNames } from '../../../mesh/naming';
import type { ResourceRule } from '../../model';
import { get } from '../../template/resolved-resource';
import { cannotVerify, expectedNames } from '../expectations';
import { versionOfTable } from './product-table';

/** MESH-GLUE-003: table data inside the domain's data bucket, under the product's prefix. */
export const tableLocation: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-003',
  severity: 'error',
  exceptable: false,
  title: "Table locations are inside the owning domain's data bucket",
  explanation:
    "A table's data must sit where the domain's key, fences and grants protect it: the domain's data bucket under products/, and for a product table exactly products/<product>/v<major>/.",
  fix: 'let the platform derive the location (lib/catalog/table-input.ts productLocation)',
  resourceTypes: ['AWS::Glue::Table'],
  appliesTo: (table) => get(table.properties, 'TableInput', 'TableType') !== 'VIRTUAL_VIEW',
  check(table, context) {
    const { template, product } = context;
    const value = get(table.properties, 'TableInput', 'StorageDescriptor', 'Location');
    if (value === undefined) return [{ message: 'has no StorageDescriptor.Location' }];
    const location = template.render(value);
    if (location === undefined) return [cannotVerify('StorageDescriptor.Location', value, template)];
    const base = `s3://${expectedNames(context).dataBucket}/`;
    const version = product ? versionOfTable(table, product, template) : undefined;
    const expected =
      product && version ? `${base}${productVersionNames(product.name, version.major).prefix}` : `${base}products/`;
    const ok = product && version ? location === expected : location.startsWith(expected);
    return ok
      ? []
      : [{ message: `reads ${location}, expected ${product && version ? '' : 'a location under '}${expected}` }];
  },
};
