/**
 * A finding as the engine reports it: which rule, which element, the file to change and how. Formatted the
 * same way for annotations, the CLI and the reports:
 *   [MESH-PROD-003] domains/sales/products/orders.ts: column "lines" has no description. Fix: add description to schema.columns[4].
 */
import type { IConstruct } from 'constructs';
import type { AppliedException } from './exceptions';
import type { Severity } from './model';

export type FindingStatus = 'fail' | 'excepted';

export interface Finding {
  readonly ruleId: string;
  /** The element the finding is about, e.g. `Action::s3:*`; exceptions may name it. */
  readonly finding?: string;
  /** Effective severity (a value the rule could not verify is always an error). */
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** Definition file to change (or to carry the exception), relative to the project root. */
  readonly file: string;
  /** Construct path the finding is attached to. */
  readonly path: string;
  /** The resource concerned, for findings on resources. */
  readonly resource?: { readonly logicalId: string; readonly type: string };
  readonly message: string;
  readonly fix: string;
  /** The exception that excused the finding. */
  readonly exception?: AppliedException;
}

/**
 * A finding, its formatted line, and what it is attached to: in synthesis the construct its annotation goes
 * on, in the gate its construct path.
 */
export interface AttachedFinding<A = IConstruct> extends Finding {
  readonly anchor: A;
  /** formatFinding(this), computed once for the annotation and the report. */
  readonly text: string;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `MESH-IAM-002[Action::s3:*]`: the id an exception's `rule` and `finding` select. */
export function findingId(finding: Pick<Finding, 'ruleId' | 'finding'>): string {
  return finding.finding ? `${finding.ruleId}[${finding.finding}]` : finding.ruleId;
}

/** One line naming rule, file, what is wrong and the fix (or the exception that excuses it). */
export function formatFinding(finding: Finding): string {
  const where = finding.resource ? `${finding.path} (${finding.resource.type}) ` : '';
  const head = `[${findingId(finding)}] ${finding.file}: ${where}${finding.message.trim().replace(/\.$/, '')}`;
  if (finding.status === 'excepted' && finding.exception) {
    const e = finding.exception;
    const by = e.declaredIn ? `platform exception ${e.index} (${e.declaredIn})` : `exceptions[${e.index}]`;
    return `${head}. Excepted until ${e.expires} by ${by}, approved by ${e.approvedBy}: ${sentence(e.reason)}`;
  }
  return `${head}. Fix: ${sentence(finding.fix)}`;
}
