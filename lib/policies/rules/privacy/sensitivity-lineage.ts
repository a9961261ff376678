import type { Mesh } from '../../../mesh/model';
import { judgeLineage, LineageSensitivity } from '../../../privacy/lineage-sensitivity';
import { APPROVERS_FILE, type ApproverRegistry } from '../../approver-registry';
import { APPROVER_REGISTRY } from '../../approvers';
import { askApproverInstead, judgeApproval, latestExpiry } from '../../exception-checks';
import type { MeshRule, Violation } from '../../model';

// One computation per mesh: every product of a synth asks about the same lineage.
const sensitivities = new WeakMap<Mesh, LineageSensitivity>();

function sensitivityOf(mesh: Mesh): LineageSensitivity {
  let known = sensitivities.get(mesh);
  if (!known) {
    known = new LineageSensitivity(mesh);
    sensitivities.set(mesh, known);
  }
  return known;
}

/** MESH-PRIV-001: a product that reads personal or restricted data is as protected, or removes it. */
export function sensitivityFollowsLineage(approvers: ApproverRegistry = APPROVER_REGISTRY): MeshRule {
  return {
    kind: 'mesh',
    id: 'MESH-PRIV-001',
    severity: 'error',
    exceptable: false,
    title: 'Sensitivity follows lineage',
    explanation:
      'A product that reads an input with personal (pii) or restricted data holds that data too, unless it removes it. It is at least as protected as the input — classification confidential or stricter, not visible to the whole mesh, read only by domains that may read the input, each with a purpose — unless it declares the input’s sensitive columns dropped or pseudonymized (checked against its schema and build SQL) or carries a declassification approved by the governance guild.',
    fix: 'protect the product like its input, declare privacy.removes for the input’s sensitive columns, or ask the governance guild for a privacy.declassification',
    checkProduct(product, context) {
      const violations: Violation[] = judgeLineage(product, sensitivityOf(context.mesh)).map((p) => ({
        finding: p.finding,
        message: p.path === 'inputs' ? p.message : `${p.path}: ${p.message}`,
        fix: p.fix,
      }));
      const declassification = product.definition.privacy?.declassification;
      if (!declassification) return violations;
      const at = 'privacy.declassification';
      const judgement = { approvers, today: context.today };
      const askInstead = () => askApproverInstead(approvers, { domain: product.domain }, at);
      for (const problem of judgeApproval(declassification, { domain: product.domain }, judgement)) {
        const violation = (message: string, fix: string) =>
          violations.push({ finding: 'Declassification', message, fix });
        switch (problem.kind) {
          case 'unknown-approver':
            violation(
              `${at} is approved by "${declassification.approvedBy}", who is not an approver in ${APPROVERS_FILE}`,
              askInstead(),
            );
            break;
          case 'self-approved':
            violation(
              `${at} is approved by ${problem.approver.id}, ${problem.conflict}: nobody declassifies their own domain's data`,
              askInstead(),
            );
            break;
          case 'expired':
            violation(
              `${at} expired on ${declassification.expires}`,
              `protect the product like its inputs or remove their sensitive columns, or renew ${at} with a new expires date (at most ${latestExpiry(judgement)}) and approval`,
            );
            break;
          case 'too-long':
            violation(
              `${at} expires on ${declassification.expires}, ${problem.daysLeft} days from today (${context.today}); the ${approvers.guild.name} allows at most ${approvers.guild.maxExceptionDays} days (${APPROVERS_FILE})`,
              `set ${at}.expires to ${latestExpiry(judgement)} or earlier, and renew it with a fresh approval when it lapses`,
            );
            break;
        }
      }
      return violations;
    },
  };
}
