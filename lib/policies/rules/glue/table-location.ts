import { productVersionNames } from '../../../mesh/naming';
import { domainRuntimeNames, productRuntimeNames } from '../../../runtime/names';
import type { ResourceRule } from '../../model';
import { get } from '../../template/resolved-resource';
import { cannotVerify, expectedNames } from '../expectations';
import { tableRole } from './product-table';

/** MESH-GLUE-003: table data inside the domain's data bucket, under the product's prefix. */
export const tableLocation: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-003',
  severity: 'error',
  exceptable: false,
  title: "Table locations are inside the owning domain's data bucket",
  explanation:
    "A table's data must sit where the domain's key, fences and grants protect it: the domain's data bucket under products/, for a product table exactly products/<product>/v<major>/, for a build's staging table staging/<product>/v<major>/ and for the domain's quality results quality/results/.",
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
    const role = product ? tableRole(table, product, template) : undefined;
    const runtime = domainRuntimeNames(context.mesh.config, context.domain.name);
    const name = template.render(get(table.properties, 'TableInput', 'Name'));
    let exact: string | undefined;
    if (product && role) {
      exact = role.staging
        ? `${base}${productRuntimeNames(context.mesh.config, product.domain, product.name, role.version.major).stagingPrefix}`
        : `${base}${productVersionNames(product.name, role.version.major).prefix}`;
    } else if (!product && name === runtime.qualityResultsTable) {
      exact = `${base}${runtime.qualityResultsPrefix}`;
    }
    const expected = exact ?? `${base}products/`;
    const ok = exact ? location === exact : location.startsWith(expected);
    return ok ? [] : [{ message: `reads ${location}, expected ${exact ? '' : 'a location under '}${expected}` }];
  },
};
