/**
 * A stack's policy report read back from the assembly (`<stack>.policy-report.json`, lib/policies/report.ts).
 * It is only compared with what the gate finds, never trusted: the schema checks the fields the comparison
 * reads, so a report cut or rewritten into another shape is named as such instead of crashing the gate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { reportFileName } from '../report';

const Status = z.enum(['pass', 'fail', 'excepted']);

const ReportSchema = z.looseObject({
  stack: z.string(),
  today: z.string(),
  templates: z.array(z.looseObject({ file: z.string(), path: z.string(), sha256: z.string() })),
  summary: z.record(z.string(), z.number()),
  rules: z.array(
    z.looseObject({
      id: z.string(),
      pass: z.number(),
      fail: z.number(),
      excepted: z.number(),
    }),
  ),
  findings: z.array(
    z.looseObject({
      ruleId: z.string(),
      finding: z.string().optional(),
      severity: z.enum(['error', 'warning']),
      status: z.enum(['fail', 'excepted']),
      file: z.string(),
      path: z.string(),
      resource: z.looseObject({ logicalId: z.string(), type: z.string() }).optional(),
      message: z.string(),
      text: z.string(),
    }),
  ),
  results: z.array(
    z.looseObject({
      path: z.string(),
      kind: z.enum(['resource', 'template', 'definition']),
      file: z.string(),
      results: z.record(z.string(), Status),
    }),
  ),
});

/** The parts of a report the gate compares. */
export type ReadReport = z.infer<typeof ReportSchema>;

export type ReportReading =
  | { readonly ok: true; readonly file: string; readonly report: ReadReport }
  | { readonly ok: false; readonly file: string; readonly problem: string };

export function readReport(assemblyDir: string, stackId: string): ReportReading {
  const file = reportFileName(stackId);
  const full = path.join(assemblyDir, file);
  if (!fs.existsSync(full)) return { ok: false, file, problem: `${file} is missing: the stack has no policy report` };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (err) {
    return { ok: false, file, problem: `${file} is not JSON (${(err as Error).message})` };
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      file,
      problem: `${file} is not a policy report: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { ok: true, file, report: parsed.data };
}
