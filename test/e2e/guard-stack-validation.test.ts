/**
 * CDK's built-in CloudFormation validator over the deploy-time Guard Hook stack (MeshPlatform-Guard), which the
 * CI synth with validation on does not build (it needs -c platform-guard=true). It costs seconds, so it runs here
 * with the other slow checks, not in the unit tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationValidatePlugin, Validations } from 'aws-cdk-lib';
import { GUARD_HOOK_STACK_NAME, GuardHookStack } from '../../constructs/guard-hook-stack';
import { exampleMesh, testApp } from '../policies/support/apps';

test("CDK's CloudFormation validator finds nothing in the Guard Hook stack", () => {
  const app = testApp();
  Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
  new GuardHookStack(app, GUARD_HOOK_STACK_NAME, { mesh: exampleMesh() });
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
  };
  const violations = report.pluginReports.flatMap((r) => r.violations.map((v) => `${v.ruleName}: ${v.description}`));
  expect(violations).toEqual([]);
}, 60_000);
