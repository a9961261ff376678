/**
 * AWS Control Tower's proactive controls, as the CloudFormation Guard rules that
 * `@cdklabs/cdk-validator-cfnguard` ships with its `cfn-guard` binary, run over a synthesized cloud assembly.
 * A development dependency: loaded only when a test or a tool asks for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack, type Stage } from 'aws-cdk-lib';
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

interface RuleFile {
  readonly file: string;
  /** `ct-s3-pr-9.guard` → `CT.S3.PR.9`. */
  readonly control: string;
  /** Resource types the rule selects; empty when none could be read (then it always runs). */
  readonly types: readonly string[];
}

const PACKAGE = '@cdklabs/cdk-validator-cfnguard';
/** Guard's structured output for a mesh of a few stacks is about 1 MB; Node's default buffer is exactly 1 MB. */
const GUARD_OUTPUT_BUFFER = 256 * 1024 * 1024;

/** The folder of the pack's Guard rules, one `<service>/ct-<service>-pr-<n>.guard` file per control. */
export function controlTowerRulesDirectory(): string {
  return path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'rules', 'control-tower', 'cfn-guard');
}

function ruleFiles(directory: string): RuleFile[] {
  return fs
    .readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.guard'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      const types = [...fs.readFileSync(file, 'utf8').matchAll(/["'](AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)["']/g)].map(
        (m) => m[1],
      );
      const control = path.basename(name, '.guard').replace(/^ct-/, 'CT-').replace(/-/g, '.').toUpperCase();
      return { file, control, types: [...new Set(types)] };
    });
}

/** Every CloudFormation resource of the app by `<template file>#<logical id>`, to name findings by construct path. */
function constructPaths(app: Stage): Map<string, string> {
  const paths = new Map<string, string>();
  for (const construct of app.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const stack = Stack.of(construct);
    paths.set(`${stack.templateFile}#${stack.resolve(construct.logicalId)}`, construct.node.path);
  }
  return paths;
}

/** The control id and title Guard reports (`[CT.S3.PR.9]: Require that ...`), or the rule name. */
function controlMessage(description: string | undefined, rule: string): string {
  return description?.trim() || rule;
}

/**
 * Runs the Control Tower controls that apply to the app's resource types over every template in
 * `assemblyDirectory` (the app must have been synthesized there). Findings carry the guard rule name
 * (`s3_bucket_object_lock_enabled_check`) and the construct path of the resource.
 */
export function runControlTower(app: Stage, assemblyDirectory: string): ControlTowerRun {
  const { CfnGuardValidator } = require(PACKAGE) as typeof import('@cdklabs/cdk-validator-cfnguard');
  const rules = ruleFiles(controlTowerRulesDirectory());
  const usedTypes = new Set(
    app.node
      .findAll()
      .filter(CfnResource.isCfnResource)
      .map((r) => r.cfnResourceType),
  );
  const applicable = rules.filter((r) => r.types.length === 0 || r.types.some((t) => usedTypes.has(t)));
  const templates = fs
    .readdirSync(assemblyDirectory)
    .filter((name) => name.endsWith('.template.json'))
    .sort()
    .map((name) => path.join(assemblyDirectory, name));
  if (templates.length === 0) {
    throw new Error(`${assemblyDirectory}: no *.template.json to check; synthesize the app into it first`);
  }

  const validator = new CfnGuardValidator({
    controlTowerRulesEnabled: false,
    rules: applicable.map((r) => r.file),
    maxBuffer: GUARD_OUTPUT_BUFFER,
  });
  const report = validator.validate({ templatePaths: templates, appConstruct: app });
  const paths = constructPaths(app);
  const findings = report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => {
      const key = `${path.basename(resource.templatePath)}#${resource.resourceLogicalId}`;
      return {
        pack: 'control-tower' as const,
        rule: violation.ruleName,
        // A resource outside the app's tree cannot be acknowledged; its template and logical id still name it.
        path: paths.get(key) ?? key,
        message: controlMessage(violation.description, violation.ruleName),
      };
    }),
  );
  return {
    controls: rules.map((r) => r.control),
    applied: applicable.map((r) => r.control),
    templates: templates.map((t) => path.basename(t)),
    findings,
  };
}
