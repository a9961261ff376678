/** Column-level breaking-change rules: columns removed, renamed, retyped, added; flags and value constraints. */
import type { Classification } from '../definition/schema';
import { type ContractChange, change } from './change';
import { constraintChanges } from './constraint-changes';
import type { ContractColumn, ContractVersion } from './contract-schema';
import { canonicalJson } from './hash';

const RANK: Record<Classification, number> = { public: 0, internal: 1, confidential: 2, restricted: 3 };

/** True when `after` is less sensitive than `before`. */
export function isClassificationLowered(before: Classification, after: Classification): boolean {
  return RANK[after] < RANK[before];
}

export function columnChanges(before: ContractVersion, after: ContractVersion): ContractChange[] {
  const changes: ContractChange[] = [];
  const beforeByName = new Map(before.columns.map((c) => [c.name, c]));
  const afterByName = new Map(after.columns.map((c) => [c.name, c]));
  const renamedTo = new Set<string>();

  before.columns.forEach((column, index) => {
    if (afterByName.has(column.name)) return;
    // A column that disappears while a new one of the same type appears in its place is most likely a rename.
    const successor = after.columns[index];
    if (successor && !beforeByName.has(successor.name) && successor.type === column.type) {
      renamedTo.add(successor.name);
      changes.push(
        change(
          'column-renamed',
          `schema.columns.${column.name}`,
          column.name,
          successor.name,
          'breaking',
          `column ${column.name} appears renamed to ${successor.name}; a rename removes the old column for every consumer`,
        ),
      );
      return;
    }
    changes.push(
      change(
        'column-removed',
        `schema.columns.${column.name}`,
        column,
        undefined,
        'breaking',
        `column ${column.name} removed; consumers that select it fail`,
      ),
    );
  });

  for (const column of after.columns) {
    if (beforeByName.has(column.name) || renamedTo.has(column.name)) continue;
    changes.push(
      change(
        'column-added',
        `schema.columns.${column.name}`,
        undefined,
        column,
        column.required ? 'breaking' : 'compatible',
        column.required
          ? `required column ${column.name} added; rows written before it have no value, so the promise cannot hold`
          : `optional column ${column.name} added`,
      ),
    );
  }

  for (const old of before.columns) {
    const now = afterByName.get(old.name);
    if (now) changes.push(...changesOfColumn(old, now, before.classification, after.classification));
  }

  const beforeNames = before.columns.map((c) => c.name);
  const afterNames = after.columns.map((c) => c.name);
  const kept = beforeNames.filter((n) => afterByName.has(n));
  if (before.format === 'csv' && after.format === 'csv') {
    // CSV is read by position: any kept column at a new index misreads existing files.
    if (kept.some((name, i) => afterNames[i] !== name)) {
      changes.push(
        change(
          'column-order-changed',
          'schema.columns',
          beforeNames,
          afterNames,
          'breaking',
          'column positions changed in a CSV product; CSV is read by position, so existing files no longer line up',
        ),
      );
    }
  } else if (kept.join(',') !== afterNames.filter((n) => beforeByName.has(n)).join(',')) {
    changes.push(
      change(
        'column-order-changed',
        'schema.columns',
        beforeNames,
        afterNames,
        'informational',
        `column order changed; ${after.format} is read by name, so only SELECT * output changes`,
      ),
    );
  }
  return changes;
}

function changesOfColumn(
  old: ContractColumn,
  now: ContractColumn,
  productBefore: Classification,
  productAfter: Classification,
): ContractChange[] {
  const changes: ContractChange[] = [];
  const at = `schema.columns.${old.name}`;
  const flag = (
    kind: 'required-changed' | 'unique-changed' | 'primary-key-changed' | 'pii-changed',
    key: 'required' | 'unique' | 'primaryKey' | 'pii',
    tightened: 'breaking' | 'compatible',
    loosened: 'breaking' | 'compatible',
    why: string,
  ) => {
    if (old[key] === now[key]) return;
    const impact = now[key] ? tightened : loosened;
    changes.push(
      change(
        kind,
        `${at}.${key}`,
        old[key],
        now[key],
        impact,
        `${old.name}.${key} changed ${old[key]} → ${now[key]}; ${why}`,
      ),
    );
  };

  if (old.type !== now.type) {
    changes.push(
      change(
        'column-type-changed',
        `${at}.type`,
        old.type,
        now.type,
        'breaking',
        `column ${old.name} changed type from ${old.type} to ${now.type}; existing files and consumers' casts no longer match`,
      ),
    );
  }
  flag(
    'required-changed',
    'required',
    'breaking',
    'compatible',
    now.required ? 'rows already written may hold no value' : 'consumers must now expect missing values',
  );
  flag(
    'unique-changed',
    'unique',
    'breaking',
    'compatible',
    now.unique ? 'rows already written may repeat values' : 'consumers must no longer assume one row per value',
  );
  flag('primary-key-changed', 'primaryKey', 'compatible', 'compatible', 'joins on the key may change');
  flag(
    'pii-changed',
    'pii',
    'compatible',
    'breaking',
    now.pii
      ? 'the column now needs named consumers with a purpose'
      : 'declassifying personal data needs governance approval',
  );

  // A column that only follows the product's classification change is reported once, at product level.
  const followsProduct = old.classification === productBefore && now.classification === productAfter;
  if (old.classification !== now.classification && !followsProduct) {
    const lowered = isClassificationLowered(old.classification, now.classification);
    changes.push(
      change(
        'classification-lowered',
        `${at}.classification`,
        old.classification,
        now.classification,
        lowered ? 'breaking' : 'compatible',
        lowered
          ? `${old.name} classification lowered from ${old.classification} to ${now.classification}; declassifying needs governance approval`
          : `${old.name} classification raised from ${old.classification} to ${now.classification}`,
      ),
    );
  }
  if (old.description !== now.description) {
    changes.push(
      change(
        'description-changed',
        `${at}.description`,
        old.description,
        now.description,
        'informational',
        `${old.name} description changed`,
      ),
    );
  }
  if (old.partition && now.partition) changes.push(...projectionChanges(at, old.partition, now.partition));
  changes.push(...constraintChanges(at, old.name, old.constraints ?? {}, now.constraints ?? {}));
  return changes;
}

type Projection = NonNullable<ContractColumn['partition']>;

function projectionChanges(at: string, old: Projection, now: Projection): ContractChange[] {
  if (canonicalJson(old) === canonicalJson(now)) return [];
  const path = `${at}.partition`;
  // Identity partitioning (iceberg) against projection settings can only come with a format change, itself breaking.
  if (old === true || now === true) {
    return [
      change(
        'partition-projection-changed',
        path,
        old,
        now,
        'breaking',
        'partitioning changed between iceberg and projection',
      ),
    ];
  }
  if (old.projection === 'enum' && now.projection === 'enum') {
    const removed = old.values.filter((v) => !now.values.includes(v));
    return [
      change(
        'partition-projection-changed',
        path,
        old,
        now,
        removed.length > 0 ? 'breaking' : 'compatible',
        removed.length > 0
          ? `partition values ${removed.join(', ')} no longer projected; their data disappears from queries`
          : 'partition values added',
      ),
    ];
  }
  const { range: _oldRange, ...oldLayout } = old as Exclude<Projection, true> & { range?: unknown };
  const { range: _nowRange, ...nowLayout } = now as Exclude<Projection, true> & { range?: unknown };
  const layoutChanged = canonicalJson(oldLayout) !== canonicalJson(nowLayout);
  return [
    change(
      'partition-projection-changed',
      path,
      old,
      now,
      layoutChanged ? 'breaking' : 'informational',
      layoutChanged
        ? 'partition projection layout changed (type, format or interval); existing partitions are no longer found'
        : 'partition projection range changed',
    ),
  ];
}
