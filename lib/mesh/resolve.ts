/**
 * Mesh-wide resolution: derived names are legal, consumer domains exist, every input points at a live,
 * visible product version, and inputs form no cycle. Produces the mesh graph.
 */
import { INPUT_REFERENCE } from '../definition/schema';
import type { MeshConfig } from './config';
import type { Mesh, MeshDomain, MeshEdge, MeshProduct } from './model';
import { checkDomainNames, checkProductVersionNames, domainNames, productVersionNames } from './naming';
import type { DefinitionProblem } from './problems';

export interface ResolveResult {
  readonly mesh: Mesh;
  readonly problems: readonly DefinitionProblem[];
}

/** True when a product's columns or classification make it sensitive enough to need named consumers. */
export function isSensitive(product: MeshProduct): boolean {
  return (
    product.classification === 'restricted' ||
    product.definition.schema.columns.some((c) => c.pii || c.classification === 'restricted')
  );
}

/**
 * Resolves the mesh. `unavailable` names what failed to load (`<domain>` or `<domain>/<product>` → the
 * file to fix), so an input that points at it says so instead of calling it unknown.
 */
export function resolveMesh(
  config: MeshConfig,
  domains: readonly MeshDomain[],
  unavailable: ReadonlyMap<string, string> = new Map(),
  /** Every domain folder of the mesh, when only some domains were loaded. @default the loaded domains */
  allDomains: readonly string[] = [],
  /**
   * Domains whose products' inputs are resolved; the others were loaded only as producers or consumers of
   * these, without what they read in turn. @default every domain
   */
  resolveInputsOf?: readonly string[],
): ResolveResult {
  const problems: DefinitionProblem[] = [];
  const domainByName = new Map(domains.map((d) => [d.name, d]));
  // A domain whose own file has problems still exists: naming it as a consumer is not a mistake.
  const knownDomains = new Set([
    ...domainByName.keys(),
    ...allDomains,
    ...[...unavailable.keys()].filter((k) => !k.includes('/')),
  ]);

  for (const domain of domains) {
    for (const violation of checkDomainNames(domainNames(config, domain.name))) {
      problems.push({
        file: domain.file,
        path: 'name',
        message: `the ${violation.what} name "${violation.name}" derived from domain "${domain.name}" breaks an AWS rule: ${violation.message}; choose a shorter name`,
      });
    }
    for (const product of domain.products) {
      product.versions.forEach((version) => {
        for (const violation of checkProductVersionNames(productVersionNames(product.name, version.major))) {
          problems.push({
            file: product.file,
            path: 'name',
            message: `${violation.what} "${violation.name}": ${violation.message}`,
          });
        }
      });
      checkAccess(product, knownDomains, problems);
    }
  }

  const selected = resolveInputsOf ? domains.filter((d) => resolveInputsOf.includes(d.name)) : domains;
  const edges = resolveInputs(selected, domainByName, unavailable, problems);
  problems.push(...findCycles(edges));
  const mesh: Mesh = Object.freeze({ config, domains: Object.freeze([...domains]), edges: Object.freeze(edges) });
  return { mesh, problems };
}

function checkAccess(product: MeshProduct, domains: ReadonlySet<string>, problems: DefinitionProblem[]): void {
  const { visibility, consumers } = product.definition.access;
  consumers.forEach((consumer, i) => {
    if (!domains.has(consumer.domain)) {
      problems.push({
        file: product.file,
        path: `access.consumers[${i}].domain`,
        message: `unknown domain "${consumer.domain}" (domains: ${[...domains].join(', ')})`,
      });
    }
  });
  if (isSensitive(product)) {
    if (visibility === 'mesh') {
      problems.push({
        file: product.file,
        path: 'access.visibility',
        message:
          'a product with PII or restricted data cannot be visible to the whole mesh; use "consumers" and name each consumer domain with a purpose',
      });
    }
    consumers.forEach((consumer, i) => {
      if (!consumer.purpose) {
        problems.push({
          file: product.file,
          path: `access.consumers[${i}].purpose`,
          message: `consumer "${consumer.domain}" of a product with PII or restricted data needs a purpose`,
        });
      }
    });
  }
  if (visibility !== 'consumers' && consumers.length > 0) {
    problems.push({
      file: product.file,
      path: 'access.consumers',
      message: `consumers are only read when visibility is "consumers" (it is "${visibility}")`,
    });
  }
}

/** Whether a domain may read a product under its access settings. */
export function mayConsume(product: MeshProduct, consumerDomain: string): boolean {
  if (consumerDomain === product.domain) return true;
  const { visibility, consumers } = product.definition.access;
  if (visibility === 'mesh') return true;
  if (visibility === 'consumers') return consumers.some((c) => c.domain === consumerDomain);
  return false;
}

function resolveInputs(
  domains: readonly MeshDomain[],
  domainByName: Map<string, MeshDomain>,
  unavailable: ReadonlyMap<string, string>,
  problems: DefinitionProblem[],
): MeshEdge[] {
  const edges: MeshEdge[] = [];
  for (const domain of domains) {
    for (const consumer of domain.products) {
      consumer.definition.inputs.forEach((reference, i) => {
        const path = `inputs[${i}]`;
        const report = (message: string) => problems.push({ file: consumer.file, path, message });
        const [, domainName, productName, majorText] = INPUT_REFERENCE.exec(reference) ?? [];
        const broken = unavailable.get(`${domainName}/${productName}`) ?? unavailable.get(domainName);
        if (broken) {
          report(
            `"${reference}" cannot be resolved: ${broken} has definition problems; this product builds once they are fixed`,
          );
          return;
        }
        const producerDomain = domainByName.get(domainName);
        if (!producerDomain) {
          report(
            `"${reference}" names unknown domain "${domainName}" (domains: ${[...domainByName.keys()].join(', ')})`,
          );
          return;
        }
        const producer = producerDomain.products.find((p) => p.name === productName);
        if (!producer) {
          report(
            `"${reference}" names unknown product "${productName}" in domain "${domainName}" (products: ${
              producerDomain.products.map((p) => p.name).join(', ') || 'none'
            })`,
          );
          return;
        }
        if (producer === consumer) {
          report('a product cannot be its own input');
          return;
        }
        const major = Number(majorText);
        if (!producer.versions.some((v) => v.major === major)) {
          report(
            `"${reference}": ${producer.id} has no live major ${major} (live: ${producer.versions
              .map((v) => `@${v.major}`)
              .join(', ')}; see ${producer.file})`,
          );
          return;
        }
        if (producer.definition.status === 'retired') {
          report(`"${reference}" is retired (${producer.file}: status "retired"); it accepts no consumers`);
          return;
        }
        if (!mayConsume(producer, consumer.domain)) {
          const { visibility } = producer.definition.access;
          report(
            `"${reference}" is not visible to domain "${consumer.domain}": ${producer.file} has access.visibility "${visibility}"${
              visibility === 'consumers' ? ' without this domain in access.consumers' : ''
            }; the producer must add { domain: "${consumer.domain}", purpose: "..." } to access.consumers`,
          );
          return;
        }
        edges.push({ consumer, producer, major });
      });
    }
  }
  return edges;
}

function findCycles(edges: readonly MeshEdge[]): DefinitionProblem[] {
  const next = new Map<MeshProduct, MeshProduct[]>();
  for (const edge of edges) {
    next.set(edge.consumer, [...(next.get(edge.consumer) ?? []), edge.producer]);
  }
  const problems: DefinitionProblem[] = [];
  const state = new Map<MeshProduct, 'visiting' | 'done'>();
  const stack: MeshProduct[] = [];
  const reported = new Set<string>();

  const visit = (product: MeshProduct) => {
    state.set(product, 'visiting');
    stack.push(product);
    for (const producer of next.get(product) ?? []) {
      if (state.get(producer) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(producer)), producer];
        const key = cycle
          .slice(0, -1)
          .map((p) => p.id)
          .sort()
          .join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({
            file: producer.file,
            path: 'inputs',
            message: `input cycle: ${cycle.map((p) => p.id).join(' → ')} (a product cannot depend on itself through its inputs)`,
          });
        }
      } else if (!state.has(producer)) {
        visit(producer);
      }
    }
    stack.pop();
    state.set(product, 'done');
  };
  for (const product of next.keys()) if (!state.has(product)) visit(product);
  return problems;
}
