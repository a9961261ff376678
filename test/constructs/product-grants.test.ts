import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { DataDomain } from '../../constructs/data-domain';
import type { DomainStack } from '../../constructs/domain-stack';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { findDomain } from '../../lib/mesh/model';
import { bucketPolicyBlowingMesh } from '../access/support/quota-meshes';
import { removeTempProject, writeTempProject } from '../access/support/temp-project';

const PROJECT_ROOT = `${__dirname}/../..`;

/** Error annotations added while building, before synthesis runs any aspect. */
function errorsOf(scope: IConstruct): { path: string; message: string }[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === 'aws:cdk:error')
        .map((m) => ({ path: c.node.path, message: String(m.data) })),
    );
}

function synthExample(): Map<string, DomainStack> {
  const app = new App({ context: readCdkContext(PROJECT_ROOT) });
  // Governance has its own tests; these look at what the grants build.
  const stacks = addDomainStacks(app, loadMesh({ root: PROJECT_ROOT }), { governance: false });
  return new Map(stacks.map((s) => [s.domain.name, s]));
}

describe('ProductGrants in a domain stack', () => {
  const stacks = synthExample();
  const marketing = Template.fromStack(stacks.get('marketing')!);

  test('input grants are managed policies attached to both roles of the consumer domain', () => {
    marketing.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    marketing.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'acme-marketing-inputs-1',
      Roles: [
        { Ref: Match.stringLikeRegexp('^DomainProducerRole') },
        { Ref: Match.stringLikeRegexp('^DomainConsumerRole') },
      ],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadInputObjects', Action: 's3:GetObject' }),
          Match.objectLike({ Sid: 'DecryptInputsViaS3', Action: 'kms:Decrypt' }),
        ]),
      },
    });
  });

  test('a domain without inputs from other domains gets no input policy', () => {
    Template.fromStack(stacks.get('sales')!).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('other domains’ resources are addressed by derived names: no import, no reference to another stack', () => {
    for (const stack of stacks.values()) {
      const json = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(json).not.toContain('Fn::ImportValue');
    }
    expect(JSON.stringify(marketing.toJSON())).toContain(':s3:::acme-sales-data-');
  });

  test('the data bucket policy carries the fences, after the TLS-only statements', () => {
    const policies = marketing.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: Match.stringLikeRegexp('^DomainData') } },
    });
    const statements = (Object.values(policies)[0].Properties.PolicyDocument.Statement as { Sid?: string }[]).map(
      (s) => s.Sid,
    );
    expect(statements).toEqual([
      undefined,
      undefined,
      'DenyWritesOutsideProducer',
      'DenyReadsOutsideMesh',
      'DenyShallowListings',
      'DenyReadsOutsideDomain',
    ]);
  });

  test('the key policy keeps the account’s administration and adds the decrypt and encrypt fences', () => {
    marketing.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: [
          Match.objectLike({ Effect: 'Allow', Action: 'kms:*' }),
          Match.objectLike({ Sid: 'GrantsOnlyForAwsResources', Effect: 'Deny', Action: 'kms:CreateGrant' }),
          Match.objectLike({ Sid: 'DenyDecryptOutsideReaders', Effect: 'Deny' }),
          Match.objectLike({ Sid: 'DenyEncryptOutsideDomain', Effect: 'Deny' }),
          Match.objectLike({
            Sid: 'DenyDecryptOutsideDataBucket',
            Effect: 'Deny',
            Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
            Condition: {
              // The domain's own principals include its execution roles, a name pattern.
              ArnNotLike: { 'aws:PrincipalArn': Match.anyValue() },
              StringNotLike: { 'kms:EncryptionContext:aws:s3:arn': Match.anyValue() },
            },
          }),
        ],
      },
    });
  });

  /** Statements of the bucket policy whose bucket's logical ID starts with `bucketId`, resolved to JSON text per Sid. */
  function bucketPolicy(bucketId: string): {
    sids: (string | undefined)[];
    bySid: (sid: string) => Record<string, unknown>;
  } {
    const policies = marketing.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: Match.stringLikeRegexp(`^${bucketId}`) } },
    });
    expect(Object.keys(policies)).toHaveLength(1);
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement as Record<string, unknown>[];
    return {
      sids: statements.map((s) => s.Sid as string | undefined),
      bySid: (sid) => statements.find((s) => s.Sid === sid) ?? {},
    };
  }
  const ownRoles = /:role\/acme-marketing-producer.*:role\/acme-marketing-consumer/s;

  test('the Athena results bucket policy denies reads and writes to every role but the domain’s own two and its execution roles', () => {
    const results = bucketPolicy('DomainAthenaResults');
    expect(results.sids).toEqual([undefined, undefined, 'DenyWritesOutsideDomain', 'DenyReadsOutsideDomain']);
    for (const sid of ['DenyWritesOutsideDomain', 'DenyReadsOutsideDomain']) {
      const statement = results.bySid(sid);
      expect(statement).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      const condition = JSON.stringify(statement.Condition);
      expect(condition).toMatch(/^\{"ArnNotLike":\{"aws:PrincipalArn":\[/);
      expect(condition).toMatch(ownRoles);
      expect(condition).toContain(':role/acme-marketing.run.*"');
      expect(condition.match(/:role\//g)).toHaveLength(3);
    }
    expect(results.bySid('DenyWritesOutsideDomain').Action).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject*',
      's3:PutObject*',
      's3:RestoreObject',
    ]);
    expect(results.bySid('DenyReadsOutsideDomain').Action).toEqual(['s3:GetObject*', 's3:ListBucket*']);
  });

  test('the access-log bucket policy lets S3 log delivery write for the domain’s own buckets and account only, and the domain’s roles read', () => {
    const logs = bucketPolicy('DomainAccessLogs');
    expect(logs.sids).toEqual([
      undefined, // TLS only
      undefined, // CDK's delivery grants for the data and results buckets
      undefined,
      'DenyWritesOutsideServices',
      'DenyServiceWritesForOtherSources',
      'DenyServiceWritesForOtherAccounts',
      'DenyReadsOutsideDomain',
    ]);
    expect(logs.bySid('DenyWritesOutsideServices')).toMatchObject({
      Principal: { AWS: '*' },
      Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
    const sources = logs.bySid('DenyServiceWritesForOtherSources');
    expect(sources.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
    expect(JSON.stringify(sources.Condition)).toMatch(
      /"ArnNotEquals":\{"aws:SourceArn":\[.*acme-marketing-data-.*acme-marketing-athena-/,
    );
    expect(logs.bySid('DenyServiceWritesForOtherAccounts')).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Condition: { StringNotEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(logs.bySid('DenyReadsOutsideDomain').Condition)).toMatch(ownRoles);
  });

  test('fencing changes policies only: buckets, key and bucket policies keep their logical IDs', () => {
    const ids = (type: string) => Object.keys(marketing.findResources(type)).sort();
    expect(ids('AWS::S3::Bucket')).toEqual([
      'DomainAccessLogs3299FCCC',
      'DomainAthenaResults740E0260',
      'DomainDataCFE7249C',
    ]);
    // The runtime key (alerts, execution logs) is the domain runtime's own, not part of the fencing.
    expect(ids('AWS::KMS::Key')).toEqual(['DomainKeyEFD04CB2', 'RuntimeKey14AAF18F']);
    expect(ids('AWS::S3::BucketPolicy')).toEqual([
      'DomainAccessLogsPolicyB3FB6F76',
      'DomainAthenaResultsPolicyD8A4ADAF',
      'DomainDataPolicy4063B67C',
    ]);
  });

  test('the domain’s roles can locate their own data bucket', () => {
    marketing.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'LocateDomainData', Action: 's3:GetBucketLocation' })]),
      },
    });
  });
});

describe('quota violations fail the synth of the stack concerned', () => {
  test('a bucket policy over 20 KB is an error naming the domain file, the size and the limit', () => {
    const root = writeTempProject(bucketPolicyBlowingMesh());
    try {
      const app = new App({ context: readCdkContext(PROJECT_ROOT) });
      const stacks = addDomainStacks(app, loadMesh({ root }), { onlyDomain: 'hub', governance: false });
      expect(errorsOf(stacks[0])).toContainEqual({
        path: 'Mesh-Hub/Domain/Grants',
        message: expect.stringMatching(
          /^domains\/hub\/domain.ts: the data bucket policy of domain "hub" would reach \d+ bytes; S3 allows 20480/,
        ),
      });
      // cdk synth refuses the stack.
      expect(() => app.synth()).toThrow(/would reach \d+ bytes; S3 allows 20480/);
    } finally {
      removeTempProject(root);
    }
  });
});

describe('roles passed in', () => {
  test('must carry the derived names other domains’ fences name', () => {
    const mesh = loadMesh({ root: PROJECT_ROOT });
    const stack = new Stack(new App({ context: readCdkContext(PROJECT_ROOT) }), 'Test');
    new DataDomain(stack, 'Domain', {
      mesh,
      domain: findDomain(mesh, 'sales')!,
      consumerRole: iam.Role.fromRoleName(stack, 'Existing', 'analysts'),
    });
    expect(errorsOf(stack)).toContainEqual({
      path: 'Test/Domain',
      message: 'role "analysts" must be named "acme-sales-consumer": other domains\' bucket and key policies name it',
    });
  });
});
