/**
 * Runs CloudFormation Guard rule files over the templates of a synthesized app with the `cfn-guard` binary
 * that `@cdklabs/cdk-validator-cfnguard` ships (its plugin class parses Guard's output), and names each
 * failing resource by its construct path. A development dependency: loaded only when rules run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack, type Stage } from 'aws-cdk-lib';

export const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard';
/** Guard's structured output for a few domain stacks is about 1 MB, which is Node's default buffer. */
const GUARD_OUTPUT_BUFFER = 256 * 1024 * 1024;

/** One resource that fails one Guard rule. */
export interface GuardFinding {
  /** The Guard rule's name, e.g. `s3_bucket_object_lock_enabled_check`. */
  readonly rule: string;
  /** Construct path of the resource, or `<template>#<logical id>` for a resource outside the app's tree. */
  readonly path: string;
  /** The rule's message (Control Tower: `[CT.S3.PR.9]: Require that ...`), or its name when it has none. */
  readonly message: string;
}

export interface GuardRun {
  /** Template files checked (stacks and nested stacks), by file name. */
  readonly templates: readonly string[];
  readonly findings: readonly GuardFinding[];
}

/** The CloudFormation resource types in the app's tree (nested stacks included). */
export function resourceTypesOf(app: Stage): Set<string> {
  return new Set(
    app.node
      .findAll()
      .filter(CfnResource.isCfnResource)
      .map((r) => r.cfnResourceType),
  );
}

/** Every CloudFormation resource of the app by `<template file>#<logical id>`. */
function constructPaths(app: Stage): Map<string, string> {
  const paths = new Map<string, string>();
  for (const construct of app.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const stack = Stack.of(construct);
    paths.set(`${stack.templateFile}#${stack.resolve(construct.logicalId)}`, construct.node.path);
  }
  return paths;
}

/**
 * Runs `ruleFiles` over every `*.template.json` in `assemblyDirectory`, where `app` must have been synthesized.
 * One cfn-guard process checks all templates.
 */
export function runGuardRules(app: Stage, assemblyDirectory: string, ruleFiles: readonly string[]): GuardRun {
  const templates = fs
    .readdirSync(assemblyDirectory)
    .filter((name) => name.endsWith('.template.json'))
    .sort()
    .map((name) => path.join(assemblyDirectory, name));
  if (templates.length === 0) {
    throw new Error(`${assemblyDirectory}: no *.template.json to check; synthesize the app into it first`);
  }
  if (ruleFiles.length === 0) return { templates: templates.map((t) => path.basename(t)), findings: [] };

  const { CfnGuardValidator } = require(CFN_GUARD_PACKAGE) as typeof import('@cdklabs/cdk-validator-cfnguard');
  const validator = new CfnGuardValidator({
    controlTowerRulesEnabled: false,
    rules: [...ruleFiles],
    maxBuffer: GUARD_OUTPUT_BUFFER,
  });
  const report = validator.validate({ templatePaths: templates, appConstruct: app });
  const paths = constructPaths(app);
  const findings = report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => {
      const key = `${path.basename(resource.templatePath)}#${resource.resourceLogicalId}`;
      return {
        rule: violation.ruleName,
        path: paths.get(key) ?? key,
        message: violation.description?.trim() || violation.ruleName,
      };
    }),
  );
  return { templates: templates.map((t) => path.basename(t)), findings };
}
