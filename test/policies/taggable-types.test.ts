/**
 * Taggability by CloudFormation type (lib/policies/template/taggable-types.ts), read from aws-cdk-lib's
 * declarations, against the runtime answer of the L1 constructs themselves.
 */
import { App, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { TaggableTypes } from '../../lib/policies/template/taggable-types';
import { exampleMesh, governedApp } from './support/apps';

const runtimeTaggable = (r: IConstruct) => TagManager.isTaggable(r) || TagManager.isTaggableV2(r);

describe('TaggableTypes', () => {
  const types = new TaggableTypes();

  test('agrees with the L1 construct of every resource of the example mesh', () => {
    const { app } = governedApp(exampleMesh());
    app.synth();
    const resources = app.node.findAll().filter(CfnResource.isCfnResource);
    const byType = new Map(resources.map((r) => [r.cfnResourceType, runtimeTaggable(r)]));
    expect(byType.size).toBeGreaterThan(8);
    for (const [type, taggable] of byType)
      expect({ type, taggable: types.isTaggable(type) }).toEqual({ type, taggable });
  });

  test('agrees with L1 classes of other services, tagged either way (ITaggable, ITaggableV2) or not', () => {
    const stack = new Stack(new App(), 'S');
    const constructs: IConstruct[] = [
      new s3.CfnBucket(stack, 'Bucket'),
      new s3.CfnAccessPoint(stack, 'AccessPoint', { bucket: 'b' }),
      new kms.CfnAlias(stack, 'Alias', { aliasName: 'alias/x', targetKeyId: 'k' }),
      new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {} }),
      new iam.CfnPolicy(stack, 'Policy', { policyDocument: {}, policyName: 'p' }),
      new glue.CfnCrawler(stack, 'Crawler', { role: 'r', targets: {} }),
      new athena.CfnDataCatalog(stack, 'Catalog', { name: 'c', type: 'GLUE' }),
      new lambda.CfnPermission(stack, 'Permission', { action: 'a', functionName: 'f', principal: 'p' }),
      new sns.CfnTopic(stack, 'Topic'),
    ];
    for (const construct of constructs) {
      const type = (construct as CfnResource).cfnResourceType;
      expect({ type, taggable: types.isTaggable(type) }).toEqual({ type, taggable: runtimeTaggable(construct) });
    }
  });

  test('types without an L1 class are plain CfnResources, which have no tag manager', () => {
    expect(types.isTaggable('AWS::CDK::Metadata')).toBe(false);
    expect(types.isTaggable('Custom::Anything')).toBe(false);
    const plain = new CfnResource(new Stack(new App(), 'S'), 'R', { type: 'Custom::Anything' });
    expect(runtimeTaggable(plain)).toBe(false);
  });
});
