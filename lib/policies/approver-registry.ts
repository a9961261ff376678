/**
 * The shape of the governance guild's approver registry (lib/policies/approvers.ts): who may approve an
 * exception, which domains each approver belongs to (they never approve their own), how long an exception
 * may last, and who reviews governance files (CODEOWNERS). Parsed with zod when the module loads, so a
 * malformed registry fails every synth with the field to fix.
 */
import { z } from 'zod';
import { CODE_OWNER, SNAKE_CASE } from '../definition/schema';

/** Where the registry lives, for messages and CODEOWNERS. */
export const APPROVERS_FILE = 'lib/policies/approvers.ts';

const nonEmptyText = z.string().trim().min(1, { message: 'must not be empty' });

export const ApproverSchema = z.strictObject({
  /** The approver's e-mail address; an exception's `approvedBy` names it. */
  id: z.email({ message: 'must be an email address' }),
  /** The guild and the teams the approver belongs to, e.g. `governance-guild`, `security`, `platform`. */
  teams: z.array(nonEmptyText).min(1, { message: 'must name at least one team' }),
  /** Domains the approver is a member of; they cannot approve exceptions in these domains. */
  domains: z.array(z.string().regex(SNAKE_CASE, { message: 'must be a domain name (snake_case)' })).default([]),
});
export type Approver = z.infer<typeof ApproverSchema>;

export const ApproverRegistrySchema = z
  .strictObject({
    guild: z.strictObject({
      /** How messages name the guild. */
      name: nonEmptyText,
      /** Who reviews governance files, as CODEOWNERS names them (`@acme/governance-guild`). */
      codeowners: z
        .array(
          z.string().regex(CODE_OWNER, { message: 'must be a GitHub team (@org/team), a user (@user) or an e-mail' }),
        )
        .min(1, { message: 'must name at least one code owner' }),
      /** Longest an exception may run: its `expires` at most this many days after today. */
      maxExceptionDays: z.number().int().min(1).max(365).default(90),
      /** Team whose members may not approve exceptions for the platform's own constructs. */
      platformTeam: nonEmptyText.default('platform'),
    }),
    approvers: z.array(ApproverSchema).min(1, { message: 'must name at least one approver' }),
  })
  .superRefine((registry, ctx) => {
    const seen = new Set<string>();
    registry.approvers.forEach((approver, index) => {
      const id = normalizeId(approver.id);
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['approvers', index, 'id'], message: 'is listed twice' });
      seen.add(id);
    });
  });
export type ApproverRegistry = z.infer<typeof ApproverRegistrySchema>;
export type ApproverRegistryInput = z.input<typeof ApproverRegistrySchema>;

/** Parses a registry, or throws one line per problem naming the registry file and the field. */
export function defineApproverRegistry(input: ApproverRegistryInput, file = APPROVERS_FILE): ApproverRegistry {
  const parsed = ApproverRegistrySchema.safeParse(input);
  if (parsed.success) return Object.freeze(parsed.data);
  const lines = parsed.error.issues.map((issue) => `${file}:${formatPath(issue.path)}: ${issue.message}`);
  throw new Error(`invalid approver registry:\n${lines.join('\n')}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/** E-mail addresses compare without case and surrounding blanks. */
function normalizeId(id: string): string {
  return id.trim().toLowerCase();
}

/** The registered approver an `approvedBy` names, if any. */
export function findApprover(registry: ApproverRegistry, approvedBy: string): Approver | undefined {
  const id = normalizeId(approvedBy);
  return registry.approvers.find((a) => normalizeId(a.id) === id);
}

/** Whom an exception is for: a domain's definitions, or the platform's own constructs. */
export type ApprovalScope = { readonly domain: string } | { readonly platform: true };

/** Why an approver may not approve in a scope, or undefined when they may. */
export function conflictOf(registry: ApproverRegistry, approver: Approver, scope: ApprovalScope): string | undefined {
  if ('domain' in scope) {
    return approver.domains.includes(scope.domain) ? `a member of domain ${scope.domain}` : undefined;
  }
  const team = registry.guild.platformTeam;
  return approver.teams.includes(team) ? `a member of the ${team} team` : undefined;
}

/** Approvers who may approve an exception in the scope, for messages that say whom to ask. */
export function eligibleApprovers(registry: ApproverRegistry, scope: ApprovalScope): Approver[] {
  return registry.approvers.filter((approver) => conflictOf(registry, approver, scope) === undefined);
}
