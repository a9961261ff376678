import type { ResourceRule, Violation } from '../../model';
import { asList, get, isObject, type Json } from '../../template/resolved-resource';
import type { TemplateView } from '../../template/template-view';

/** Types Athena can project and prune on. */
const PARTITION_TYPE = /^(string|varchar\(\d+\)|char\(\d+\)|int|integer|bigint|smallint|tinyint|date)$/;

/** Settings each projection type needs (REFERENCE.md: partition projection). */
const REQUIRED_SETTINGS: Record<string, readonly string[]> = {
  date: ['range', 'format', 'interval', 'interval.unit'],
  integer: ['range'],
  enum: ['values'],
  injected: [],
};

function parameter(parameters: Json | undefined, key: string, template: TemplateView): string | undefined {
  return isObject(parameters) ? template.render(parameters[key]) : undefined;
}

/** MESH-GLUE-005: primitive partition keys with complete projection settings. */
export const partitionProjection: ResourceRule = {
  kind: 'resource',
  id: 'MESH-GLUE-005',
  severity: 'error',
  title: 'Partition keys are primitive and fully projected',
  explanation:
    'Partition keys must be primitive (string, int, bigint, date). Tables use partition projection instead of a crawler, and a partition column without projection settings makes every query fail: projection.enabled, a type per column with its settings, and a storage.location.template naming every partition column.',
  fix: 'declare partition: { projection: ... } on the column in the product file',
  resourceTypes: ['AWS::Glue::Table'],
  appliesTo: (table) => asList(get(table.properties, 'TableInput', 'PartitionKeys')).length > 0,
  check(table, { template }) {
    const keys = asList(get(table.properties, 'TableInput', 'PartitionKeys'));
    const parameters = get(table.properties, 'TableInput', 'Parameters');
    const violations: Violation[] = [];
    if (parameter(parameters, 'projection.enabled', template) !== 'true') {
      violations.push({
        finding: 'projection.enabled',
        message: 'partition projection is not enabled (projection.enabled)',
      });
    }
    const locationTemplate = parameter(parameters, 'storage.location.template', template);
    for (const key of keys) {
      const name = String(get(key, 'Name'));
      const type = String(get(key, 'Type'));
      if (!PARTITION_TYPE.test(type)) {
        violations.push({
          finding: `Partition::${name}`,
          message: `partition key "${name}" has the non-primitive type ${type}`,
        });
      }
      const projection = parameter(parameters, `projection.${name}.type`, template);
      const required = projection === undefined ? undefined : REQUIRED_SETTINGS[projection];
      if (!required) {
        violations.push({
          finding: `Partition::${name}`,
          message: `partition key "${name}" has no projection type (projection.${name}.type)`,
        });
        continue;
      }
      const missing = required.filter(
        (setting) => parameter(parameters, `projection.${name}.${setting}`, template) === undefined,
      );
      if (missing.length > 0) {
        violations.push({
          finding: `Partition::${name}`,
          message: `partition key "${name}" (${projection} projection) lacks ${missing.map((m) => `projection.${name}.${m}`).join(', ')}`,
        });
      }
      if (!locationTemplate?.includes(`\${${name}}`)) {
        violations.push({
          finding: `Partition::${name}`,
          message: `storage.location.template does not place "${name}" (\${${name}})`,
        });
      }
    }
    return violations;
  },
};
