/**
 * Breaking-change detection: compares the locked contract of a major with the one the definition produces
 * now, following the breaking-change rules of the design reference (column removed/renamed/retyped, required
 * tightened, constraints tightened, partitioning/format/location changed, classification lowered → breaking).
 */
import { type ContractChange, change } from './change';
import { columnChanges, isClassificationLowered } from './column-changes';
import { qualityKey } from './contract';
import type { ContractVersion } from './contract-schema';
import { canonicalJson } from './hash';
import { slaChanges } from './sla-changes';

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Every change from the locked contract `before` to the definition's contract `after` of the same major. */
export function compareContracts(before: ContractVersion, after: ContractVersion): ContractChange[] {
  const changes: ContractChange[] = [];
  const add = (c: ContractChange) => changes.push(c);

  if (before.table !== after.table) {
    add(
      change(
        'table-changed',
        'table',
        before.table,
        after.table,
        'breaking',
        `Glue table renamed from ${before.table} to ${after.table}; consumers' queries name the table`,
      ),
    );
  }
  if (before.location !== after.location) {
    add(
      change(
        'location-changed',
        'location',
        before.location,
        after.location,
        'breaking',
        `data location moved from ${before.location} to ${after.location}; readers and grants point at the old prefix`,
      ),
    );
  }
  if (before.format !== after.format) {
    add(
      change(
        'format-changed',
        'schema.format',
        before.format,
        after.format,
        'breaking',
        `storage format changed from ${before.format} to ${after.format}; existing files cannot be read as the new format`,
      ),
    );
  }
  if (!same(before.partitionKeys, after.partitionKeys)) {
    add(
      change(
        'partition-keys-changed',
        'schema.partitionKeys',
        before.partitionKeys,
        after.partitionKeys,
        'breaking',
        `partition keys changed from [${before.partitionKeys.join(', ')}] to [${after.partitionKeys.join(', ')}]; the data layout and every partition filter change`,
      ),
    );
  }
  if (before.classification !== after.classification) {
    const lowered = isClassificationLowered(before.classification, after.classification);
    add(
      change(
        lowered ? 'classification-lowered' : 'classification-raised',
        'classification',
        before.classification,
        after.classification,
        lowered ? 'breaking' : 'compatible',
        lowered
          ? `classification lowered from ${before.classification} to ${after.classification}; declassifying data needs governance approval and a new major`
          : `classification raised from ${before.classification} to ${after.classification}; access rules get stricter`,
      ),
    );
  }
  if (before.sunset !== after.sunset) add(sunsetChange(before.sunset, after.sunset));

  changes.push(...columnChanges(before, after));
  changes.push(...descriptionChanges(before, after));
  changes.push(...slaChanges(before.sla, after.sla));
  changes.push(...qualityChanges(before, after));
  return changes;
}

function sunsetChange(before: string | undefined, after: string | undefined): ContractChange {
  if (before === undefined) {
    return change(
      'sunset-changed',
      'sunset',
      before,
      after,
      'informational',
      `major is now an earlier version, served until ${after}`,
    );
  }
  if (after === undefined) {
    return change('sunset-changed', 'sunset', before, after, 'informational', 'sunset date removed');
  }
  const earlier = after < before;
  return change(
    'sunset-changed',
    'sunset',
    before,
    after,
    earlier ? 'compatible' : 'informational',
    earlier
      ? `sunset moved earlier, from ${before} to ${after}; consumers have less time to migrate`
      : `sunset moved later, from ${before} to ${after}`,
  );
}

function descriptionChanges(before: ContractVersion, after: ContractVersion): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const key of ['purpose', 'usage', 'limitations'] as const) {
    if (before.description[key] !== after.description[key]) {
      changes.push(
        change(
          'description-changed',
          `description.${key}`,
          before.description[key],
          after.description[key],
          'informational',
          `description.${key} changed`,
        ),
      );
    }
  }
  const beforeTags = [...before.tags].sort();
  const afterTags = [...after.tags].sort();
  if (!same(beforeTags, afterTags)) {
    const added = afterTags.filter((t) => !beforeTags.includes(t));
    const removed = beforeTags.filter((t) => !afterTags.includes(t));
    changes.push(
      change(
        'tags-changed',
        'tags',
        before.tags,
        after.tags,
        'informational',
        `tags changed${added.length ? ` (added ${added.join(', ')})` : ''}${removed.length ? ` (removed ${removed.join(', ')})` : ''}`,
      ),
    );
  }
  return changes;
}

function keyedRules(rules: ContractVersion['quality']): Map<string, ContractVersion['quality'][number]> {
  const keyed = new Map<string, ContractVersion['quality'][number]>();
  for (const rule of rules) {
    const base = qualityKey(rule);
    let key = base;
    for (let i = 2; keyed.has(key); i++) key = `${base}#${i}`;
    keyed.set(key, rule);
  }
  return keyed;
}

function qualityChanges(before: ContractVersion, after: ContractVersion): ContractChange[] {
  const changes: ContractChange[] = [];
  const was = keyedRules(before.quality);
  const now = keyedRules(after.quality);
  for (const [key, rule] of was) {
    const next = now.get(key);
    if (!next) {
      changes.push(
        change('quality-changed', `quality.${key}`, rule, undefined, 'informational', `quality rule ${key} removed`),
      );
    } else if (!same(rule, next)) {
      changes.push(
        change('quality-changed', `quality.${key}`, rule, next, 'informational', `quality rule ${key} changed`),
      );
    }
  }
  for (const [key, rule] of now) {
    if (!was.has(key)) {
      changes.push(
        change('quality-changed', `quality.${key}`, undefined, rule, 'informational', `quality rule ${key} added`),
      );
    }
  }
  return changes;
}
