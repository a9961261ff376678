/**
 * cdk-nag's NIST 800-53 R5 and HIPAA Security packs over a construct tree. cdk-nag is a development
 * dependency, loaded only when a pack runs.
 */
import type { IConstruct } from 'constructs';
import type { ExternalPack, PackFinding } from './reconcile';

/** The cdk-nag packs, by the name the platform uses for them. */
export type NagPackName = Extract<ExternalPack, 'nist-800-53-r5' | 'hipaa'>;

/** Creates the pack's checks; each pack is a policy-validation plugin that can also check a tree directly. */
function createPack(pack: NagPackName) {
  const nag = require('cdk-nag') as typeof import('cdk-nag');
  return pack === 'nist-800-53-r5' ? new nag.NIST80053R5Checks() : new nag.HIPAASecurityChecks();
}

/**
 * Every finding of the pack under `scope` (usually the app, after synthesis). Findings acknowledged on a
 * construct with `Validations.of(c).acknowledge(...)` are left out by cdk-nag itself.
 */
export function runNagPack(pack: NagPackName, scope: IConstruct): PackFinding[] {
  return createPack(pack)
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        pack,
        rule: violation.ruleName,
        path: resource.constructPath ?? '(unknown construct)',
        message: violation.description,
      })),
    );
}
