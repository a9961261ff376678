import { EntityNotFoundException, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { lineageDot, lineageMermaid, searchCatalog } from '../../lib/catalog/entries';
import { compareTable, SdkGlueTableReader } from '../../lib/catalog/live';
import { glueTableInput } from '../../lib/catalog/table-input';
import { loadMesh } from '../../lib/mesh/load';
import { findProduct } from '../../lib/mesh/model';
import { PROJECT_ROOT } from '../support/temp-project';

const mesh = loadMesh({ root: PROJECT_ROOT });
const orders = findProduct(mesh, 'sales', 'orders')!;
const bucket = 'acme-sales-data-123456789012-eu-west-1';

describe('catalog from the definitions', () => {
  test('search matches words in names, purposes, tags and column names', () => {
    expect(searchCatalog(mesh, { search: 'consent' }).map((e) => e.id)).toEqual(['customers/customer_profiles']);
    expect(searchCatalog(mesh, { search: 'carrier weekly' }).map((e) => e.id)).toEqual([]);
    expect(searchCatalog(mesh, { search: 'carrier' }).map((e) => e.id)).toEqual([
      'fulfillment/delivery_performance',
      'fulfillment/shipments',
    ]);
    expect(searchCatalog(mesh, { tag: 'kpi' }).map((e) => e.id)).toEqual([
      'fulfillment/delivery_performance',
      'sales/revenue_metrics',
    ]);
    expect(searchCatalog(mesh, { domain: 'marketing' }).map((e) => e.id)).toEqual([
      'marketing/ad_clicks',
      'marketing/ad_spend',
      'marketing/campaign_performance',
      'marketing/campaign_roi_report',
    ]);
  });

  test('an entry names where to query it, its versions and who consumes which major', () => {
    const entry = searchCatalog(mesh).find((e) => e.id === 'sales/orders')!;
    expect(entry).toMatchObject({
      id: 'sales/orders',
      database: 'acme_sales',
      workgroup: 'acme-sales',
      stack: 'Mesh-Sales',
      versions: [
        { major: 2, version: '2.0.0', table: 'orders_v2', prefix: 'products/orders/v2/' },
        { major: 1, version: '1.3.0', table: 'orders_v1', prefix: 'products/orders/v1/', sunset: '2027-03-31' },
      ],
    });
    expect(entry.consumers).toEqual(
      expect.arrayContaining(['fulfillment/shipments@1', 'marketing/campaign_performance@2']),
    );
  });

  test('lineage graphs carry every edge with its major', () => {
    expect(lineageMermaid(mesh)).toContain('sales_orders -->|v1| fulfillment_shipments');
    expect(lineageDot(mesh)).toContain(
      '"marketing/campaign_performance" -> "marketing/campaign_roi_report" [label="v2"];',
    );
    expect(lineageMermaid(mesh).match(/-->/g)).toHaveLength(mesh.edges.length);
  });
});

describe('mesh show --live: the deployed table against the definition', () => {
  const glue = mockClient(GlueClient);
  afterEach(() => glue.reset());
  const expected = glueTableInput(mesh, orders, orders.versions[0], bucket);
  const deployed = {
    Name: 'orders_v2',
    DatabaseName: 'acme_sales',
    CatalogId: '123456789012',
    StorageDescriptor: {
      Columns: expected.storageDescriptor.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
      Location: expected.storageDescriptor.location,
      InputFormat: expected.storageDescriptor.inputFormat,
    },
    PartitionKeys: expected.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
    Parameters: expected.parameters,
  };

  test('a table deployed from the current definition is in sync', async () => {
    glue.on(GetTableCommand, { DatabaseName: 'acme_sales', Name: 'orders_v2' }).resolves({ Table: deployed });
    const table = await new SdkGlueTableReader(new GlueClient({ region: 'eu-west-1' })).getTable(
      'acme_sales',
      'orders_v2',
    );
    expect(compareTable(expected, table)).toEqual([]);
  });

  test('an older deployment shows each drifting field', () => {
    const old = {
      ...deployed,
      StorageDescriptor: { ...deployed.StorageDescriptor, Columns: deployed.StorageDescriptor.Columns.slice(0, -1) },
      Parameters: { ...deployed.Parameters, 'mesh.version': '1.9.0' },
    };
    expect(compareTable(expected, old).map((d) => d.field)).toEqual(['columns', 'parameters.mesh.version']);
  });

  test('a missing table reads as not deployed', async () => {
    glue.on(GetTableCommand).rejects(new EntityNotFoundException({ message: 'Table not found', $metadata: {} }));
    const table = await new SdkGlueTableReader(new GlueClient({ region: 'eu-west-1' })).getTable(
      'acme_sales',
      'orders_v2',
    );
    expect(table).toBeUndefined();
    expect(compareTable(expected, table)).toEqual([{ field: 'table', expected: 'orders_v2', actual: 'not deployed' }]);
  });

  test('other Glue errors are not swallowed', async () => {
    glue
      .on(GetTableCommand)
      .rejects(
        Object.assign(new Error('User is not authorized to perform: glue:GetTable'), { name: 'AccessDeniedException' }),
      );
    await expect(
      new SdkGlueTableReader(new GlueClient({ region: 'eu-west-1' })).getTable('acme_sales', 'x'),
    ).rejects.toThrow('not authorized');
  });
});
