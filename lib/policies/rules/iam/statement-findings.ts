/**
 * Walks the identity policies a resource carries (a policy's document, a role's inline policies) and lets
 * an IAM rule judge each Allow statement; findings name the document and the statement.
 */
import type { Violation } from '../../model';
import { identityDocuments, type PolicyStatement, statementLabel, statementsOf } from '../../template/policy-document';
import type { ResolvedResource } from '../../template/resolved-resource';

/** A statement with where it sits, e.g. `Policies[Inline]` / `ReadDomainProducts`. */
export interface LocatedStatement {
  readonly statement: PolicyStatement;
  /** `PolicyDocument` or `Policies[<name>]`. */
  readonly where: string;
  /** Statement label for messages: `PolicyDocument ReadDomainProducts`. */
  readonly label: string;
}

export function allowStatements(resource: ResolvedResource): LocatedStatement[] {
  return identityDocuments(resource.type, resource.properties).flatMap(({ where, document }) =>
    statementsOf(document)
      .filter((s) => s.effect === 'Allow')
      .map((statement) => ({
        statement,
        where,
        label: where === 'PolicyDocument' ? statementLabel(statement) : `${where} ${statementLabel(statement)}`,
      })),
  );
}

/** Findings once per distinct finding key, so a pattern repeated across statements reports once. */
export function distinctByFinding(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = v.finding ?? v.message;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
