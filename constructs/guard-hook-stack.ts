import { Annotations, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnGuardHook } from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import type { Mesh } from '../lib/mesh/model';
import { pascalCase } from '../lib/mesh/naming';
import {
  DOMAIN_STACK_PATTERN,
  GUARD_HOOK_STACK_NAME,
  GUARD_RULES_DIR,
  isEnforcedAtDeploy,
} from '../lib/policies/guard/catalogue';

export { DOMAIN_STACK_PATTERN, GUARD_HOOK_STACK_NAME };

/** Context key that adds the stack to the app: `cdk deploy -c platform-guard=true MeshPlatform-Guard`. */
export const PLATFORM_GUARD_CONTEXT = 'platform-guard';

export interface GuardHookStackProps extends StackProps {
  /** The mesh whose domain stacks the hook guards: its prefix names the hook. */
  readonly mesh: Mesh;
  /**
   * Stack names (wildcards `*` and `?` allowed, at most 50) the hook judges.
   * @default [DOMAIN_STACK_PATTERN], every domain stack and its nested stacks
   */
  readonly stackNames?: readonly string[];
  /**
   * What a failing rule does: FAIL refuses the operation, WARN only reports it (for a trial period).
   * @default 'FAIL'
   */
  readonly failureMode?: 'FAIL' | 'WARN';
  /**
   * Days the Guard reports are kept in the log bucket.
   * @default 90
   */
  readonly reportRetentionDays?: number;
}

/**
 * Server-side enforcement: an AWS CloudFormation Guard Hook that evaluates every create and update of the
 * domain stacks against the platform's deploy-time rules (lib/policies/guard), so a template changed after
 * synth is still refused by CloudFormation. The rules travel as a file asset (the CLI uploads them at deploy;
 * needs `cdk bootstrap`); the hook reads them with its own role and writes its reports to a log bucket.
 */
export class GuardHookStack extends Stack {
  /** The `.guard` files, zipped, in the bootstrap assets bucket. */
  readonly rules: Asset;
  /** Guard's reports of each evaluation. */
  readonly logBucket: s3.IBucket;
  /** The role the hook assumes: read the rules object, write reports. */
  readonly executionRole: iam.IRole;
  readonly hook: CfnGuardHook;

  constructor(scope: Construct, id: string, props: GuardHookStackProps) {
    super(scope, id, { stackName: GUARD_HOOK_STACK_NAME, ...props });
    const stackNames = props.stackNames ?? [DOMAIN_STACK_PATTERN];
    const failureMode = props.failureMode ?? 'FAIL';
    const retentionDays = props.reportRetentionDays ?? 90;
    if (stackNames.length === 0 || stackNames.length > 50) {
      throw new Error(`GuardHookStack stackNames: give 1 to 50 stack names or patterns, got ${stackNames.length}`);
    }
    this.templateOptions.description = `Data mesh ${props.mesh.config.prefix}: CloudFormation Guard Hook enforcing the platform's deploy-time rules on ${stackNames.join(', ')}`;

    this.rules = new Asset(this, 'Rules', { path: GUARD_RULES_DIR });

    this.logBucket = new s3.Bucket(this, 'Reports', {
      // Guard writes with the hook's role; SSE-S3 needs no key grant and keeps the reports encrypted at rest.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireReports',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new iam.Role(this, 'ExecutionRole', {
      description: 'Assumed by the mesh Guard Hook: reads its rules, writes its reports',
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com', {
        // Only hooks of this account and region may use the role (confused-deputy protection).
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudformation:${this.region}:${this.account}:type/hook/*`,
          },
        },
      }),
    });
    // Least privilege: the one rules object (not the whole assets bucket) and writes to the report bucket.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadGuardRules',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`arn:${this.partition}:s3:::${this.rules.s3BucketName}/${this.rules.s3ObjectKey}`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteGuardReports',
        actions: ['s3:PutObject'],
        resources: [this.logBucket.arnForObjects('*')],
      }),
    );
    this.executionRole = role;

    this.hook = new CfnGuardHook(this, 'Hook', {
      // Unique per account and region: one hook per mesh prefix.
      alias: `Mesh::${pascalCase(props.mesh.config.prefix)}::Guard`,
      executionRole: role.roleArn,
      ruleLocation: { uri: this.rules.s3ObjectUrl },
      logBucket: this.logBucket.bucketName,
      failureMode,
      hookStatus: 'ENABLED',
      // STACK sees the whole template; RESOURCE judges each resource with its values resolved.
      targetOperations: ['STACK', 'RESOURCE'],
      stackFilters: {
        filteringCriteria: 'ALL',
        stackNames: { include: [...stackNames], exclude: [GUARD_HOOK_STACK_NAME] },
      },
    });
    // Creates and updates only: a delete hands Guard no template or properties to judge. The L1 type makes
    // TargetFilters.Targets required, but CloudFormation accepts Actions/InvocationPoints instead.
    this.hook.addPropertyOverride('TargetFilters', {
      Actions: ['CREATE', 'UPDATE'],
      InvocationPoints: ['PRE_PROVISION'],
    });
    // The role's policy must be in place before the hook first reads its rules.
    this.hook.node.addDependency(role);

    for (const conflict of deployConflicts(props.mesh))
      Annotations.of(this).addWarningV2('mesh:guard-exception', conflict);
  }
}

/**
 * Adds the Guard Hook stack when `-c platform-guard=true` is set; returns it, or undefined when the context is
 * absent. Deploy it once per account and region: `npx cdk deploy -c platform-guard=true MeshPlatform-Guard`.
 */
export function addPlatformGuardStack(
  scope: Construct,
  mesh: Mesh,
  props: Omit<GuardHookStackProps, 'mesh'> = {},
): GuardHookStack | undefined {
  if (String(scope.node.tryGetContext(PLATFORM_GUARD_CONTEXT)) !== 'true') return undefined;
  return new GuardHookStack(scope, GUARD_HOOK_STACK_NAME, { ...props, mesh });
}

/**
 * Approved exceptions to rules the hook enforces: synth accepts them, CloudFormation would refuse the deploy.
 * One message per exception, naming the file and the way out.
 */
export function deployConflicts(mesh: Mesh): string[] {
  const conflicts: string[] = [];
  for (const domain of mesh.domains) {
    const subjects = [
      { file: domain.file, exceptions: domain.definition.exceptions },
      ...domain.products.map((p) => ({ file: p.file, exceptions: p.definition.exceptions })),
    ];
    for (const { file, exceptions } of subjects) {
      exceptions.forEach((exception, index) => {
        if (!isEnforcedAtDeploy(exception.rule)) return;
        conflicts.push(
          `${file}: exceptions[${index}] excuses ${exception.rule}, which the Guard Hook enforces at deploy time: CloudFormation will refuse the stack. Fix: remove the exception, or exclude the stack from the hook (GuardHookStack stackNames)`,
        );
      });
    }
  }
  return conflicts;
}
