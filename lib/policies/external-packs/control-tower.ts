/**
 * AWS Control Tower's proactive controls: the CloudFormation Guard rules `@cdklabs/cdk-validator-cfnguard`
 * ships under `rules/control-tower/cfn-guard/<service>/`, one file per control, run with its `cfn-guard`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stage } from 'aws-cdk-lib';
import { CFN_GUARD_PACKAGE, resourceTypesOf, runGuardRules } from './cfn-guard';
import type { PackFinding } from './reconcile';

/** What one run checked and found. */
export interface ControlTowerRun {
  /** Every control in the pack, by id (`CT.S3.PR.9`). */
  readonly controls: readonly string[];
  /** The controls that target a resource type the app uses; the others can only skip, so they are not run. */
  readonly applied: readonly string[];
  /** Templates checked (stacks and nested stacks). */
  readonly templates: readonly string[];
  readonly findings: readonly PackFinding[];
}

interface ControlFile {
  readonly file: string;
  /** `ct-s3-pr-9.guard` → `CT.S3.PR.9`. */
  readonly control: string;
  /** Resource types the rule names; empty when none could be read (then it always runs). */
  readonly types: readonly string[];
}

/** The folder of the pack's Guard rules, one `<service>/ct-<service>-pr-<n>.guard` file per control. */
export function controlTowerRulesDirectory(): string {
  return path.join(
    path.dirname(require.resolve(`${CFN_GUARD_PACKAGE}/package.json`)),
    'rules',
    'control-tower',
    'cfn-guard',
  );
}

function controlFiles(directory: string): ControlFile[] {
  return fs
    .readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.guard'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      const types = [...fs.readFileSync(file, 'utf8').matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)["']/g)].map(
        (m) => m[1],
      );
      const control = path.basename(name, '.guard').replace(/-/g, '.').toUpperCase();
      return { file, control, types: [...new Set(types)] };
    });
}

/**
 * Runs the Control Tower controls that apply to the app's resource types over every template in
 * `assemblyDirectory` (the app must have been synthesized there). A control selects resources by type, so
 * one whose types the app does not use can only skip. Findings carry the Guard rule name
 * (`s3_bucket_object_lock_enabled_check`) and the construct path of the resource.
 */
export function runControlTower(app: Stage, assemblyDirectory: string): ControlTowerRun {
  const controls = controlFiles(controlTowerRulesDirectory());
  const usedTypes = resourceTypesOf(app);
  const applicable = controls.filter((c) => c.types.length === 0 || c.types.some((t) => usedTypes.has(t)));
  const run = runGuardRules(
    app,
    assemblyDirectory,
    applicable.map((c) => c.file),
  );
  return {
    controls: controls.map((c) => c.control),
    applied: applicable.map((c) => c.control),
    templates: run.templates,
    findings: run.findings.map((f) => ({ pack: 'control-tower', ...f })),
  };
}
