/**
 * The ODCS export links every property whose column references a shared concept to the concept's business
 * definition (authoritativeDefinitions), in the shape the official ODCS v3.1.0 JSON schema accepts.
 */
import * as fs from 'node:fs';
import { type OdcsContract, toOdcsContract } from '../../lib/contracts/odcs';
import { BUNDLED_ODCS_SCHEMA, createOdcsValidator } from '../../lib/contracts/odcs-validate';
import { allProducts, findProduct } from '../../lib/mesh/model';
import { CONCEPT_REGISTRY } from '../../lib/policies/concepts';
import { exampleMesh } from './support';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as OdcsContract;
const validate = createOdcsValidator(JSON.parse(fs.readFileSync(BUNDLED_ODCS_SCHEMA, 'utf8')));

/** `<product>@<major>.<property>: <url>` for every property that carries authoritative definitions. */
function linked(): string[] {
  const mesh = exampleMesh();
  return allProducts(mesh).flatMap((product) =>
    product.versions.flatMap((version) =>
      plain(toOdcsContract(mesh, product, version)).schema[0].properties.flatMap((p) =>
        (p.authoritativeDefinitions ?? []).map((d) => `${product.id}@${version.major}.${p.name}: ${d.type} ${d.url}`),
      ),
    ),
  );
}

describe('authoritativeDefinitions of concept columns', () => {
  test('every referencing column of every live major links its concept, and no other column does', () => {
    const url = CONCEPT_REGISTRY.documentationUrl;
    expect(linked()).toEqual([
      `customers/customer_profiles@1.customer_id: businessDefinition ${url}#customer_id`,
      `customers/customer_profiles@1.country: businessDefinition ${url}#country_code`,
      `customers/customer_segments@2.customer_id: businessDefinition ${url}#customer_id`,
      `customers/customer_segments@1.customer_id: businessDefinition ${url}#customer_id`,
      `fulfillment/shipments@1.order_id: businessDefinition ${url}#order_id`,
      `marketing/ad_clicks@1.customer_id: businessDefinition ${url}#customer_id`,
      `sales/orders@2.order_id: businessDefinition ${url}#order_id`,
      `sales/orders@2.customer_id: businessDefinition ${url}#customer_id`,
      `sales/orders@1.order_id: businessDefinition ${url}#order_id`,
      `sales/orders@1.customer_id: businessDefinition ${url}#customer_id`,
    ]);
  });

  test('the link says which concept it is and who owns it', () => {
    const mesh = exampleMesh();
    const orders = findProduct(mesh, 'sales', 'orders')!;
    const doc = plain(toOdcsContract(mesh, orders, orders.versions[0]));
    const customer = doc.schema[0].properties.find((p) => p.name === 'customer_id')!;
    expect(customer.authoritativeDefinitions).toEqual([
      {
        type: 'businessDefinition',
        url: 'https://wiki.example.com/data-mesh/concepts#customer_id',
        description:
          'Shared concept customer_id, owned by the customers domain: Stable customer key, issued by the customers domain when an account is registered.',
      },
    ]);
    // The column keeps its own description; the concept's is behind the link.
    expect(customer.description).toBe('Customer who placed the order; joins customers/customer_profiles.');
  });

  test('contracts with them validate against the ODCS schema, and the schema refuses a malformed link', () => {
    const mesh = exampleMesh();
    const profiles = findProduct(mesh, 'customers', 'customer_profiles')!;
    const doc = plain(toOdcsContract(mesh, profiles, profiles.versions[0]));
    expect(validate(doc)).toEqual([]);
    // Proof that the schema looks at the field: a link without its type is refused.
    const broken = structuredClone(doc) as unknown as { schema: { properties: Record<string, unknown>[] }[] };
    broken.schema[0].properties[0].authoritativeDefinitions = [{ url: 'https://wiki.example.com/x' }];
    expect(validate(broken).join('\n')).toMatch(/authoritativeDefinitions\/0.*type/);
  });
});
