/**
 * cdk-nag's AwsSolutions pack over the example mesh: the platform's own constructs produce no
 * unacknowledged finding, and every acknowledgement is needed and carries a real reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DomainStack } from '../../constructs/domain-stack';
import { acknowledgePlatformFindings, enableCdkNag, platformAcknowledgements } from '../../lib/policies/cdk-nag';
import { exampleMesh, governedApp } from './support/apps';

function findings(acknowledged: boolean): string[] {
  const { app, stacks } = governedApp(exampleMesh());
  if (acknowledged) acknowledgePlatformFindings([...stacks.values()]);
  app.synth();
  return new AwsSolutionsChecks(app)
    .validateScope(app)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

describe('cdk-nag AwsSolutions on the platform', () => {
  test('no unacknowledged finding on any domain stack', () => {
    expect(findings(true)).toEqual([]);
  });

  test('every acknowledgement answers a real finding, with a reason', () => {
    const raised = new Set(findings(false).map((f) => f.split(' ')[0]));
    const { stacks } = governedApp(exampleMesh());
    for (const stack of stacks.values()) {
      for (const ack of platformAcknowledgements(stack as DomainStack)) {
        expect(ack.reason.length).toBeGreaterThanOrEqual(40);
        if (ack.id.includes('acme-*-data') || ack.id.includes(':key/*')) {
          // Granted only to domains that have inputs from other domains.
          if (
            !stack.mesh.edges.some(
              (e) => e.consumer.domain === stack.domain.name && e.producer.domain !== stack.domain.name,
            )
          )
            continue;
        }
        expect(raised).toContain(ack.id);
      }
    }
  });

  test('as a validation plugin (cdk synth -c cdk-nag=true) it runs after synthesis and passes the platform', () => {
    const report = (addRawBucket: boolean) => {
      const { app, stacks } = governedApp(exampleMesh());
      enableCdkNag(app, [...stacks.values()]);
      if (addRawBucket) new s3.Bucket(stacks.get('sales') as DomainStack, 'Raw');
      const assembly = app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; conclusion: string }[];
      };
      return json.pluginReports.find((r) => r.pluginName === 'AwsSolutions')?.conclusion;
    };
    // Plugins without violations are left out of the report.
    expect(report(false)).toBeUndefined();
    expect(report(true)).toBe('failure');
  });
});
