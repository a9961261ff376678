import type { Mesh } from '../../../mesh/model';
import { judgeLineage, LineageSensitivity } from '../../../privacy/lineage-sensitivity';
import {
  APPROVERS_FILE,
  type ApproverRegistry,
  conflictOf,
  eligibleApprovers,
  findApprover,
} from '../../approver-registry';
import { APPROVER_REGISTRY } from '../../approvers';
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

const DAY_MS = 86_400_000;

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
      const scope = { domain: product.domain };
      const askInstead = () => {
        const eligible = eligibleApprovers(approvers, scope).map((a) => a.id);
        return `ask a member of the ${approvers.guild.name} outside domain ${product.domain} to approve it and put their id in ${at}.approvedBy: ${eligible.join(', ')}`;
      };
      const approver = findApprover(approvers, declassification.approvedBy);
      if (!approver) {
        violations.push({
          finding: 'Declassification',
          message: `${at} is approved by "${declassification.approvedBy}", who is not an approver in ${APPROVERS_FILE}`,
          fix: askInstead(),
        });
      } else {
        const conflict = conflictOf(approvers, approver, scope);
        if (conflict) {
          violations.push({
            finding: 'Declassification',
            message: `${at} is approved by ${approver.id}, ${conflict}: nobody declassifies their own domain's data`,
            fix: askInstead(),
          });
        }
      }
      const daysLeft = (Date.parse(declassification.expires) - Date.parse(context.today)) / DAY_MS;
      const maxDays = approvers.guild.maxExceptionDays;
      if (daysLeft < 0) {
        violations.push({
          finding: 'Declassification',
          message: `${at} expired on ${declassification.expires}`,
          fix: `protect the product like its inputs or remove their sensitive columns, or renew ${at} with a new expires date and approval`,
        });
      } else if (daysLeft > maxDays) {
        violations.push({
          finding: 'Declassification',
          message: `${at} expires on ${declassification.expires}, ${daysLeft} days from today (${context.today}); the ${approvers.guild.name} allows at most ${maxDays} days (${APPROVERS_FILE})`,
          fix: `set ${at}.expires at most ${maxDays} days ahead, and renew it with a fresh approval when it lapses`,
        });
      }
      return violations;
    },
  };
}
