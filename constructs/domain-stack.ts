import { NestedStack, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { catalogPolicyStatements } from '../lib/access/catalog-policy';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { pascalCase, renderName } from '../lib/mesh/naming';
import { productShardCount, shardOf } from '../lib/mesh/stack-layout';
import { productRun } from '../lib/runtime/plan';
import { CatalogPolicy } from './catalog-policy';
import { DataDomain } from './data-domain';
import { DataProduct } from './data-product';
import { DomainRuntime } from './domain-runtime';
import { ProductRuntime } from './product-runtime';

export interface DomainStackProps extends StackProps {
  /** The resolved mesh. */
  readonly mesh: Mesh;
  /** The domain this stack deploys. */
  readonly domain: MeshDomain;
}

/**
 * One domain, one stack: `cdk deploy Mesh-<Domain>` deploys the domain's resources and all its products.
 * Nothing in it references another stack, so every domain deploys on its own.
 */
export class DomainStack extends Stack {
  readonly mesh: Mesh;
  readonly domain: MeshDomain;
  readonly dataDomain: DataDomain;
  /** Products by name. */
  readonly products: ReadonlyMap<string, DataProduct>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const { mesh, domain } = props;
    this.mesh = mesh;
    this.domain = domain;
    const definition = domain.definition;
    this.templateOptions.description = `Data mesh domain ${domain.name}: ${definition.description}`;

    Tags.of(this).add('mesh:domain', domain.name);
    Tags.of(this).add('mesh:cost-center', definition.costCenter);
    Tags.of(this).add('mesh:owner', definition.owner.email);
    Tags.of(this).add('mesh:classification', definition.defaults.classification);

    this.dataDomain = new DataDomain(this, 'Domain', { mesh, domain });
    // Readers in other accounts need the account's Glue catalog policy to allow them too.
    if (catalogPolicyStatements(mesh, domain).length > 0) new CatalogPolicy(this, 'CatalogPolicy', { mesh, domain });

    let runtime: DomainRuntime | undefined;
    const shards = productShardCount(domain);
    const shardScopes = new Map<number, Construct>();
    const scopeFor = (productName: string): Construct => {
      if (shards === 1) return this;
      const shard = shardOf(productName, shards);
      let nested = shardScopes.get(shard);
      if (!nested) {
        nested = new NestedStack(this, `Products${shard}`, {
          description: `Data mesh domain ${domain.name}: products, shard ${shard + 1} of ${shards}`,
        });
        // Tables need the database and named queries the workgroup; only names cross, so this is ordering only.
        nested.node.addDependency(this.dataDomain.database, this.dataDomain.workgroup);
        if (runtime) nested.node.addDependency(runtime);
        shardScopes.set(shard, nested);
      }
      return nested;
    };

    // The runtime plane: what runs for each product (lib/runtime/plan.ts), and what the domain's runs share.
    const runs = domain.products.flatMap((product) => {
      const run = productRun(product);
      return run ? [{ product, run }] : [];
    });
    runtime =
      runs.length > 0
        ? new DomainRuntime(this, 'Runtime', {
            mesh,
            domain,
            dataBucketName: this.physicalBucketName(this),
            database: this.dataDomain.database,
            databaseName: this.dataDomain.databaseName,
          })
        : undefined;
    const runOf = new Map(runs.map((r) => [r.product.name, r.run]));

    const products = new Map<string, DataProduct>();
    for (const product of domain.products) {
      const productScope = scopeFor(product.name);
      const dataProduct = new DataProduct(productScope, pascalCase(product.name), {
        mesh,
        product,
        domainNames: this.dataDomain,
        // Names are re-derived inside a nested stack, so no value crosses the stack boundary.
        dataBucketName: this.physicalBucketName(productScope),
      });
      if (productScope === this) dataProduct.node.addDependency(this.dataDomain.database, this.dataDomain.workgroup);
      products.set(product.name, dataProduct);
      const run = runOf.get(product.name);
      if (run && runtime) {
        const productRuntime = new ProductRuntime(dataProduct, 'Runtime', {
          mesh,
          product,
          run,
          dataBucketName: this.physicalBucketName(productScope),
          databaseName: this.dataDomain.databaseName,
          workgroupName: this.dataDomain.workgroupName,
        });
        // Runs address the shared resources by name; the dependency orders the deploy (a nested shard depends on it whole).
        if (productScope === this) productRuntime.node.addDependency(runtime);
        productRuntime.node.addDependency(dataProduct.current.table);
      }
    }
    this.products = products;
  }

  private physicalBucketName(scope: Construct): string {
    const stack = Stack.of(scope);
    return renderName(this.dataDomain.names.dataBucket, { account: stack.account, region: stack.region });
  }
}
