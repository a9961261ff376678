import type { ResourceRule, Violation } from '../../model';
import { get, type Json, type ResolvedResource } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

/** Properties that name another resource, and the type and name property of what they name. */
const NAME_REFERENCES: Record<string, readonly { property: string; type: string; name: readonly string[] }[]> = {
  'AWS::Glue::Table': [{ property: 'DatabaseName', type: 'AWS::Glue::Database', name: ['DatabaseInput', 'Name'] }],
  'AWS::Athena::NamedQuery': [
    { property: 'WorkGroup', type: 'AWS::Athena::WorkGroup', name: ['Name'] },
    { property: 'Database', type: 'AWS::Glue::Database', name: ['DatabaseInput', 'Name'] },
  ],
};

function namedResource(
  template: TemplateView,
  type: string,
  nameAt: readonly string[],
  name: string,
): ResolvedResource | undefined {
  return template.ofType(type).find((r) => template.render(get(r.properties, ...nameAt) as Json | undefined) === name);
}

/** MESH-DEP-001: a resource that names another resource of its template depends on it. */
export const nameDependencies: ResourceRule = {
  kind: 'resource',
  id: 'MESH-DEP-001',
  severity: 'error',
  title: 'Resources that name another resource of their stack depend on it',
  explanation:
    'A Glue table names its database, a named query its workgroup, by name, not by reference, so CloudFormation does not know the order: without a DependsOn (direct or through another resource) it may create the table before the database and the first deploy fails. Resources of other stacks are addressed by derived names on purpose and are not checked.',
  fix: 'add a dependency on the named resource (cfnTable.addResourceDependency(cfnDatabase), or construct.node.addDependency)',
  resourceTypes: Object.keys(NAME_REFERENCES),
  check(resource, { template }) {
    const violations: Violation[] = [];
    for (const reference of NAME_REFERENCES[resource.type] ?? []) {
      const name = template.render(resource.properties[reference.property]);
      if (name === undefined) continue;
      const target = namedResource(template, reference.type, reference.name, name);
      if (!target || template.dependsOn(resource.logicalId, target.logicalId)) continue;
      violations.push({
        finding: reference.property,
        message: `names ${reference.type} ${name} (${target.path || target.logicalId}) in ${reference.property} but does not depend on it`,
      });
    }
    return violations;
  },
};
