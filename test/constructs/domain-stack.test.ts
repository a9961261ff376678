import { App, CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { PROJECT_ROOT } from '../support/temp-project';

const mesh = loadMesh({ root: PROJECT_ROOT });
const app = new App({ context: readCdkContext(PROJECT_ROOT) });
const stacks = addDomainStacks(app, mesh, { governance: false } as never);
const stackOf = (name: string) => {
  const stack = stacks.find((s) => s.stackName === name);
  if (!stack) throw new Error(`no stack ${name}`);
  return stack;
};
const sales = Template.fromStack(stackOf('Mesh-Sales'));

describe('one stack per domain', () => {
  test('every example domain has a stack named Mesh-<Domain>', () => {
    expect(stacks.map((s) => s.stackName).sort()).toEqual([
      'Mesh-Customers',
      'Mesh-Fulfillment',
      'Mesh-Marketing',
      'Mesh-Sales',
    ]);
  });

  test('no template imports values from or references another stack', () => {
    const assembly = app.synth();
    for (const stack of assembly.stacks) {
      const text = JSON.stringify(stack.template);
      expect(text).not.toContain('Fn::ImportValue');
      for (const other of assembly.stacks.filter((s) => s !== stack)) {
        expect(text).not.toContain(`"${other.stackName}`);
      }
      expect(stack.dependencies.filter((d) => assembly.stacks.some((s) => s.id === d.id)).map((d) => d.id)).toEqual([]);
    }
  });

  test('-c domain=<name> builds only that domain', () => {
    const single = new App({ context: readCdkContext(PROJECT_ROOT) });
    expect(
      addDomainStacks(single, mesh, { onlyDomain: 'sales', governance: false } as never).map((s) => s.stackName),
    ).toEqual(['Mesh-Sales']);
    expect(() => addDomainStacks(new App(), mesh, { onlyDomain: 'finance' })).toThrow(
      '-c domain=finance: no such domain (domains: customers, fulfillment, marketing, sales)',
    );
  });
});

describe('DataDomain: secure, retained storage', () => {
  test('KMS key rotates, is retained, and has the domain alias', () => {
    sales.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    sales.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme/sales' });
  });

  test('data bucket: SSE-KMS with the domain key and bucket key, public access blocked, versioned, logged, retained', () => {
    sales.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: { 'Fn::Join': ['', ['acme-sales-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'data/' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          ]),
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('every bucket denies requests without TLS', () => {
    const policies = sales.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(3);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  test('every stateful resource is retained on delete and replacement', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Glue::Database']) {
      for (const resource of Object.values(sales.findResources(type))) {
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
  });

  test('Glue database has an explicit, Athena-usable name', () => {
    sales.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'acme_sales' }),
    });
  });

  test('Athena workgroup enforces SSE-KMS results, a scan cutoff, engine v3 and metrics', () => {
    sales.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'acme-sales',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 50_000_000_000,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  test('producer and consumer roles have deterministic names', () => {
    sales.hasResourceProperties('AWS::IAM::Role', { RoleName: 'acme-sales-producer' });
    sales.hasResourceProperties('AWS::IAM::Role', { RoleName: 'acme-sales-consumer' });
  });

  test('resources carry domain, owner, classification and cost center tags', () => {
    const tags = sales.findResources('AWS::S3::Bucket');
    for (const bucket of Object.values(tags)) {
      expect(bucket.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'mesh:domain', Value: 'sales' },
          { Key: 'mesh:cost-center', Value: 'CC-1100' },
          { Key: 'mesh:owner', Value: 'sales-data@example.com' },
          { Key: 'mesh:classification', Value: 'internal' },
        ]),
      );
    }
  });
});

describe('DataProduct: one Glue table per live major', () => {
  test('orders has v2 (current) and v1 (until its sunset) side by side', () => {
    sales.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'acme_sales',
      TableInput: Match.objectLike({
        Name: 'orders_v2',
        Parameters: Match.objectLike({ 'mesh.version': '2.0.0', 'mesh.status': 'active' }),
      }),
    });
    sales.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'orders_v1',
        Parameters: Match.objectLike({
          'mesh.version': '1.3.0',
          'mesh.sunset': '2027-03-31',
          'mesh.status': 'deprecated',
        }),
      }),
    });
  });

  test('table carries columns, partition projection, location and self-describing parameters', () => {
    const tables = sales.findResources('AWS::Glue::Table', {
      Properties: { TableInput: { Name: 'orders_v2' } },
    });
    const input = Object.values(tables)[0].Properties.TableInput;
    expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'order_date', Type: 'string' })]);
    expect(input.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      'order_id',
      'customer_id',
      'channel',
      'ordered_at',
      'lines',
      'net_amount',
      'tax_amount',
    ]);
    expect(input.StorageDescriptor.Columns[4].Type).toBe(
      'array<struct<sku:string,quantity:int,unit_price:decimal(12,2)>>',
    );
    expect(input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain('/products/orders/v2/');
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.order_date.type': 'date',
      'projection.order_date.range': '2019-01-01,NOW',
      'projection.order_date.format': 'yyyy-MM-dd',
      'projection.order_date.interval': '1',
      'projection.order_date.interval.unit': 'DAYS',
      'mesh.owner': 'Sales Data <sales-data@example.com>',
      'mesh.classification': 'internal',
      'mesh.sla.updateFrequency': 'hourly',
      'mesh.sla.retention': '10 years',
      'mesh.sla.freshness': '2 hours on ordered_at',
    });
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
      `/products/orders/v2/order_date=\${order_date}/`,
    );
  });

  test('PII columns and stricter column classifications are recorded in the catalog', () => {
    const customers = Template.fromStack(stackOf('Mesh-Customers'));
    customers.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'customer_profiles_v1',
        Parameters: Match.objectLike({ 'mesh.classification': 'confidential', 'mesh.pii.columns': 'email,phone' }),
      }),
    });
  });

  test('each live major stores its quality checks as one Athena named query in the domain workgroup', () => {
    const queries = Object.values(sales.findResources('AWS::Athena::NamedQuery'));
    expect(queries.map((q) => q.Properties.Name).sort()).toEqual([
      'orders_v1_quality',
      'orders_v2_quality',
      'revenue_metrics_v1_quality',
      'revenue_metrics_v2_quality',
    ]);
    const revenue = queries.find((q) => q.Properties.Name === 'revenue_metrics_v1_quality')!;
    expect(revenue.Properties).toMatchObject({ Database: 'acme_sales', WorkGroup: 'acme-sales' });
    expect(revenue.Properties.QueryString).toContain('FROM "acme_sales"."revenue_metrics_v1"');
    expect(revenue.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DomainWorkGroup/)]));
  });

  test('tables are created after the Glue database they name (ordering without references)', () => {
    for (const table of Object.values(sales.findResources('AWS::Glue::Table'))) {
      expect(table.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DomainDatabase/)]));
    }
  });

  test('a product costs at most 3 CloudFormation resources per live major in the common case, plus its runtime', () => {
    for (const stack of stacks) {
      for (const product of stack.products.values()) {
        const runtime = product.node.tryFindChild('Runtime');
        const runtimeResources = runtime ? runtime.node.findAll().filter((c) => c instanceof CfnResource) : [];
        const resources = product.node
          .findAll()
          .filter((c) => c instanceof CfnResource && !runtimeResources.includes(c));
        expect(resources.length).toBeLessThanOrEqual(3 * product.versions.length);
        expect(resources.length).toBeGreaterThanOrEqual(product.versions.length);
        // Every example product has an SLA or a build, so each one runs: a role, a state machine, a schedule,
        // a staging table for a build, and alarms for failed runs, failed rules and (with a freshness SLA) staleness.
        const { build, sla } = product.product.definition;
        expect(runtimeResources.map((c) => (c as CfnResource).cfnResourceType).sort()).toEqual(
          [
            'AWS::IAM::Role',
            'AWS::StepFunctions::StateMachine',
            'AWS::Scheduler::Schedule',
            ...(build ? ['AWS::Glue::Table'] : []),
            'AWS::CloudWatch::Alarm',
            'AWS::CloudWatch::Alarm',
            ...(sla?.freshness ? ['AWS::CloudWatch::Alarm'] : []),
          ].sort(),
        );
      }
    }
  });
});
