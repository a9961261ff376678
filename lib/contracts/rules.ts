/**
 * Metadata of the contract governance rules, for the policy engine to list, document and attach findings.
 * The checks themselves are plain functions in check.ts, orphans.ts and sunset.ts.
 */

export type ContractRuleId =
  | 'MESH-CON-001'
  | 'MESH-CON-002'
  | 'MESH-CON-003'
  | 'MESH-CON-004'
  | 'MESH-CON-005'
  | 'MESH-CON-006'
  | 'MESH-CON-007'
  | 'MESH-CON-008'
  | 'MESH-CON-009';

/** A documented rule: stable id, default severity, and what to do about a finding. */
export interface ContractRule {
  readonly id: ContractRuleId;
  /** Default severity; a few findings differ (drafts warn, see `explanation`). */
  readonly severity: 'error' | 'warning';
  readonly title: string;
  /** Why the rule exists, for reports and documentation. */
  readonly explanation: string;
  /** Generic remedy; each finding carries a specific one. */
  readonly fix: string;
}

export const CONTRACT_RULES: readonly ContractRule[] = [
  {
    id: 'MESH-CON-001',
    severity: 'error',
    title: 'Breaking contract change without a new major version',
    explanation:
      'A published major is a promise: its columns, types, constraints, partitioning, format, location and classification must not change in a way consumers feel. Draft products are unpublished, so their findings are warnings.',
    fix: 'Undo the change, or publish it as a new major: bump to <major+1>.0.0 and keep the old schema in previousVersions with a sunset date.',
  },
  {
    id: 'MESH-CON-002',
    severity: 'error',
    title: 'Contract changed but lock file not updated',
    explanation:
      'The lock file records what was published; a definition that differs from it has not been reviewed as a contract change. Warning for draft products.',
    fix: 'Run npx mesh contract lock <domain>/<product> and commit the lock file with the change.',
  },
  {
    id: 'MESH-CON-003',
    severity: 'error',
    title: 'Product has no contract lock file',
    explanation:
      'Without a lock, breaking changes cannot be detected. Draft products are not published yet, so a missing lock is a warning for them.',
    fix: 'Run npx mesh contract lock <domain>/<product> and commit the lock file.',
  },
  {
    id: 'MESH-CON-004',
    severity: 'warning',
    title: 'Version number does not follow the change',
    explanation:
      'Compatible changes (a new optional column, looser constraints) should bump the minor version so consumers notice them. A version or major below the locked one is an error: published versions never go backwards.',
    fix: 'Bump the minor version for compatible changes; never lower a published version or major.',
  },
  {
    id: 'MESH-CON-005',
    severity: 'error',
    title: 'Product with a published contract removed or renamed before it was retired',
    explanation:
      "A lock file whose product file is gone means the product was deleted or renamed: its tables leave the domain's stack at the next deploy, every consumer's queries break, and its files stay in the data bucket with no contract. Removal is allowed only when the lock records the product as deprecated (or retired) with a sunset, and the sunset has passed; the lock file then stays as the product's tombstone. The finding belongs to the domain, so only its stack fails.",
    fix: "Restore the product file. To rename or remove it: add the new product as its own file, move consumers' inputs to it, set status: 'deprecated' and a sunset on the old one, run npx mesh contract lock <domain>/<product>; after the sunset delete the old file and keep its lock file.",
  },
  {
    id: 'MESH-CON-006',
    severity: 'error',
    title: 'Invalid contract lock file',
    explanation:
      'A lock file that does not parse, or whose content no longer matches its hash, cannot serve as the reference for breaking changes.',
    fix: 'Restore the lock file from version control, or delete it and run npx mesh contract lock <domain>/<product>.',
  },
  {
    id: 'MESH-CON-007',
    severity: 'warning',
    title: 'Input pinned to a major near or past its sunset',
    explanation:
      'A consumer reading a major (or a deprecated product) within 30 days of its sunset gets a warning; past the sunset date it is an error on the consumer, whose input is about to disappear.',
    fix: 'Move the input to the current major of the producer (compare both contracts with npx mesh contract export).',
  },
  {
    id: 'MESH-CON-008',
    severity: 'error',
    title: 'Major or product still served after its sunset date',
    explanation:
      'The sunset date is the last day a previous major (or a deprecated product) is served; keeping it afterwards breaks the promise to retire it and keeps consumers on it.',
    fix: 'Remove the previousVersions entry (its table leaves the stack; the files under its prefix are retained), then run npx mesh contract lock <domain>/<product>; for a whole product, delete its file and keep its lock file; or, with governance approval, move the sunset date.',
  },
  {
    id: 'MESH-CON-009',
    severity: 'error',
    title: 'Two product majors resolve to the same Glue table',
    explanation:
      'Every live major needs its own table in the domain database; two majors on one name would overwrite each other at deploy.',
    fix: 'Give each live major its own major number (and so its own table and data prefix).',
  },
];

/** Rule metadata by id. */
export function contractRule(id: ContractRuleId): ContractRule {
  return CONTRACT_RULES.find((r) => r.id === id)!;
}
