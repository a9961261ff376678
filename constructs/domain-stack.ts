import { NestedStack, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { pascalCase, renderName } from '../lib/mesh/naming';
import { productShardCount, shardOf } from '../lib/mesh/stack-layout';
import { DataDomain } from './data-domain';
import { DataProduct } from './data-product';

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
        shardScopes.set(shard, nested);
      }
      return nested;
    };

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
    }
    this.products = products;
  }

  private physicalBucketName(scope: Construct): string {
    const stack = Stack.of(scope);
    return renderName(this.dataDomain.names.dataBucket, { account: stack.account, region: stack.region });
  }
}
