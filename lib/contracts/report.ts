/** Plain-text rendering of contract changes and findings, shared by the CLI commands. */
import type { ContractChange } from './change';
import type { ContractFinding } from './finding';
import type { MajorComparison } from './majors';

/** `BREAKING` or `compatible`; informational changes are compatible and say so. */
export function changeLabel(change: ContractChange): string {
  if (change.breaking) return 'BREAKING  ';
  return change.impact === 'informational' ? 'compatible (info)' : 'compatible';
}

export function formatChange(change: ContractChange): string {
  return `${changeLabel(change).padEnd(17)}  ${change.path}: ${change.message}`;
}

/** One line per major, then its changes indented. */
export function formatComparison(comparison: MajorComparison): string[] {
  const { major, state, contract, locked, changes } = comparison;
  const versions =
    locked && contract && locked.version !== contract.version
      ? `${locked.version} → ${contract.version}`
      : (contract?.version ?? locked?.version ?? '');
  const summary: Record<MajorComparison['state'], string> = {
    new: 'new, not locked yet',
    unchanged: 'unchanged',
    changed:
      changes.length > 0
        ? `${changes.length} change${changes.length === 1 ? '' : 's'}`
        : 'reordered or reformatted only; re-lock to record it',
    removed: 'removed from the definition',
    retired: 'retired',
    reused: 'retired major defined again',
  };
  return [`  v${major} ${versions}: ${summary[state]}`, ...changes.map((c) => `    ${formatChange(c)}`)];
}

export function formatFinding(finding: ContractFinding): string {
  return `${finding.severity === 'error' ? 'error  ' : 'warning'} ${finding.ruleId} ${finding.file}: ${finding.message}\n        fix: ${finding.fix}`;
}
