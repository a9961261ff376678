/**
 * A domain stack of an assembly as the engine's evaluation takes it, built from the files alone: each
 * template's resources resolved as written, attributed to the product whose construct made them (by their
 * `aws:cdk:path` metadata and the domain's layout), and the definitions anchored where synthesis anchors
 * them. Nothing of the app runs; only the mesh (validated definition data) and the templates are read.
 */
import type { Mesh, MeshDomain } from '../../mesh/model';
import type { CollectedTemplate, EvaluatedStack } from '../engine/evaluate';
import { domainSubject, productSubject } from '../engine/governed-stack';
import type { Subject } from '../exceptions';
import { readTemplateResources } from '../template/resolved-resource';
import type { TaggableTypes } from '../template/taggable-types';
import { PLACEHOLDERS } from '../template/template-view';
import type { AssemblyStack, AssemblyTemplate } from './assembly';
import { definitionPaths, productAt } from './definition-paths';

export interface CollectedStack {
  readonly stack: EvaluatedStack<string>;
  readonly templates: readonly CollectedTemplate<string>[];
  /** Template file holding each resource, by construct path; for naming the template of a finding. */
  readonly templateOf: ReadonlyMap<string, string>;
}

export function collectStack(
  mesh: Mesh,
  domain: MeshDomain,
  assemblyStack: AssemblyStack,
  taggable: TaggableTypes,
): CollectedStack {
  const paths = definitionPaths(assemblyStack.path, domain);
  const domainTarget = { subject: domainSubject(domain), anchor: paths.domain };
  const products = new Map<string, { subject: Subject; anchor: string }>();
  for (const product of domain.products) {
    products.set(product.name, { subject: productSubject(product), anchor: paths.products.get(product.name)! });
  }
  const templateOf = new Map<string, string>();
  const templates = assemblyStack.templates.map((template): CollectedTemplate<string> => {
    const resources = readTemplateResources(template.template).map((resource) => {
      const path = resource.path || `${template.stackPath}/${resource.logicalId}`;
      templateOf.set(path, template.file);
      const product = productAt(paths, path);
      return {
        resolved: { ...resource, path, taggable: taggable.isTaggable(resource.type) },
        anchor: path,
        subject: (product && products.get(product)?.subject) || domainTarget.subject,
      };
    });
    return {
      anchor: template.stackPath,
      options: {
        stackPath: template.stackPath,
        env: {
          account: assemblyStack.env.account ?? PLACEHOLDERS.account,
          region: assemblyStack.env.region ?? PLACEHOLDERS.region,
        },
        indented: isIndented(template),
        templateBytes: Buffer.byteLength(template.text),
      },
      resources,
      source: { file: template.file, sha256: template.sha256 },
    };
  });
  return {
    stack: {
      stackName: assemblyStack.stackName,
      path: assemblyStack.path,
      mesh,
      domain,
      domainSubject: domainTarget,
      products,
    },
    templates,
    templateOf,
  };
}

/** CDK writes a template on one line unless indentation is on (then one space per level). */
function isIndented(template: AssemblyTemplate): boolean {
  return /^\{\r?\n/.test(template.text);
}
