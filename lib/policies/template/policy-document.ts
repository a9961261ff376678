/**
 * IAM policy documents as rules read them: statements normalized (single values as lists), principals
 * and actions as text where they are literals.
 */
import { asList, isObject, type Json, type JsonObject } from './resolved-resource';

export interface PolicyStatement {
  /** Position in the document, for findings when there is no Sid. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: string;
  /** `Action` entries (empty when the statement uses NotAction). */
  readonly actions: readonly Json[];
  readonly notAction: boolean;
  readonly resources: readonly Json[];
  readonly notResource: boolean;
  readonly principal?: Json;
  readonly notPrincipal: boolean;
  readonly condition?: JsonObject;
}

/** The statements of a policy document; an unreadable document yields none (callers check the document). */
export function statementsOf(document: Json | undefined): PolicyStatement[] {
  if (!isObject(document)) return [];
  return asList(document.Statement).flatMap((raw, index) => {
    if (!isObject(raw)) return [];
    return [
      {
        index,
        sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
        effect: typeof raw.Effect === 'string' ? raw.Effect : 'Allow',
        actions: asList(raw.Action ?? raw.NotAction),
        notAction: raw.NotAction !== undefined,
        resources: asList(raw.Resource ?? raw.NotResource),
        notResource: raw.NotResource !== undefined,
        principal: raw.Principal ?? raw.NotPrincipal,
        notPrincipal: raw.NotPrincipal !== undefined,
        condition: isObject(raw.Condition) && Object.keys(raw.Condition).length > 0 ? raw.Condition : undefined,
      },
    ];
  });
}

/** How findings name a statement: its Sid, else its position. */
export function statementLabel(statement: PolicyStatement): string {
  return statement.sid ?? `#${statement.index}`;
}

/** Whether a principal is everyone: `"*"`, `{ "AWS": "*" }` or a list containing `"*"`. */
export function isAnyonePrincipal(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return Object.values(principal).some((value) => asList(value).includes('*'));
}

/** Lowercased literal actions; deploy-time values cannot appear in an Action, so they are ignored. */
export function literalActions(statement: PolicyStatement): string[] {
  return statement.actions.filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase());
}

/** Whether an action pattern (`s3:*`, `*`, `s3:Get*`) covers the given action (lowercase). */
export function actionCovers(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  if (!p.includes('*')) return p === action;
  const regex = new RegExp(`^${p.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(action);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Identity policy documents a resource carries, with where they sit (for findings). */
export function identityDocuments(type: string, properties: JsonObject): { where: string; document: Json }[] {
  switch (type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [{ where: 'PolicyDocument', document: properties.PolicyDocument }];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return asList(properties.Policies).flatMap((policy, i) =>
        isObject(policy)
          ? [
              {
                where: `Policies[${typeof policy.PolicyName === 'string' ? policy.PolicyName : i}]`,
                document: policy.PolicyDocument,
              },
            ]
          : [],
      );
    default:
      return [];
  }
}

/** The CloudFormation types that carry identity policies. */
export const IDENTITY_POLICY_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
] as const;
