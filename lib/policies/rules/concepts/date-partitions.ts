import { isTextType, parseColumnType } from '../../../definition/column-type';
import type { Column } from '../../../definition/schema';
import type { MeshRule } from '../../model';
import { liveColumns } from '../mesh/schema-paths';

/** The one format of a day partition: the partition_date concept's (lib/policies/concepts.ts). */
export const DATE_PARTITION_FORMAT = 'yyyy-MM-dd';

/** Names a day partition goes by: `date`, `day`, `<anything>_date`, `<anything>_day`. */
const DAY_NAME = /^(.+_)?(date|day)$/;
/** A projection format that writes a time of day partitions by the hour or finer: not a day partition. */
const TIME_OF_DAY = /[HhkKmsS]/;

/** MESH-CPT-003: day partitions are dates, written one way. */
export const datePartitionsOneFormat: MeshRule = {
  kind: 'mesh',
  id: 'MESH-CPT-003',
  // A published table cannot change its partition layout without rewriting every partition and a new
  // major, so the guild asks rather than blocks.
  severity: 'warning',
  title: 'Day partitions are dates or yyyy-MM-dd strings',
  explanation: `Consumers filter and join on day partitions across domains; one format (the partition_date concept) lets one predicate prune every product. A partition column that holds a day (a date projection, or named date, day, *_date or *_day) is of type date, or a string with a date projection in the format ${DATE_PARTITION_FORMAT}. Partitions by the hour or finer, and by month or year under a name that is not a day's, are not day partitions and are not checked.`,
  fix: `make the column type date, or keep it a string with partition: { projection: 'date', format: '${DATE_PARTITION_FORMAT}', ... }`,
  checkProduct(product) {
    return liveColumns(product).flatMap(({ column, path, current, major }) => {
      const problem = dayPartitionProblem(column);
      if (!problem) return [];
      return [
        {
          finding: current ? `Column::${column.name}` : `v${major}::Column::${column.name}`,
          message: `day partition "${column.name}"${current ? '' : ` of v${major}`} ${problem}`,
          fix: `make ${path} type date, or a string with partition: { projection: 'date', format: '${DATE_PARTITION_FORMAT}', ... } (a new major: the partition layout changes)`,
        },
      ];
    });
  },
};

/** What is wrong with a day partition column; undefined when it is fine or not a day partition. */
function dayPartitionProblem(column: Column): string | undefined {
  const partition = column.partition;
  if (partition === undefined) return undefined;
  const projection = partition === true ? undefined : partition;
  const type = parseColumnType(column.type);
  const isDate = type.kind === 'primitive' && type.name === 'date';
  if (projection?.projection === 'date') {
    if (TIME_OF_DAY.test(projection.format)) return undefined;
    if (!projection.format.includes('d') && !DAY_NAME.test(column.name)) return undefined;
    if (projection.format !== DATE_PARTITION_FORMAT) {
      return `is written ${projection.format}, not ${DATE_PARTITION_FORMAT}`;
    }
    return isDate || isTextType(type) ? undefined : `is of type ${column.type}, not date or a string`;
  }
  if (!DAY_NAME.test(column.name) || isDate) return undefined;
  if (type.kind === 'primitive' && type.name === 'timestamp') return undefined;
  const how = projection ? `an ${projection.projection} projection` : 'identity partitioning';
  return `is of type ${column.type} with ${how}, not a date`;
}
