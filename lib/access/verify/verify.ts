/**
 * Compares what an evaluator says about every check of the access matrix with what the definitions
 * declare. Evaluators sit behind one interface: the offline simulation of synthesized templates (a
 * development tool) and IAM's policy simulator against deployed roles (`mesh access verify --live`).
 */

import { GLUE_CATALOG_POLICY_BYTES } from '../catalog-policy';
import { policyBytes, policyChars } from '../policy-json';
import { ACCESS_LIMITS } from '../quotas';
import { type AccessCheck, type AccessKind, isProductKind } from './checks';
import type { AccessPolicies } from './templates';

/** An evaluator's answer to one check; `error` when it could not answer (e.g. the role is not deployed). */
export type AccessOutcome = 'allowed' | 'denied' | { readonly error: string };

export interface AccessEvaluator {
  /** Answers every check, in order. */
  evaluate(checks: readonly AccessCheck[]): Promise<AccessOutcome[]>;
}

export interface AccessMismatch {
  readonly check: AccessCheck;
  readonly outcome: AccessOutcome;
}

export interface VerifyReport {
  /** Checks evaluated. */
  readonly checks: number;
  /** Distinct roles (service principals not counted), product versions and domains (key, results, logs) the checks cover. */
  readonly roles: number;
  readonly productVersions: number;
  readonly domains: number;
  /** Checks whose role and resource live in different accounts (both sides must allow). */
  readonly crossAccount: number;
  /** Roles × targets, per kind. */
  readonly byKind: Readonly<Partial<Record<AccessKind, number>>>;
  /** Allowed though the definitions do not allow it. */
  readonly unexpectedAllows: readonly AccessMismatch[];
  /** Denied though the definitions allow it. */
  readonly missingAllows: readonly AccessMismatch[];
  /** Not answered. */
  readonly errors: readonly AccessMismatch[];
}

export async function verifyAccess(checks: readonly AccessCheck[], evaluator: AccessEvaluator): Promise<VerifyReport> {
  const outcomes = await evaluator.evaluate(checks);
  const byKind: Partial<Record<AccessKind, number>> = {};
  const unexpectedAllows: AccessMismatch[] = [];
  const missingAllows: AccessMismatch[] = [];
  const errors: AccessMismatch[] = [];
  checks.forEach((check, i) => {
    byKind[check.kind] = (byKind[check.kind] ?? 0) + 1;
    const outcome = outcomes[i];
    if (typeof outcome === 'object') errors.push({ check, outcome });
    else if (outcome === 'allowed' && !check.expected) unexpectedAllows.push({ check, outcome });
    else if (outcome === 'denied' && check.expected) missingAllows.push({ check, outcome });
  });
  const distinct = (values: string[]) => new Set(values).size;
  return {
    checks: checks.length,
    roles: distinct(checks.filter((c) => c.role.kind !== 'service').map((c) => c.role.arn)),
    productVersions: distinct(checks.filter((c) => isProductKind(c.kind)).map((c) => c.target)),
    domains: distinct(checks.filter((c) => !isProductKind(c.kind)).map((c) => c.target)),
    crossAccount: checks.filter((c) => c.role.kind !== 'service' && c.role.account !== c.resourceAccount).length,
    byKind,
    unexpectedAllows,
    missingAllows,
    errors,
  };
}

export function isClean(report: VerifyReport): boolean {
  return report.unexpectedAllows.length + report.missingAllows.length + report.errors.length === 0;
}

/** Human-readable report: matrix size, then every mismatch (up to `limit` per category). */
export function formatVerifyReport(report: VerifyReport, limit = 50): string {
  const lines = [
    `access matrix: ${report.roles} roles × ${report.productVersions} product versions (+ ${report.domains} domains' key, results and logs) = ${report.checks} checks (${Object.entries(
      report.byKind,
    )
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')})${report.crossAccount > 0 ? `, ${report.crossAccount} of them across accounts` : ''}`,
  ];
  const section = (title: string, mismatches: readonly AccessMismatch[]) => {
    lines.push(`${title}: ${mismatches.length}`);
    for (const { check, outcome } of mismatches.slice(0, limit)) {
      lines.push(
        `  ${check.role.name} ${check.action} ${check.target} (${check.resource})${
          typeof outcome === 'object' ? `: ${outcome.error}` : ''
        }`,
      );
    }
    if (mismatches.length > limit) lines.push(`  … ${mismatches.length - limit} more`);
  };
  section('unexpected allows', report.unexpectedAllows);
  section('missing allows', report.missingAllows);
  if (report.errors.length > 0) section('not evaluated', report.errors);
  return lines.join('\n');
}

/** Largest deployed policy sizes against their quotas. */
export interface PolicySizeReport {
  readonly largestManagedPolicy: { readonly name: string; readonly chars: number; readonly limit: number };
  readonly mostManagedPolicies: { readonly role: string; readonly count: number; readonly limit: number };
  readonly largestRoleInline: { readonly role: string; readonly chars: number; readonly limit: number };
  readonly largestBucketPolicy: { readonly bucket: string; readonly bytes: number; readonly limit: number };
  readonly largestKeyPolicy: { readonly key: string; readonly bytes: number; readonly limit: number };
  /** The largest Glue catalog policy of an account and region, every stack's statements merged. */
  readonly largestCatalogPolicy: { readonly catalog: string; readonly bytes: number; readonly limit: number };
}

export function measureDeployedPolicies(policies: AccessPolicies): PolicySizeReport {
  const report = {
    largestManagedPolicy: { name: '-', chars: 0, limit: ACCESS_LIMITS.managedPolicyChars },
    mostManagedPolicies: { role: '-', count: 0, limit: ACCESS_LIMITS.managedPoliciesPerRole },
    largestRoleInline: { role: '-', chars: 0, limit: ACCESS_LIMITS.roleInlineChars },
    largestBucketPolicy: { bucket: '-', bytes: 0, limit: ACCESS_LIMITS.bucketPolicyBytes },
    largestKeyPolicy: { key: '-', bytes: 0, limit: ACCESS_LIMITS.keyPolicyBytes },
    largestCatalogPolicy: { catalog: '-', bytes: 0, limit: GLUE_CATALOG_POLICY_BYTES },
  };
  for (const role of policies.roles.values()) {
    for (const managed of role.managed) {
      const chars = policyChars(managed.document);
      if (chars > report.largestManagedPolicy.chars)
        report.largestManagedPolicy = { ...report.largestManagedPolicy, name: managed.name, chars };
    }
    if (role.managed.length > report.mostManagedPolicies.count) {
      report.mostManagedPolicies = { ...report.mostManagedPolicies, role: role.name, count: role.managed.length };
    }
    const inline = role.inline.reduce((sum, p) => sum + policyChars(p.document), 0);
    if (inline > report.largestRoleInline.chars)
      report.largestRoleInline = { ...report.largestRoleInline, role: role.name, chars: inline };
  }
  for (const [bucket, document] of policies.bucketPolicies) {
    const bytes = policyBytes(document);
    if (bytes > report.largestBucketPolicy.bytes)
      report.largestBucketPolicy = { ...report.largestBucketPolicy, bucket, bytes };
  }
  for (const key of new Set(policies.keysByAlias.values())) {
    const bytes = policyBytes(key.policy);
    if (bytes > report.largestKeyPolicy.bytes)
      report.largestKeyPolicy = { ...report.largestKeyPolicy, key: key.aliases.join(','), bytes };
  }
  for (const [catalog, document] of policies.catalogPolicies) {
    const bytes = policyBytes(document);
    if (bytes > report.largestCatalogPolicy.bytes)
      report.largestCatalogPolicy = { ...report.largestCatalogPolicy, catalog, bytes };
  }
  return report;
}

export function formatPolicySizes(sizes: PolicySizeReport): string {
  const pct = (n: number, limit: number) => `${Math.round((n / limit) * 100)}%`;
  const {
    largestManagedPolicy: m,
    mostManagedPolicies: c,
    largestRoleInline: i,
    largestBucketPolicy: b,
    largestKeyPolicy: k,
    largestCatalogPolicy: g,
  } = sizes;
  return [
    `largest managed policy     ${m.chars} / ${m.limit} chars (${pct(m.chars, m.limit)}) ${m.name}`,
    `most managed policies/role ${c.count} / ${c.limit} (${c.role})`,
    `largest role inline total  ${i.chars} / ${i.limit} chars (${pct(i.chars, i.limit)}) ${i.role}`,
    `largest bucket policy      ${b.bytes} / ${b.limit} bytes (${pct(b.bytes, b.limit)}) ${b.bucket}`,
    `largest key policy         ${k.bytes} / ${k.limit} bytes (${pct(k.bytes, k.limit)}) ${k.key}`,
    `largest Glue catalog policy ${g.bytes} / ${g.limit} bytes (${pct(g.bytes, g.limit)}) ${g.catalog}`,
  ].join('\n');
}
