/** One difference between a locked contract and the definition's, and how consumers feel it. */

/**
 * - `breaking`: consumers can fail or silently read wrong data; needs a new major.
 * - `compatible`: the contract changed in a way consumers can absorb; semver wants a minor bump.
 * - `informational`: documentation, tags, quality rules, tightened SLA; no bump required.
 */
export type ChangeImpact = 'breaking' | 'compatible' | 'informational';

export type ChangeKind =
  | 'major-removed'
  | 'major-reused'
  | 'major-retired'
  | 'sunset-changed'
  | 'table-changed'
  | 'location-changed'
  | 'format-changed'
  | 'partition-keys-changed'
  | 'partition-projection-changed'
  | 'classification-lowered'
  | 'classification-raised'
  | 'column-removed'
  | 'column-renamed'
  | 'column-type-changed'
  | 'column-added'
  | 'column-order-changed'
  | 'required-changed'
  | 'unique-changed'
  | 'primary-key-changed'
  | 'pii-changed'
  | 'accepted-values-changed'
  | 'range-changed'
  | 'pattern-changed'
  | 'length-changed'
  | 'description-changed'
  | 'tags-changed'
  | 'quality-changed'
  | 'sla-changed';

/** A difference between the locked contract of a major (`before`) and the definition's (`after`). */
export interface ContractChange {
  readonly kind: ChangeKind;
  /** Where in the contract, e.g. `schema.columns.net_amount.type`. */
  readonly path: string;
  /** Locked value; undefined when the element is new. */
  readonly before: unknown;
  /** Definition's value; undefined when the element was removed. */
  readonly after: unknown;
  /** True when the change needs a new major version. */
  readonly breaking: boolean;
  readonly impact: ChangeImpact;
  /** What changed and why it has this impact, in one sentence. */
  readonly message: string;
}

export function change(
  kind: ChangeKind,
  path: string,
  before: unknown,
  after: unknown,
  impact: ChangeImpact,
  message: string,
): ContractChange {
  return { kind, path, before, after, breaking: impact === 'breaking', impact, message };
}
