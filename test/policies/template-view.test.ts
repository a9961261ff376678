/**
 * How rules read templates: deploy-time values render as placeholders or stay unknown (and rules fail
 * closed), references to the template's own resources are followed, sizes count the deployed text.
 */
import { iamPolicyChars } from '../../lib/policies/template/deployed-size';
import { type JsonObject, readTemplateResources } from '../../lib/policies/template/resolved-resource';
import { TemplateView } from '../../lib/policies/template/template-view';

/** `$(X)` → `${X}`: Fn::Sub text without template-literal look-alikes in the source. */
const sub = (text: string) => text.replace(/\$\(([^)]*)\)/g, (_, name: string) => `\${${name}}`);

const template: JsonObject = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Alias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: 'alias/acme/sales', TargetKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
    },
    Named: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: { 'Fn::Join': ['', ['acme-sales-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      },
    },
    Unnamed: { Type: 'AWS::S3::Bucket', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'acme-sales-producer' }, DependsOn: ['Named'] },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [] } },
    },
  },
  Parameters: { Param: { Type: 'String' } },
};
const view = new TemplateView(readTemplateResources(template), {
  stackPath: 'Mesh-Sales',
  env: { account: '{account}', region: '{region}' },
});

describe('TemplateView', () => {
  test('pseudo parameters become placeholders; names and ARNs of own resources are followed', () => {
    expect(view.render({ Ref: 'Named' })).toBe('acme-sales-data-{account}-{region}');
    expect(view.render({ 'Fn::GetAtt': ['Named', 'Arn'] })).toBe(
      'arn:{partition}:s3:::acme-sales-data-{account}-{region}',
    );
    expect(view.render({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe(
      'arn:{partition}:iam::{account}:role/acme-sales-producer',
    );
    expect(view.render({ 'Fn::Sub': sub('s3://$(Named)/x-$(AWS::Region)') })).toBe(
      's3://acme-sales-data-{account}-{region}/x-{region}',
    );
    expect(view.render({ 'Fn::Sub': [sub('$(A)-$(Role.Arn)'), { A: 'a' }] })).toBe(
      'a-arn:{partition}:iam::{account}:role/acme-sales-producer',
    );
  });

  test('what cannot be known stays unknown (rules fail closed); describe shows it for messages', () => {
    expect(view.render({ Ref: 'Param' })).toBeUndefined();
    expect(view.render({ Ref: 'Unnamed' })).toBeUndefined();
    expect(view.render({ 'Fn::Join': ['-', ['a', { Ref: 'Param' }]] })).toBeUndefined();
    expect(view.render({ 'Fn::ImportValue': 'Other-Export' })).toBeUndefined();
    expect(view.describe({ 'Fn::Join': ['-', ['a', { Ref: 'Param' }]] })).toBe('a-<Param>');
    expect(view.describe({ 'Fn::GetAtt': ['Unnamed', 'Arn'] })).toBe('<Unnamed.Arn>');
  });

  test('the domain key is the one its alias points at; dependencies follow DependsOn and references', () => {
    expect([...view.keysAliasedAs('alias/acme/sales')]).toEqual(['Key']);
    expect(view.dependsOn('Policy', 'Named')).toBe(true);
    expect(view.dependsOn('Named', 'Policy')).toBe(false);
  });

  test('IAM sizes count deploy-time values at their longest', () => {
    const document = {
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }]] } },
      ],
    };
    const literal = { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '123456789012' }] };
    expect(iamPolicyChars(document, view)).toBe(JSON.stringify(literal).length);
    expect(iamPolicyChars({ Resource: { Ref: 'Param' } }, view)).toBe(
      JSON.stringify({ Resource: 'u'.repeat(128) }).length,
    );
  });
});
