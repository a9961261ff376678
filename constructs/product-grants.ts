import { Annotations, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dataCatalogName, otherAccountProducers, pinnedAccount } from '../lib/access/cross-account';
import { fillPlaceholders, type PlaceholderValues } from '../lib/access/env';
import { inputPolicyName, inputReadsOf } from '../lib/access/input-grants';
import type { PolicyDocumentJson, PolicyStatementJson } from '../lib/access/policy-json';
import { type DomainAccessPlan, planDomainAccess } from '../lib/access/quotas';
import type { Mesh, MeshDomain } from '../lib/mesh/model';
import { pascalCase } from '../lib/mesh/naming';
import { formatProblem } from '../lib/mesh/problems';

export interface ProductGrantsProps {
  /** The resolved mesh: inputs and contracts of every domain. */
  readonly mesh: Mesh;
  /** The domain whose roles read inputs and whose bucket and key are fenced. */
  readonly domain: MeshDomain;
  /** The domain's producer and consumer roles; both get the input grants. */
  readonly roles: readonly iam.IRole[];
  /** The domain's data bucket, whose policy gets the read and write fences. */
  readonly dataBucket: s3.IBucket;
  /** The domain's Athena results bucket, fenced to the domain's roles. */
  readonly resultsBucket: s3.IBucket;
  /** The domain's access-log bucket: read by the domain's roles, written by S3 log delivery only. */
  readonly logsBucket: s3.IBucket;
  /** The domain's key, whose policy gets the decrypt and encrypt fences. */
  readonly key: kms.IKey;
}

/**
 * Cross-domain access of one domain, built from a plan sized against AWS quotas (lib/access/quotas):
 * customer managed policies granting the domain's roles its inputs, and the deny statements that fence the
 * domain's own buckets (data, Athena results, access logs) and key to what its contracts allow. A plan over a quota is an error annotation, so
 * `cdk synth` fails naming the number, the limit and the domain file.
 */
export class ProductGrants extends Construct {
  /** What was built, with sizes. */
  readonly plan: DomainAccessPlan;
  /** Managed policies holding the input grants, `InputGrants1…n`. */
  readonly inputPolicies: readonly iam.ManagedPolicy[];
  /** Athena data catalogs of the producers in other accounts the domain reads, by producer domain. */
  readonly dataCatalogs: ReadonlyMap<string, athena.CfnDataCatalog>;

  constructor(scope: Construct, id: string, props: ProductGrantsProps) {
    super(scope, id);
    const { mesh, domain } = props;
    const stack = Stack.of(this);
    // Other domains' names carry placeholders; this stack fills them with its own (literal or pseudo) values.
    const values: PlaceholderValues = {
      partition: stack.partition,
      account: stack.account,
      region: stack.region,
      urlSuffix: stack.urlSuffix,
    };
    this.plan = planDomainAccess(mesh, domain);
    for (const problem of this.plan.problems) Annotations.of(this).addError(formatProblem(problem));

    // IDs, names and descriptions carry only the policy's position: CloudFormation replaces a managed policy
    // whose name or description changes, and a named one cannot be replaced, so neither may depend on the count.
    this.inputPolicies = this.plan.inputPolicies.map(
      (document, i) =>
        new iam.ManagedPolicy(this, `InputGrants${i + 1}`, {
          managedPolicyName: inputPolicyName(mesh, domain.name, i + 1),
          description: `Reads of the ${domain.name} domain's inputs, part ${i + 1}`,
          document: exactDocument(fillPlaceholders(document, values)),
          roles: [...props.roles],
        }),
    );
    const fences: [s3.IBucket, readonly PolicyStatementJson[]][] = [
      [props.dataBucket, this.plan.bucketFence],
      [props.resultsBucket, this.plan.resultsBucketFence],
      [props.logsBucket, this.plan.logsBucketFence],
    ];
    for (const [bucket, statements] of fences) {
      for (const statement of statements) {
        bucket.addToResourcePolicy(iam.PolicyStatement.fromJson(fillPlaceholders(statement, values)));
      }
    }
    for (const statement of this.plan.keyFence) {
      props.key.addToResourcePolicy(iam.PolicyStatement.fromJson(fillPlaceholders(statement, values)));
    }

    // A producer in another account is queried from this domain's workgroup through a catalog of its own.
    const producers = [...new Map(inputReadsOf(mesh, domain).map((r) => [r.producer.name, r.producer])).values()];
    this.dataCatalogs = new Map(
      otherAccountProducers(domain, producers).map((producer) => [
        producer.name,
        new athena.CfnDataCatalog(this, `Catalog${pascalCase(producer.name)}`, {
          name: dataCatalogName(mesh, producer.name),
          type: 'GLUE',
          description: `Glue Data Catalog of the ${producer.name} domain (account ${pinnedAccount(producer)})`,
          parameters: { 'catalog-id': pinnedAccount(producer) as string },
        }),
      ]),
    );
  }
}

/** A document rendered as planned: no statement merging or reordering, so the planned sizes hold. */
function exactDocument(document: PolicyDocumentJson): iam.PolicyDocument {
  return new iam.PolicyDocument({
    minimize: false,
    statements: document.Statement.map((statement) => iam.PolicyStatement.fromJson(statement)),
  });
}
