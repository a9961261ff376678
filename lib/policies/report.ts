/**
 * The policy report of one stack: every rule × subject with pass / fail / excepted, counts per rule, and
 * every finding; written as `cdk.out/<stack>.policy-report.json` and summarized in one line per stack.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckRecord, CheckStatus, StackEvaluation, TemplateSource } from './engine/evaluate';
import type { Finding } from './findings';
import { isExceptable, type Severity } from './model';
import type { RuleRegistry } from './registry';

export interface RuleSummary {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly exceptable: boolean;
  readonly pass: number;
  readonly fail: number;
  readonly excepted: number;
}

export interface ReportFinding extends Finding {
  /** The line printed by the CLI and attached as an annotation. */
  readonly text: string;
}

/** A template the report covers: its file, construct path and hash when it was evaluated. */
export interface ReportTemplate extends TemplateSource {
  /** Construct path of the stack or nested stack that wrote it. */
  readonly path: string;
}

export interface StackReport {
  readonly stack: string;
  /** Day the checks were made on (exception expiry, sunsets). */
  readonly today: string;
  /** The templates evaluated, so the gate (lib/policies/gate) can tell a file changed after synth. */
  readonly templates: readonly ReportTemplate[];
  readonly summary: {
    /** Rules that ran on the stack. */
    readonly rules: number;
    readonly resources: number;
    /** Product and domain definitions checked. */
    readonly definitions: number;
    readonly pass: number;
    readonly fail: number;
    readonly excepted: number;
    /** Failed findings by severity. */
    readonly errors: number;
    readonly warnings: number;
    readonly exceptedFindings: number;
  };
  readonly rules: readonly RuleSummary[];
  readonly findings: readonly ReportFinding[];
  readonly results: readonly CheckRecord[];
}

export function buildStackReport(
  evaluation: StackEvaluation<unknown>,
  registry: RuleRegistry,
  today: string,
): StackReport {
  const counts = new Map<string, Record<CheckStatus, number>>();
  for (const check of evaluation.checks) {
    for (const [ruleId, status] of Object.entries(check.results)) {
      const c = counts.get(ruleId) ?? { pass: 0, fail: 0, excepted: 0 };
      c[status]++;
      counts.set(ruleId, c);
    }
  }
  const rules = registry.rules
    .filter((rule) => evaluation.rulesRun.has(rule.id))
    .map((rule) => ({
      id: rule.id,
      severity: rule.severity,
      title: rule.title,
      exceptable: isExceptable(rule),
      ...(counts.get(rule.id) ?? { pass: 0, fail: 0, excepted: 0 }),
    }));
  const findings: ReportFinding[] = evaluation.findings.map((f) => ({
    ruleId: f.ruleId,
    finding: f.finding,
    severity: f.severity,
    status: f.status,
    file: f.file,
    path: f.path,
    resource: f.resource,
    message: f.message,
    fix: f.fix,
    exception: f.exception,
    text: f.text,
  }));
  let errors = 0;
  let warnings = 0;
  let exceptedFindings = 0;
  for (const f of findings) {
    if (f.status === 'excepted') exceptedFindings++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  let resources = 0;
  let definitions = 0;
  for (const check of evaluation.checks) {
    if (check.kind === 'resource') resources++;
    else if (check.kind === 'definition') definitions++;
  }
  const total = (status: CheckStatus) => rules.reduce((sum, r) => sum + r[status], 0);
  return {
    stack: evaluation.stackName,
    today,
    templates: evaluation.templates.map(({ file, path: templatePath, sha256 }) => ({
      file,
      path: templatePath,
      sha256,
    })),
    summary: {
      rules: rules.length,
      resources,
      definitions,
      pass: total('pass'),
      fail: total('fail'),
      excepted: total('excepted'),
      errors,
      warnings,
      exceptedFindings,
    },
    rules,
    findings,
    results: evaluation.checks,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `Mesh-Sales: 48 rules × 18 resources + 3 definitions, 0 errors, 2 warnings, 1 excepted` */
export function summaryLine(report: StackReport): string {
  const s = report.summary;
  return `${report.stack}: ${plural(s.rules, 'rule')} × ${plural(s.resources, 'resource')} + ${plural(s.definitions, 'definition')}, ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.exceptedFindings} excepted`;
}

/** File name of a stack's report in the cloud assembly. */
export function reportFileName(stack: string): string {
  return `${stack}.policy-report.json`;
}

/** Writes one report per stack into `outdir`; returns the files written. */
export function writeReports(reports: readonly StackReport[], outdir: string): string[] {
  return reports.map((report) => {
    const file = path.join(outdir, reportFileName(report.stack));
    // Compact: reports of large meshes are megabytes; tools (jq) format them for reading.
    fs.writeFileSync(file, `${JSON.stringify(report)}\n`);
    return file;
  });
}
