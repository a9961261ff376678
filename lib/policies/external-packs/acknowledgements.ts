/**
 * The findings of AWS Control Tower's proactive controls and cdk-nag's NIST 800-53 R5 and HIPAA packs that
 * the platform does not fix, each with the reason it does not apply or what compensates. One place, per rule
 * and resource kind; a test fails on a finding without an entry here and on an entry that matches no finding.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ExternalPack, PackAcknowledgement } from './reconcile';

/** The domain resources an acknowledgement can name. */
export type DomainResourceKind =
  | 'data bucket'
  | 'results bucket'
  | 'access-log bucket'
  | 'producer role policy'
  | 'consumer role policy';

/** One rule of one pack, acknowledged on one kind of domain resource in every domain stack. */
export interface PackAcknowledgementEntry {
  readonly pack: ExternalPack;
  readonly rule: string;
  /** Control Tower's id of the control (`CT.S3.PR.9`); cdk-nag rules are their own id. */
  readonly control?: string;
  readonly resource: DomainResourceKind;
  readonly reason: string;
}

/** A domain stack as these acknowledgements see it (DomainStack is one). */
export interface PackAcknowledgeableStack {
  readonly dataDomain: {
    readonly dataBucket: IConstruct;
    readonly resultsBucket: IConstruct;
    readonly logsBucket: IConstruct;
    readonly producerRole: IConstruct;
    readonly consumerRole: IConstruct;
  };
}

const LOG_BUCKET_ENCRYPTION =
  'S3 delivers server access logs only to buckets whose default encryption is SSE-S3 (the S3 User Guide: SSE-KMS is not supported for log destination buckets). The bucket holds request records, no product data; it is private, TLS-only and versioned.';

type BucketKind = Extract<DomainResourceKind, `${string} bucket`>;

const REPLICATION: Record<BucketKind, string> = {
  'data bucket':
    "Cross-Region replication would copy every product, personal data included, to a second Region: where a domain's data may reside is decided per domain (its env), not by a platform default, and a replica doubles storage. Within its Region S3 keeps objects across several Availability Zones; versioning (90 days of overwritten and deleted objects) and retention on stack deletion protect against loss by mistake.",
  'results bucket':
    "Query results are re-created by running the query again and expire after the domain's resultRetentionDays; a replica in another Region would be a second copy of disposable data.",
  'access-log bucket':
    'Server access logs are best-effort request records kept a year for investigation, not the audit record (that is CloudTrail, at the account level); a second copy in another Region adds cost, not assurance.',
};

const INLINE_POLICY = (role: string) =>
  `The ${role} role's own grants (its domain's product prefix, key, database, workgroup and results bucket) belong to that one role and are created and deleted with it in the same stack, so a managed policy's reuse and versions add nothing. As a customer managed policy it would take one of the role's 10 managed-policy slots, which the input grants use (9 on a consumer of 150 inputs).`;

const NAG_PREFIX: Record<Exclude<ExternalPack, 'control-tower'>, string> = {
  'nist-800-53-r5': 'NIST.800.53.R5-',
  hipaa: 'HIPAA.Security-',
};

/** Every acknowledgement, per pack, rule and resource kind. */
export const PACK_ACKNOWLEDGEMENTS: readonly PackAcknowledgementEntry[] = [
  {
    pack: 'control-tower',
    rule: 's3_bucket_default_encryption_kms_check',
    control: 'CT.S3.PR.10',
    resource: 'access-log bucket',
    reason: LOG_BUCKET_ENCRYPTION,
  },
  {
    pack: 'control-tower',
    rule: 's3_bucket_logging_enabled_check',
    control: 'CT.S3.PR.2',
    resource: 'access-log bucket',
    reason:
      "This is the bucket the domain's data and results buckets log to. Logging it into itself would log every log delivery, and into yet another bucket would only move the control one bucket on; its bucket policy admits the S3 logging service for those two buckets only.",
  },
  {
    pack: 'control-tower',
    rule: 's3_event_notifications_enabled_check',
    control: 'CT.S3.PR.4',
    resource: 'results bucket',
    reason:
      "Athena writes one result object per query, expiring after the domain's resultRetentionDays; nothing reacts to them, so events would be noise. The data bucket, where product data arrives, sends its object events to EventBridge.",
  },
  {
    pack: 'control-tower',
    rule: 's3_event_notifications_enabled_check',
    control: 'CT.S3.PR.4',
    resource: 'access-log bucket',
    reason:
      'S3 writes log objects here all the time; nothing reacts to them, so events would be noise. The data bucket, where product data arrives, sends its object events to EventBridge.',
  },
  {
    pack: 'control-tower',
    rule: 's3_bucket_object_lock_enabled_check',
    control: 'CT.S3.PR.9',
    resource: 'data bucket',
    reason:
      "Object Lock makes object versions undeletable until their retention date, but personal data must be erasable on request (GDPR Art. 17) and producers must be able to correct a product in place. Versioning keeps overwritten and deleted objects recoverable for 90 days, the bucket policy denies writes to everyone but the domain's producer role, and the bucket is retained when its stack is deleted.",
  },
  {
    pack: 'control-tower',
    rule: 's3_bucket_object_lock_enabled_check',
    control: 'CT.S3.PR.9',
    resource: 'results bucket',
    reason:
      "Query results are copies derived from the data bucket, re-created by running the query again, and must be gone after the domain's resultRetentionDays because they can hold personal data; a lock would only keep them longer.",
  },
  {
    pack: 'control-tower',
    rule: 's3_bucket_object_lock_enabled_check',
    control: 'CT.S3.PR.9',
    resource: 'access-log bucket',
    reason:
      "Log records name requesters and are erased after 365 days by lifecycle. S3 delivers server access logs on a best-effort basis, so they are not the record to make immutable: that is CloudTrail's, at the account level, outside the domain stacks.",
  },
  ...(['nist-800-53-r5', 'hipaa'] as const).flatMap((pack): PackAcknowledgementEntry[] => [
    ...(['data bucket', 'results bucket', 'access-log bucket'] as const).map((resource) => ({
      pack,
      rule: `${NAG_PREFIX[pack]}S3BucketReplicationEnabled`,
      resource,
      reason: REPLICATION[resource],
    })),
    {
      pack,
      rule: `${NAG_PREFIX[pack]}S3DefaultEncryptionKMS`,
      resource: 'access-log bucket',
      reason: LOG_BUCKET_ENCRYPTION,
    },
    ...(['producer', 'consumer'] as const).map((role) => ({
      pack,
      rule: `${NAG_PREFIX[pack]}IAMNoInlinePolicy`,
      resource: `${role} role policy` as const,
      reason: INLINE_POLICY(role),
    })),
  ]),
];

/** The construct an acknowledgement sits on; a role's grants live in its DefaultPolicy. */
function targetOf(stack: PackAcknowledgeableStack, kind: DomainResourceKind): IConstruct | undefined {
  const domain = stack.dataDomain;
  switch (kind) {
    case 'data bucket':
      return domain.dataBucket;
    case 'results bucket':
      return domain.resultsBucket;
    case 'access-log bucket':
      return domain.logsBucket;
    case 'producer role policy':
      return domain.producerRole.node.tryFindChild('DefaultPolicy');
    case 'consumer role policy':
      return domain.consumerRole.node.tryFindChild('DefaultPolicy');
  }
}

/** The id CDK's validation framework files an acknowledgement under for the pack's plugin. */
function validationId(entry: PackAcknowledgementEntry): string {
  // cdk-nag matches its rule id as is; the Guard plugin's rules sit in the plugin's namespace.
  return entry.pack === 'control-tower' ? `cdk-validator-cfnguard::${entry.rule}` : entry.rule;
}

interface Placed {
  readonly entry: PackAcknowledgementEntry;
  readonly target: IConstruct;
}

function place(stack: PackAcknowledgeableStack): Placed[] {
  return PACK_ACKNOWLEDGEMENTS.flatMap((entry) => {
    const target = targetOf(stack, entry.resource);
    return target ? [{ entry, target }] : [];
  });
}

/** The acknowledgements of one domain stack, each on the construct path it covers. */
export function packAcknowledgements(stack: PackAcknowledgeableStack): PackAcknowledgement[] {
  return place(stack).map(({ entry, target }) => ({
    pack: entry.pack,
    rule: entry.rule,
    path: target.node.path,
    reason: entry.reason,
  }));
}

/**
 * Records the acknowledgements on the constructs with `Validations.of(c).acknowledge(...)`, so the packs
 * leave them out when they run as validation plugins of a synth (cdk-nag also when it checks a tree directly).
 */
export function recordPackAcknowledgements(stacks: readonly PackAcknowledgeableStack[]): void {
  for (const stack of stacks) {
    for (const { entry, target } of place(stack)) {
      Validations.of(target).acknowledge({ id: validationId(entry), reason: entry.reason });
    }
  }
}
