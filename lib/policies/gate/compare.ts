/**
 * The gate's findings against the stack's policy report written at synth time. Any difference means the
 * assembly is not what synthesis checked (a template or the report was changed afterwards): each one is an
 * error naming the stack, the file and the rule. Differences that follow from one already named (the
 * results of a rule whose finding differs, the counts once anything differs) are left out.
 */
import type { StackReport } from '../report';
import type { ReadReport, ReportReading } from './read-report';

export interface Difference {
  /** Template (or report) file concerned. */
  readonly file: string;
  /** The rule concerned, when the difference is about one. */
  readonly ruleId?: string;
  readonly message: string;
}

export interface CompareContext {
  /** The stack's own template file. */
  readonly stackTemplate: string;
  /** Template file by resource construct path. */
  readonly templateOf: ReadonlyMap<string, string>;
}

type GateFinding = StackReport['findings'][number];
type ReportFinding = ReadReport['findings'][number];

export function compareWithReport(gate: StackReport, reading: ReportReading, context: CompareContext): Difference[] {
  if (!reading.ok) return [{ file: reading.file, message: reading.problem }];
  const report = reading.report;
  const differences: Difference[] = [];
  if (report.stack !== gate.stack) {
    differences.push({ file: reading.file, message: `the report is of stack ${report.stack}, not ${gate.stack}` });
  }
  differences.push(...compareTemplates(gate, report));
  const findingDifferences = compareFindings(gate.findings, report.findings, context);
  differences.push(...findingDifferences);
  const named = new Set(findingDifferences.map((d) => `${d.ruleId} ${d.path}`));
  differences.push(...compareResults(gate, report, context, named));
  if (differences.length === 0) differences.push(...compareCounts(gate, report, reading.file));
  return differences.map(({ file, ruleId, message }) => (ruleId ? { file, ruleId, message } : { file, message }));
}

function compareTemplates(gate: StackReport, report: ReadReport): Difference[] {
  const differences: Difference[] = [];
  const reported = new Map(report.templates.map((t) => [t.file, t]));
  for (const template of gate.templates) {
    const entry = reported.get(template.file);
    reported.delete(template.file);
    if (!entry) {
      differences.push({ file: template.file, message: `the report does not cover template ${template.file}` });
    } else if (entry.sha256 !== template.sha256) {
      differences.push({
        file: template.file,
        message: `template ${template.file} changed after synth: its SHA-256 is ${template.sha256.slice(0, 12)}…, the report's ${entry.sha256.slice(0, 12)}…`,
      });
    }
  }
  for (const extra of reported.values()) {
    differences.push({
      file: extra.file,
      message: `the report covers template ${extra.file}, which the stack no longer holds`,
    });
  }
  return differences;
}

function identity(f: GateFinding | ReportFinding): string {
  return `${f.ruleId}\u0000${f.finding ?? ''}\u0000${f.path}\u0000${f.file}`;
}

function same(a: GateFinding, b: ReportFinding): boolean {
  return a.text === b.text && a.severity === b.severity && a.status === b.status;
}

function describe(f: GateFinding | ReportFinding): string {
  return `${f.status === 'excepted' ? `excepted ${f.severity}` : f.severity} on ${f.path}: ${f.message.trim()}`;
}

function compareFindings(
  gate: readonly GateFinding[],
  report: readonly ReportFinding[],
  context: CompareContext,
): (Difference & { path: string })[] {
  const byIdentity = new Map<string, { gate: GateFinding[]; report: ReportFinding[] }>();
  const group = (key: string) => {
    let entry = byIdentity.get(key);
    if (!entry) {
      entry = { gate: [], report: [] };
      byIdentity.set(key, entry);
    }
    return entry;
  };
  for (const f of gate) group(identity(f)).gate.push(f);
  for (const f of report) group(identity(f)).report.push(f);
  const differences: (Difference & { path: string })[] = [];
  for (const entry of byIdentity.values()) {
    const unmatched = entry.report.filter((r) => {
      const index = entry.gate.findIndex((g) => same(g, r));
      if (index < 0) return true;
      entry.gate.splice(index, 1);
      return false;
    });
    const pairs = Math.min(entry.gate.length, unmatched.length);
    for (let i = 0; i < Math.max(entry.gate.length, unmatched.length); i++) {
      const g = entry.gate[i];
      const r = unmatched[i];
      const f = g ?? r;
      const file = context.templateOf.get(f.path) ?? context.stackTemplate;
      let message: string;
      if (i < pairs && r.status === 'excepted' && g.status === 'fail') {
        message = `the report says excepted, the gate finds a failure (${describe(g)})`;
      } else if (i < pairs) {
        message = `the report says ${describe(r)}; the gate finds ${describe(g)}`;
      } else if (g) {
        message = `the report omits a finding the gate makes (${describe(g)})`;
      } else {
        message = `the report lists a finding the gate does not make (${describe(r)})`;
      }
      differences.push({ file, ruleId: f.ruleId, path: f.path, message });
    }
  }
  return differences;
}

function compareResults(
  gate: StackReport,
  report: ReadReport,
  context: CompareContext,
  named: ReadonlySet<string>,
): Difference[] {
  const differences: Difference[] = [];
  const key = (r: { kind: string; path: string }) => `${r.kind} ${r.path}`;
  const reported = new Map(report.results.map((r) => [key(r), r]));
  const fileOf = (p: string) => context.templateOf.get(p) ?? context.stackTemplate;
  for (const record of gate.results) {
    const entry = reported.get(key(record));
    reported.delete(key(record));
    const file = fileOf(record.path);
    if (!entry) {
      differences.push({ file, message: `the report has no results for ${record.kind} ${record.path}` });
      continue;
    }
    if (entry.file !== record.file) {
      differences.push({
        file,
        message: `the report attributes ${record.path} to ${entry.file}, the gate to ${record.file}`,
      });
    }
    for (const ruleId of new Set([...Object.keys(record.results), ...Object.keys(entry.results)])) {
      const ours = record.results[ruleId];
      const theirs = entry.results[ruleId];
      if (ours === theirs || named.has(`${ruleId} ${record.path}`)) continue;
      differences.push({
        file,
        ruleId,
        message: `the report says ${theirs ?? 'not checked'} for ${record.path}, the gate finds ${ours ?? 'not checked'}`,
      });
    }
  }
  for (const extra of reported.values()) {
    differences.push({
      file: fileOf(extra.path),
      message: `the report has results for ${extra.kind} ${extra.path}, which the assembly does not hold`,
    });
  }
  return differences;
}

/** Summary and per-rule counts: only a report edited by hand can differ here once everything else matches. */
function compareCounts(gate: StackReport, report: ReadReport, file: string): Difference[] {
  const differences: Difference[] = [];
  const summary = gate.summary as unknown as Record<string, number>;
  for (const field of new Set([...Object.keys(summary), ...Object.keys(report.summary)])) {
    if (summary[field] !== report.summary[field]) {
      differences.push({
        file,
        message: `the report's summary says ${field} ${report.summary[field] ?? 'absent'}, the gate counts ${summary[field] ?? 'none'}`,
      });
    }
  }
  const reported = new Map(report.rules.map((r) => [r.id, r]));
  for (const rule of gate.rules) {
    const entry = reported.get(rule.id);
    reported.delete(rule.id);
    const counts = (r: { pass: number; fail: number; excepted: number }) => `${r.pass}/${r.fail}/${r.excepted}`;
    if (!entry || counts(entry) !== counts(rule)) {
      differences.push({
        file,
        ruleId: rule.id,
        message: `the report counts ${entry ? counts(entry) : 'nothing'} (pass/fail/excepted), the gate ${counts(rule)}`,
      });
    }
  }
  for (const extra of reported.values()) {
    differences.push({ file, ruleId: extra.id, message: 'the report counts a rule that did not run' });
  }
  return differences;
}
