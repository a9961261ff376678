/**
 * Which live major of a product a Glue table serves, by its name: `<product>_v<major>` (the product table) or
 * `<product>_v<major>__staging` (the table a build writes before its audit, lib/runtime/names.ts).
 */
import type { MeshProduct, ProductVersion } from '../../../mesh/model';
import { productVersionNames } from '../../../mesh/naming';
import { get, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

/** The product version a table serves, and whether it is that version's staging table. */
export interface TableRole {
  readonly version: ProductVersion;
  readonly staging: boolean;
}

const STAGING_SUFFIX = '__staging';

export function tableRole(
  table: ResolvedResource,
  product: MeshProduct,
  template: TemplateView,
): TableRole | undefined {
  const name = template.render(get(table.properties, 'TableInput', 'Name'));
  if (name === undefined) return undefined;
  const staging = name.endsWith(STAGING_SUFFIX);
  const base = staging ? name.slice(0, -STAGING_SUFFIX.length) : name;
  const version = product.versions.find((v) => productVersionNames(product.name, v.major).table === base);
  // Only the current major is built, so only it has a staging table.
  if (!version || (staging && !version.current)) return undefined;
  return { version, staging };
}

export function versionOfTable(
  table: ResolvedResource,
  product: MeshProduct,
  template: TemplateView,
): ProductVersion | undefined {
  const role = tableRole(table, product, template);
  return role && !role.staging ? role.version : undefined;
}
