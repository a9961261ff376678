import type { Violation } from '../model';
import { isAnyonePrincipal, statementLabel, statementsOf } from '../template/policy-document';
import type { Json } from '../template/resolved-resource';

/**
 * Allow statements of a resource policy that grant "everything except" (NotPrincipal, NotAction) or grant to
 * anyone narrowed only by a condition. Deny statements may use these forms: they fence, not grant.
 */
export function openEndedAllows(document: Json | undefined): Violation[] {
  const violations: Violation[] = [];
  for (const s of statementsOf(document)) {
    if (s.effect !== 'Allow') continue;
    const label = statementLabel(s);
    if (s.notPrincipal)
      violations.push({ finding: `NotPrincipal::${label}`, message: `statement ${label} allows with NotPrincipal` });
    if (s.notAction)
      violations.push({ finding: `NotAction::${label}`, message: `statement ${label} allows with NotAction` });
    if (!s.notPrincipal && isAnyonePrincipal(s.principal) && s.condition) {
      violations.push({
        finding: `Principal::*::${label}`,
        message: `statement ${label} allows Principal "*", narrowed only by its condition`,
      });
    }
  }
  return violations;
}
