/**
 * The findings of AWS Control Tower's proactive controls and cdk-nag's NIST 800-53 R5 and HIPAA packs that
 * the platform does not fix, each with the reason it does not apply or what compensates. One place, per rule
 * and resource kind; a test fails on a finding without an entry here and on an entry that matches no finding.
 */
import { type Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { fillPlaceholders } from '../../access/env';
import { asList, type PolicyStatementJson } from '../../access/policy-json';
import { productRuntimeInputStatements } from '../../access/runtime-grants';
import type { Mesh, MeshDomain } from '../../mesh/model';
import { domainNames, pascalCase, productVersionNames, renderName } from '../../mesh/naming';
import { domainRuntimeNames, productRuntimeNames } from '../../runtime/names';
import { productRun } from '../../runtime/plan';
import type { ExternalPack, PackAcknowledgement } from './reconcile';

/**
 * The domain resources an acknowledgement can name; the runtime kinds cover every such resource of the
 * stack (one scheduler role per domain, an execution role and a state machine per run product).
 */
export type DomainResourceKind =
  | 'data bucket'
  | 'results bucket'
  | 'access-log bucket'
  | 'producer role policy'
  | 'consumer role policy'
  | 'scheduler role'
  | 'execution roles'
  | 'state machines';

/** One rule of one pack, acknowledged on one kind of domain resource in every domain stack. */
export interface PackAcknowledgementEntry {
  readonly pack: ExternalPack;
  readonly rule: string;
  /** Control Tower's id of the control (`CT.S3.PR.9`); cdk-nag rules are their own id. */
  readonly control?: string;
  readonly resource: DomainResourceKind;
  readonly reason: string;
}

/** A domain stack as these acknowledgements see it (DomainStack is one); runtime constructs are found in its tree. */
export interface PackAcknowledgeableStack extends IConstruct {
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

const RUNTIME_INLINE_POLICY = (role: string) =>
  `The ${role}'s grants are its own (lib/runtime: derived from the definitions, checked by MESH-RUN-007/008 and the offline access verification) and are created and deleted with it in the same stack; a managed policy's reuse and versions add nothing, and a role per product keeps each policy to that product.`;

/**
 * Step Functions sends execution data to X-Ray only when tracing is on. A run is a few Athena queries in
 * sequence: the execution history (every state, logged at level ALL) already times each one, and tracing
 * would add xray:PutTraceSegments on Resource "*" to every execution role.
 */
const STATE_MACHINE_TRACING =
  'A run is a sequence of Athena queries: its execution history, logged at level ALL to the domain\'s log group, records every state with its timing and error, and Athena records each query\'s statistics. X-Ray tracing would add no span the history lacks, and would need xray:PutTraceSegments on Resource "*" in every execution role.';

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
  {
    pack: 'control-tower',
    rule: 'step_functions_state_machine_logging_enabled_check',
    control: 'CT.STEPFUNCTIONS.PR.1',
    resource: 'state machines',
    reason:
      "Logging is on, at level ALL with execution data, to the domain's log group (MESH-RUN-001 checks both). The control accepts a log group ARN only as a literal or a GetAtt; the platform builds it from the log group's derived name, so product stacks nested in shards take no value across a stack boundary.",
  },
  {
    pack: 'control-tower',
    rule: 'step_functions_state_machine_tracing_enabled_check',
    control: 'CT.STEPFUNCTIONS.PR.2',
    resource: 'state machines',
    reason: STATE_MACHINE_TRACING,
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
    ...(
      [
        ['scheduler role', "domain's scheduler role"],
        ['execution roles', "product's execution role"],
      ] as const
    ).map(([resource, role]) => ({
      pack,
      rule: `${NAG_PREFIX[pack]}IAMNoInlinePolicy`,
      resource,
      reason: RUNTIME_INLINE_POLICY(role),
    })),
  ]),
];

/** Constructs of the runtime plane in a domain stack (its nested stacks included), by their construct ids. */
export function runtimeConstructs(stack: IConstruct, id: 'ExecutionRole' | 'StateMachine'): IConstruct[] {
  return stack.node.findAll().filter((c) => c.node.id === id && c.node.scope?.node.id === 'Runtime');
}

/** The constructs an acknowledgement sits on; a domain role's grants live in its DefaultPolicy. */
function targetsOf(stack: PackAcknowledgeableStack, kind: DomainResourceKind): IConstruct[] {
  const domain = stack.dataDomain;
  const one = (c: IConstruct | undefined) => (c ? [c] : []);
  switch (kind) {
    case 'data bucket':
      return [domain.dataBucket];
    case 'results bucket':
      return [domain.resultsBucket];
    case 'access-log bucket':
      return [domain.logsBucket];
    case 'producer role policy':
      return one(domain.producerRole.node.tryFindChild('DefaultPolicy'));
    case 'consumer role policy':
      return one(domain.consumerRole.node.tryFindChild('DefaultPolicy'));
    case 'scheduler role':
      return one(stack.node.tryFindChild('Runtime')?.node.tryFindChild('SchedulerRole'));
    case 'execution roles':
      return runtimeConstructs(stack, 'ExecutionRole');
    case 'state machines':
      return runtimeConstructs(stack, 'StateMachine');
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
  return PACK_ACKNOWLEDGEMENTS.flatMap((entry) =>
    targetsOf(stack, entry.resource).map((target) => ({ entry, target })),
  );
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

/** A domain stack as the runtime's AwsSolutions acknowledgements see it (DomainStack is one). */
export interface RuntimeAcknowledgeableStack extends IConstruct {
  readonly mesh: Mesh;
  readonly domain: MeshDomain;
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly urlSuffix: string;
}

/** An AwsSolutions acknowledgement of one finding on one construct. */
export interface TargetedNagAcknowledgement {
  readonly target: IConstruct;
  readonly id: string;
  readonly reason: string;
}

/** How cdk-nag writes a value: pseudo parameters as `<AWS::AccountId>`, literals as they are. */
function nagText(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}

/**
 * The AwsSolutions findings of the runtime plane, by design, each with its reason: IAM5 on the scheduler
 * role's state machine prefix and on the prefixes, keys and log delivery of each execution role (the
 * offline access verification proves what they reach), SF2 on every state machine (no X-Ray tracing).
 */
export function runtimeNagAcknowledgements(stack: RuntimeAcknowledgeableStack): TargetedNagAcknowledgement[] {
  const { mesh, domain } = stack;
  const partition = nagText(stack.partition, 'AWS::Partition');
  const account = nagText(stack.account, 'AWS::AccountId');
  const region = nagText(stack.region, 'AWS::Region');
  const env = { account, region };
  const names = domainNames(mesh.config, domain.name);
  const runtime = domainRuntimeNames(mesh.config, domain.name);
  const objects = (bucket: string, prefix: string) => `arn:${partition}:s3:::${bucket}/${prefix}*`;
  const dataBucket = renderName(names.dataBucket, env);
  const iam5 = (target: IConstruct, resource: string, reason: string): TargetedNagAcknowledgement => ({
    target,
    id: `AwsSolutions-IAM5[Resource::${resource}]`,
    reason,
  });
  const acknowledgements: TargetedNagAcknowledgement[] = [];

  const scheduler = stack.node.tryFindChild('Runtime')?.node.tryFindChild('SchedulerRole');
  if (scheduler) {
    acknowledgements.push(
      iam5(
        scheduler,
        `arn:${partition}:states:${region}:${account}:stateMachine:${runtime.stateMachinePrefix}*`,
        "Only states:StartExecution, on the domain's state machines: their names share the domain's prefix, so the policy stays one statement however many products run (MESH-RUN-007).",
      ),
    );
  }
  for (const machine of runtimeConstructs(stack, 'StateMachine')) {
    acknowledgements.push({ target: machine, id: 'AwsSolutions-SF2', reason: STATE_MACHINE_TRACING });
  }

  const productsByConstructId = new Map(domain.products.map((p) => [pascalCase(p.name), p]));
  for (const role of runtimeConstructs(stack, 'ExecutionRole')) {
    const product = productsByConstructId.get(role.node.scope?.node.scope?.node.id ?? '');
    const run = product && productRun(product);
    if (!product || !run) continue;
    const { major } = run.version;
    const own = productVersionNames(product.name, major).prefix;
    const add = (resource: string, reason: string) => acknowledgements.push(iam5(role, resource, reason));
    add(
      '*',
      'Only the log-delivery actions Step Functions needs to log to CloudWatch Logs (they have no resource-level permissions) and cloudwatch:PutMetricData limited to the mesh namespace by a cloudwatch:namespace condition (MESH-RUN-008).',
    );
    add(
      `arn:${partition}:kms:${region}:${account}:key/*`,
      "Only keys carrying the domain's aliases (kms:ResourceAliases): key IDs are random, aliases are derived from the definitions.",
    );
    if (run.kind === 'build') {
      for (const resource of inputKeyAndCatalogPatterns(productRuntimeInputStatements(mesh, product), stack)) {
        add(resource, INPUT_PATTERN_REASONS[resource.includes(':kms:') ? 'key' : 'catalog']);
      }
    }
    add(
      objects(renderName(names.resultsBucket, env), ''),
      "Athena writes each query's results under a generated key in the domain's own results bucket.",
    );
    add(
      objects(dataBucket, runtime.qualityResultsPrefix),
      "Runs append their rule results to the domain's quality_results Iceberg table, whose data and metadata files get generated keys under its prefix.",
    );
    add(
      objects(dataBucket, own),
      `The product's own version prefix: ${run.kind === 'build' ? 'a build publishes into its Iceberg table, whose files get generated keys' : 'a check reads the table it audits'}.`,
    );
    if (run.kind !== 'build') continue;
    const staging = productRuntimeNames(mesh.config, domain.name, product.name, major).stagingPrefix;
    add(
      objects(dataBucket, staging),
      "The build's staging table, written and audited before publishing; no consumer grant covers it.",
    );
    add(
      `arn:${partition}:s3:::${mesh.config.prefix}-*-data-*-*`,
      "Only s3:GetBucketLocation, on the mesh's data buckets: Athena locates an input's bucket before reading it; the action reveals no data.",
    );
    for (const edge of mesh.edges.filter((e) => e.consumer.id === product.id)) {
      const pinned = mesh.domains.find((d) => d.name === edge.producer.domain)?.definition.env;
      const bucket = renderName(domainNames(mesh.config, edge.producer.domain).dataBucket, pinned ?? env);
      const resource = objects(bucket, productVersionNames(edge.producer.name, edge.major).prefix);
      add(
        resource,
        `Read of the declared input ${edge.producer.id}@${edge.major}: every object under its version prefix, whose keys the producer writes.`,
      );
    }
  }
  return acknowledgements;
}

/** Why the key and catalog patterns of input grants are as wide as they are. */
export const INPUT_PATTERN_REASONS = {
  key: "Only kms:Decrypt, only through S3 (kms:ViaService) and only for keys aliased as the input domains' keys (kms:ResourceAliases), in the producers' accounts (aws:ResourceAccount where they are several): key IDs cannot be derived from the definitions, aliases can.",
  catalog:
    'The Glue catalogs of input producers in several accounts, as one ARN per region: a catalog grant alone reads nothing, every read also needs the database and table ARNs, which are named exactly.',
} as const;

/** Key and catalog patterns (`key/*`, `:*:catalog`) of read statements, written as cdk-nag shows them in `stack`. */
export function inputKeyAndCatalogPatterns(
  statements: readonly PolicyStatementJson[],
  stack: Pick<Stack, 'partition' | 'account' | 'region' | 'urlSuffix'>,
): string[] {
  const rendered = fillPlaceholders(statements, {
    partition: nagText(stack.partition, 'AWS::Partition'),
    account: nagText(stack.account, 'AWS::AccountId'),
    region: nagText(stack.region, 'AWS::Region'),
    urlSuffix: nagText(stack.urlSuffix, 'AWS::URLSuffix'),
  });
  const patterns = rendered
    .flatMap((st) => asList(st.Resource))
    .filter((r) => /:kms:.*:key\/\*$/.test(r) || /:glue:[^:]*:\*:catalog$/.test(r));
  return [...new Set(patterns)];
}
