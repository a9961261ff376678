/** Which live major of a product a Glue table serves, by its name (`<product>_v<major>`). */
import type { MeshProduct, ProductVersion } from '../../../mesh/model';
import { productVersionNames } from '../../../mesh/naming';
import { get, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

export function versionOfTable(
  table: ResolvedResource,
  product: MeshProduct,
  template: TemplateView,
): ProductVersion | undefined {
  const name = template.render(get(table.properties, 'TableInput', 'Name'));
  return product.versions.find((v) => productVersionNames(product.name, v.major).table === name);
}
