/**
 * External rule packs (AWS Control Tower's proactive controls, cdk-nag's NIST 800-53 R5 and HIPAA packs) judge
 * the platform by generic standards. Every finding they raise on the example mesh is either fixed in the
 * constructs or acknowledged with a written reason; this module matches findings with acknowledgements.
 */

/** The external packs the platform is checked against. */
export type ExternalPack = 'control-tower' | 'nist-800-53-r5' | 'hipaa';

/** One resource that fails one rule of a pack. */
export interface PackFinding {
  readonly pack: ExternalPack;
  /** The rule as the pack names it: `s3_bucket_object_lock_enabled_check`, `NIST.800.53.R5-S3BucketReplicationEnabled`. */
  readonly rule: string;
  /** Construct path of the failing resource, e.g. `Mesh-Sales/Domain/Data/Resource`. */
  readonly path: string;
  /** What the pack says is wrong (Control Tower: the control id and title). */
  readonly message: string;
}

/** An acknowledgement of one rule on one construct and everything under it. */
export interface PackAcknowledgement {
  readonly pack: ExternalPack;
  readonly rule: string;
  /** Construct path the acknowledgement covers, e.g. `Mesh-Sales/Domain/AccessLogs`. */
  readonly path: string;
  /** Why the rule does not apply there, or what compensates. */
  readonly reason: string;
}

export interface Reconciliation {
  readonly acknowledged: readonly { readonly finding: PackFinding; readonly acknowledgement: PackAcknowledgement }[];
  /** Findings no acknowledgement covers: fix them or acknowledge them with a reason. */
  readonly unacknowledged: readonly PackFinding[];
  /** Acknowledgements that cover no finding: stale, remove them. */
  readonly unused: readonly PackAcknowledgement[];
}

function covers(acknowledgement: PackAcknowledgement, finding: PackFinding): boolean {
  return (
    acknowledgement.pack === finding.pack &&
    acknowledgement.rule === finding.rule &&
    (finding.path === acknowledgement.path || finding.path.startsWith(`${acknowledgement.path}/`))
  );
}

/** Pairs every finding with the acknowledgement that covers it; reports the rest on both sides. */
export function reconcile(
  findings: readonly PackFinding[],
  acknowledgements: readonly PackAcknowledgement[],
): Reconciliation {
  const acknowledged: { finding: PackFinding; acknowledgement: PackAcknowledgement }[] = [];
  const unacknowledged: PackFinding[] = [];
  const used = new Set<PackAcknowledgement>();
  for (const finding of findings) {
    const acknowledgement = acknowledgements.find((a) => covers(a, finding));
    if (!acknowledgement) {
      unacknowledged.push(finding);
      continue;
    }
    used.add(acknowledgement);
    acknowledged.push({ finding, acknowledgement });
  }
  return { acknowledged, unacknowledged, unused: acknowledgements.filter((a) => !used.has(a)) };
}

/** Where acknowledgements live, named in messages. */
export const ACKNOWLEDGEMENTS_FILE = 'lib/policies/external-packs/acknowledgements.ts';

/** One line per unacknowledged finding: pack, rule, construct path, message and the two ways out. */
export function formatPackFinding(finding: PackFinding): string {
  return (
    `[${finding.pack}] ${finding.rule} on ${finding.path}: ${finding.message}. ` +
    `Fix: change the construct (constructs/), or acknowledge the rule for this resource with a reason in ${ACKNOWLEDGEMENTS_FILE}`
  );
}

/** One line per stale acknowledgement. */
export function formatUnusedAcknowledgement(acknowledgement: PackAcknowledgement): string {
  return (
    `[${acknowledgement.pack}] ${acknowledgement.rule} on ${acknowledgement.path} is acknowledged but raises no finding. ` +
    `Fix: remove the acknowledgement from ${ACKNOWLEDGEMENTS_FILE}`
  );
}
