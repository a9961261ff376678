/** The gate's result as the CLI prints it: one line per stack, then the findings and differences. */
import type { GateResult, GateStackResult } from './gate';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function stackLine(result: GateStackResult): string {
  if (result.verdict === 'not-governed') return `– ${result.stack}: ${result.note}`;
  const mark = result.verdict === 'pass' ? '✔' : '✘';
  const templates = plural(result.templates.length, 'template');
  const report =
    result.differences.length === 0
      ? `the report matches (${templates})`
      : `${plural(result.differences.length, 'difference')} from the report`;
  return `${mark} ${result.summary ?? result.stack}; ${report}${result.note ? `; ${result.note}` : ''}`;
}

/** `tampering: Mesh-Sales Mesh-Sales.template.json [MESH-S3-001]: the report omits …` */
export function differenceLine(stack: string, difference: GateStackResult['differences'][number]): string {
  return `tampering: ${stack} ${difference.file}${difference.ruleId ? ` [${difference.ruleId}]` : ''}: ${difference.message}`;
}

export function formatGateResult(result: GateResult): string[] {
  const lines = result.stacks.map(stackLine);
  const details: string[] = [];
  for (const stack of result.stacks) {
    for (const text of stack.errors) details.push(`error: ${text}`);
    for (const text of stack.warnings) details.push(`warning: ${text}`);
    for (const difference of stack.differences) details.push(differenceLine(stack.stack, difference));
  }
  if (details.length > 0) lines.push('', ...details);
  const errors = result.stacks.reduce((n, s) => n + s.errors.length, 0);
  const differences = result.stacks.reduce((n, s) => n + s.differences.length, 0);
  const gated = result.stacks.filter((s) => s.verdict !== 'not-governed').length;
  const seconds = (result.ms / 1000).toFixed(1);
  lines.push('');
  if (result.passed) {
    lines.push(
      `Gate passed: ${plural(gated, 'stack')} checked again from the assembly, judged by ${result.today} (${seconds} s).`,
    );
  } else {
    const next: string[] = [];
    if (errors > 0) next.push('Fix each error in the file it names');
    if (differences > 0) {
      next.push(
        `${errors > 0 ? 'a' : 'A'} difference means the assembly changed after synth: synthesize again into a fresh folder and gate that (npx mesh deploy <domain> does both), never edit it`,
      );
    }
    lines.push(
      `Gate failed: ${plural(errors, 'error')}, ${plural(differences, 'difference')} from the policy reports (${seconds} s). ${next.join('; ')}.`,
    );
  }
  return lines;
}
