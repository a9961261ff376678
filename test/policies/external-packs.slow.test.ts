/**
 * AWS Control Tower's proactive controls (the real cfn-guard binary over the synthesized templates) and
 * cdk-nag's NIST 800-53 R5 and HIPAA Security packs over the example mesh: every finding is fixed in the
 * constructs or acknowledged with a reason, and every acknowledgement answers a finding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { DomainStack } from '../../constructs/domain-stack';
import {
  type ControlTowerRun,
  controlTowerRulesDirectory,
  type ExternalPack,
  formatPackFinding,
  formatUnusedAcknowledgement,
  PACK_ACKNOWLEDGEMENTS,
  type PackAcknowledgement,
  type PackFinding,
  packAcknowledgements,
  reconcile,
  recordPackAcknowledgements,
  runControlTower,
  runNagPack,
} from '../../lib/policies/external-packs';
import { exampleMesh, governedApp, testApp } from './support/apps';

const PACKS: readonly ExternalPack[] = ['control-tower', 'nist-800-53-r5', 'hipaa'];
const assemblies: string[] = [];

function synthesized(app: ReturnType<typeof testApp>): string {
  const directory = app.synth().directory;
  assemblies.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of assemblies) fs.rmSync(directory, { recursive: true, force: true });
});

describe('external packs on the example mesh', () => {
  let controlTower: ControlTowerRun;
  const findings = new Map<ExternalPack, readonly PackFinding[]>();
  let acknowledgements: PackAcknowledgement[];
  let stacks: DomainStack[];

  beforeAll(() => {
    const built = governedApp(exampleMesh());
    stacks = [...built.stacks.values()];
    controlTower = runControlTower(built.app, synthesized(built.app));
    findings.set('control-tower', controlTower.findings);
    findings.set('nist-800-53-r5', runNagPack('nist-800-53-r5', built.app));
    findings.set('hipaa', runNagPack('hipaa', built.app));
    acknowledgements = stacks.flatMap(packAcknowledgements);
  });

  test.each(PACKS)('%s: every finding is acknowledged', (pack) => {
    const result = reconcile(
      findings.get(pack) ?? [],
      acknowledgements.filter((a) => a.pack === pack),
    );
    expect(result.unacknowledged.map(formatPackFinding)).toEqual([]);
  });

  test.each(PACKS)('%s: every acknowledgement answers a finding in every domain stack', (pack) => {
    const result = reconcile(
      findings.get(pack) ?? [],
      acknowledgements.filter((a) => a.pack === pack),
    );
    expect(result.unused.map(formatUnusedAcknowledgement)).toEqual([]);
    expect(result.acknowledged.length).toBeGreaterThan(0);
  });

  test('Control Tower: the controls for the mesh’s resource types run on every domain template', () => {
    expect(controlTower.templates).toEqual(stacks.map((s) => s.templateFile).sort());
    expect(controlTower.controls.length).toBeGreaterThan(200);
    for (const control of ['CT.KMS.PR.1', 'CT.KMS.PR.3', 'CT.S3.PR.1', 'CT.S3.PR.9', 'CT.ATHENA.PR.1']) {
      expect(controlTower.applied).toContain(control);
    }
    // Controls for services the mesh does not use can only skip.
    expect(controlTower.applied).not.toContain('CT.EC2.PR.1');
  });

  test('fixed in the constructs: grants only for AWS services (CT.KMS.PR.3), data bucket events (CT.S3.PR.4)', () => {
    const controlTowerFindings = findings.get('control-tower') ?? [];
    expect(controlTowerFindings.filter((f) => f.rule === 'kms_create_grant_aws_service_check')).toEqual([]);
    expect(
      controlTowerFindings.filter(
        (f) => f.rule === 's3_event_notifications_enabled_check' && f.path.endsWith('/Domain/Data/Resource'),
      ),
    ).toEqual([]);
  });
});

describe('the packs find what they should, so the checks above can fail', () => {
  test('a default KMS key and a default bucket fail the controls the platform fixed, named by construct path', () => {
    const app = testApp();
    const stack = new Stack(app, 'Raw');
    new kms.Key(stack, 'Key');
    new s3.Bucket(stack, 'Bucket');
    const run = runControlTower(app, synthesized(app));
    const failed = run.findings.map((f) => `${f.rule} ${f.path}`);
    expect(failed).toEqual(
      expect.arrayContaining([
        'kms_create_grant_aws_service_check Raw/Key/Resource',
        's3_event_notifications_enabled_check Raw/Bucket/Resource',
        's3_bucket_versioning_enabled_check Raw/Bucket/Resource',
      ]),
    );
    expect(run.findings.find((f) => f.rule === 'kms_create_grant_aws_service_check')?.message).toMatch(
      /^\[CT\.KMS\.PR\.3\]/,
    );
  });

  test('an unacknowledged finding and a stale acknowledgement are both reported, with the fix', () => {
    const finding: PackFinding = {
      pack: 'hipaa',
      rule: 'HIPAA.Security-X',
      path: 'Mesh-A/Domain/Data/Resource',
      message: 'm',
    };
    const stale: PackAcknowledgement = {
      pack: 'hipaa',
      rule: 'HIPAA.Security-Y',
      path: 'Mesh-A/Domain/Data',
      reason: 'r',
    };
    const covering: PackAcknowledgement = { ...stale, rule: 'HIPAA.Security-X', path: 'Mesh-A/Domain/Dat' };
    const result = reconcile([finding], [stale, covering]);
    // A path prefix that is not a parent construct does not cover.
    expect(result.unacknowledged).toEqual([finding]);
    expect(result.unused).toEqual([stale, covering]);
    expect(formatPackFinding(finding)).toMatch(/lib\/policies\/external-packs\/acknowledgements\.ts$/);
    expect(formatUnusedAcknowledgement(stale)).toMatch(/remove the acknowledgement/);
  });
});

describe('recorded acknowledgements are honoured by the packs themselves', () => {
  test('cdk-nag leaves out what the platform acknowledged on the constructs', () => {
    const { app, stacks } = governedApp(exampleMesh());
    recordPackAcknowledgements([...stacks.values()]);
    synthesized(app);
    expect(runNagPack('nist-800-53-r5', app).map(formatPackFinding)).toEqual([]);
    expect(runNagPack('hipaa', app).map(formatPackFinding)).toEqual([]);
  });

  test('the Guard plugin in a synth files Control Tower findings under the acknowledgement', () => {
    const { app, stacks } = governedApp(exampleMesh());
    recordPackAcknowledgements([...stacks.values()]);
    const { CfnGuardValidator } =
      require('@cdklabs/cdk-validator-cfnguard') as typeof import('@cdklabs/cdk-validator-cfnguard');
    Validations.of(app).addPlugins(
      new CfnGuardValidator({
        controlTowerRulesEnabled: false,
        rules: [path.join(controlTowerRulesDirectory(), 's3', 'ct-s3-pr-9.guard')],
      }),
    );
    const directory = synthesized(app);
    const report = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[]; suppressedViolations?: unknown[] }[];
    };
    const guard = report.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
    expect(guard?.violations).toEqual([]);
    expect(guard?.suppressedViolations?.length).toBeGreaterThan(0);
  });
});

describe('acknowledgements carry reasons', () => {
  test('one entry per pack, rule and resource kind, each with its own explanation', () => {
    const keys = PACK_ACKNOWLEDGEMENTS.map((a) => `${a.pack} ${a.rule} ${a.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of PACK_ACKNOWLEDGEMENTS) expect(entry.reason.length).toBeGreaterThanOrEqual(120);
    for (const entry of PACK_ACKNOWLEDGEMENTS.filter((a) => a.pack === 'control-tower')) {
      expect(entry.control).toMatch(/^CT\.[A-Z][A-Z0-9]*\.PR\.\d+$/);
    }
  });
});
