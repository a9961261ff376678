/**
 * The rules CloudFormation enforces at deploy time: the platform rules that must never be broken, written as
 * AWS CloudFormation Guard rules (one `.guard` file each under rules/) and deployed by the platform's Guard
 * Hook (constructs/guard-hook-stack.ts). Each Guard rule is named after its platform rule (MESH-S3-001 is
 * `MESH_S3_001`) and its message starts with the same id, title and fix as the synth finding, so a refused
 * deploy names the rule `cdk synth` would have named. Tests keep the two in step.
 */
import * as path from 'node:path';

/** Folder of the `.guard` files, shipped with the platform and uploaded as the hook's rules. */
export const GUARD_RULES_DIR = path.join(__dirname, 'rules');

/** Stacks the hook judges: every domain stack is `Mesh-<Domain>` (lib/mesh/naming.ts), nested stacks too. */
export const DOMAIN_STACK_PATTERN = 'Mesh-*';
/** The platform stack holding the hook; outside DOMAIN_STACK_PATTERN, so the hook does not judge itself. */
export const GUARD_HOOK_STACK_NAME = 'MeshPlatform-Guard';

/** Whether the hook judges a stack of this name (CloudFormation's wildcards: `*` any run, `?` one character). */
export function matchesStackPattern(pattern: string, stackName: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(stackName);
}

/**
 * What a Guard Hook hands the rules. A stack operation sees the whole proposed template (every resource,
 * DeletionPolicy, bucket policies next to their buckets); a resource operation sees one resource with its
 * values resolved.
 */
export type GuardOperation = 'STACK' | 'RESOURCE';

export interface GuardRule {
  /** Platform rule id (lib/policies/rules/**), e.g. MESH-S3-001. */
  readonly id: string;
  /** File under GUARD_RULES_DIR. */
  readonly file: string;
  /** Operations the rule judges; on the others it is not applicable (SKIP), never a failure. */
  readonly operations: readonly GuardOperation[];
}

const BOTH: readonly GuardOperation[] = ['STACK', 'RESOURCE'];
// Rules that need more than one resource (a bucket and its policy, who logs to whom) or resource attributes
// (DeletionPolicy) judge whole templates only.
const STACK_ONLY: readonly GuardOperation[] = ['STACK'];

export const GUARD_RULES: readonly GuardRule[] = [
  { id: 'MESH-S3-001', file: 'mesh-s3-001.guard', operations: BOTH },
  { id: 'MESH-S3-002', file: 'mesh-s3-002.guard', operations: BOTH },
  { id: 'MESH-S3-003', file: 'mesh-s3-003.guard', operations: STACK_ONLY },
  { id: 'MESH-S3-008', file: 'mesh-s3-008.guard', operations: BOTH },
  { id: 'MESH-STATE-001', file: 'mesh-state-001.guard', operations: STACK_ONLY },
  { id: 'MESH-KMS-002', file: 'mesh-kms-002.guard', operations: BOTH },
  { id: 'MESH-IAM-001', file: 'mesh-iam-001.guard', operations: BOTH },
  { id: 'MESH-IAM-005', file: 'mesh-iam-005.guard', operations: BOTH },
  { id: 'MESH-IAM-006', file: 'mesh-iam-006.guard', operations: BOTH },
  { id: 'MESH-ATH-002', file: 'mesh-ath-002.guard', operations: BOTH },
];

/** The Guard rule name of a platform rule: MESH-S3-001 -> MESH_S3_001 (Guard names allow no dashes). */
export function guardRuleName(ruleId: string): string {
  return ruleId.replace(/-/g, '_');
}

/** The platform rule a Guard rule name stands for, or undefined for a name outside the catalogue. */
export function platformRuleId(guardName: string): string | undefined {
  return GUARD_RULES.find((rule) => guardRuleName(rule.id) === guardName)?.id;
}

/** Whether CloudFormation refuses, at deploy time, what this platform rule forbids. */
export function isEnforcedAtDeploy(ruleId: string): boolean {
  return GUARD_RULES.some((rule) => rule.id === ruleId);
}
