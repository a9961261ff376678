/**
 * One domain, one stack: its storage, access, shared runtime and every product with its runs. A large
 * domain's products go into nested stacks (layout.ts); products address the domain's resources by name, so
 * nothing crosses a stack boundary but the deploy order.
 */
import { NestedStack, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { SyntheticDomain } from '../synthetic-mesh';
import { DomainData } from './domain-data';
import { DomainRuntime } from './domain-runtime';
import { shardCount, shardOf } from './layout';
import { domainNames, pascal, productNames } from './names';
import { Product } from './product';
import { ProductRuntime } from './product-runtime';

export interface PlainDomainStackProps extends StackProps {
  /** Prefix of every physical name of the mesh. */
  readonly prefix: string;
  /** The domain and its products. */
  readonly domain: SyntheticDomain;
}

export class PlainDomainStack extends Stack {
  constructor(scope: Construct, id: string, props: PlainDomainStackProps) {
    super(scope, id, props);
    const { domain, prefix } = props;
    const names = domainNames(prefix, domain.name);
    this.templateOptions.description = `Data mesh domain ${domain.name}: ${domain.description}`;
    Tags.of(this).add('mesh:domain', domain.name);
    Tags.of(this).add('mesh:cost-center', domain.costCenter);
    Tags.of(this).add('mesh:owner', domain.owner.email);
    Tags.of(this).add('mesh:classification', 'internal');

    const data = new DomainData(this, 'Domain', { prefix, domain, names });
    const runtime = new DomainRuntime(this, 'Runtime', { domain, names, database: data.database });

    const shards = shardCount(domain.products);
    const nested = new Map<number, NestedStack>();
    const scopeFor = (product: string): Construct => {
      if (shards === 1) return this;
      const shard = shardOf(product, shards);
      let stack = nested.get(shard);
      if (!stack) {
        stack = new NestedStack(this, `Products${shard}`, {
          description: `Data mesh domain ${domain.name}: products, shard ${shard + 1} of ${shards}`,
        });
        stack.node.addDependency(data.database, data.workgroup, runtime);
        nested.set(shard, stack);
      }
      return stack;
    };

    for (const spec of domain.products) {
      const scope = scopeFor(spec.name);
      const own = productNames(names, spec.name, 1);
      const product = new Product(scope, pascal(spec.name), { domain, product: spec, names, productNames: own });
      const run = new ProductRuntime(product, 'Runtime', { prefix, domain, product: spec, names, productNames: own });
      if (scope === this) {
        product.node.addDependency(data.database, data.workgroup);
        run.node.addDependency(runtime);
      }
      run.node.addDependency(product.table);
    }
  }
}
