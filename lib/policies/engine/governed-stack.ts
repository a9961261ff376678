/**
 * What the engine needs from a domain stack, as a structural type so lib/ does not depend on constructs/:
 * the mesh, the domain, and the constructs of the domain and of each product, to which findings attach.
 */
import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Mesh, MeshDomain, MeshProduct } from '../../mesh/model';
import type { Subject } from '../exceptions';
import type { AnchoredSubject, EvaluatedStack } from './evaluate';

/** A stack deploying one domain of the mesh (DomainStack satisfies it). */
export interface GovernedStack extends Stack {
  readonly mesh: Mesh;
  readonly domain: MeshDomain;
  /** The construct holding the domain's shared resources; domain-level findings attach to it. */
  readonly dataDomain: IConstruct;
  /** Product constructs by product name; a product's findings attach to its construct. */
  readonly products: ReadonlyMap<string, IConstruct>;
}

/** The subjects of one governed stack, and the constructs their findings attach to. */
export interface StackSubjects {
  readonly domain: Subject;
  readonly products: ReadonlyMap<string, AnchoredSubject<IConstruct>>;
  /** Product subject by product construct, for finding the product a resource belongs to. */
  readonly byConstruct: ReadonlyMap<IConstruct, Subject>;
}

export function subjectsOf(stack: GovernedStack): StackSubjects {
  const { domain } = stack;
  const products = new Map<string, AnchoredSubject<IConstruct>>();
  const byConstruct = new Map<IConstruct, Subject>();
  for (const product of domain.products) {
    const construct = stack.products.get(product.name);
    if (!construct) continue;
    const subject = productSubject(product);
    products.set(product.name, { subject, anchor: construct });
    byConstruct.set(construct, subject);
  }
  return { domain: domainSubject(domain), products, byConstruct };
}

/** The stack as the evaluation sees it: definitions anchored on the domain's and products' constructs. */
export function evaluatedStack(stack: GovernedStack, subjects: StackSubjects): EvaluatedStack<IConstruct> {
  return {
    stackName: stack.stackName,
    path: stack.node.path,
    mesh: stack.mesh,
    domain: stack.domain,
    domainSubject: { subject: subjects.domain, anchor: stack.dataDomain },
    products: subjects.products,
  };
}

export function domainSubject(domain: MeshDomain): Subject {
  return {
    kind: 'domain',
    name: domain.name,
    domain: domain.name,
    file: domain.file,
    exceptions: domain.definition.exceptions,
  };
}

export function productSubject(product: MeshProduct): Subject {
  return {
    kind: 'product',
    name: product.id,
    domain: product.domain,
    file: product.file,
    exceptions: product.definition.exceptions,
    product,
  };
}
