/**
 * Whether version numbers follow the changes: compatible changes bump the minor, nothing goes backwards,
 * and a new major is above every major ever locked.
 */
import { compare, parse, type SemVer } from 'semver';
import type { MajorComparison } from './majors';

/**
 * Parses a version the definition schema already accepted; throws, naming the version, on anything else
 * (a lock file's version is checked by its own schema first).
 */
export function parseSemver(version: string): SemVer {
  const parsed = parse(version);
  if (!parsed) throw new Error(`"${version}" is not a semantic version such as 1.2.0`);
  return parsed;
}

/**
 * Semantic-version precedence (semver.org §11, by the `semver` package): negative when a < b, 0 when equal,
 * positive when a > b. A prerelease sorts before its release; numeric identifiers compare as numbers and
 * below alphanumeric ones, so 1.0.0-2 < 1.0.0-10 < 1.0.0-10a.
 */
export function compareSemver(a: string, b: string): number {
  return compare(parseSemver(a), parseSemver(b));
}

/** A version number that does not fit the change. */
export interface VersionProblem {
  readonly major: number;
  /** `error` when the version goes backwards; `warning` when a bump is missing. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly fix: string;
}

/** Version problems of a product's majors, given the definition's current major. */
export function versionProblems(comparisons: readonly MajorComparison[], currentMajor: number): VersionProblem[] {
  const problems: VersionProblem[] = [];
  const lockedMajors = comparisons.filter((c) => c.locked).map((c) => c.major);
  const highestLocked = lockedMajors.length > 0 ? Math.max(...lockedMajors) : undefined;

  if (highestLocked !== undefined && currentMajor < highestLocked) {
    problems.push({
      major: currentMajor,
      severity: 'error',
      message: `current major ${currentMajor} is below major ${highestLocked}, which the lock already records as published`,
      fix: `go forward: publish the change as ${highestLocked + 1}.0.0 (keep earlier majors in previousVersions with a sunset)`,
    });
  }
  for (const comparison of comparisons) {
    const { contract, locked, major } = comparison;
    if (!contract) continue;
    if (!locked) {
      if (highestLocked !== undefined && major < highestLocked && major !== currentMajor) {
        problems.push({
          major,
          severity: 'error',
          message: `major ${major} is new but below major ${highestLocked}, which is already locked`,
          fix: `new majors go above every published one: use ${highestLocked + 1}.0.0`,
        });
      }
      continue;
    }
    if (comparison.state === 'reused') continue;
    const order = compareSemver(contract.version, locked.version);
    if (order < 0) {
      problems.push({
        major,
        severity: 'error',
        message: `version ${contract.version} is below the locked ${locked.version}; a published version never goes backwards`,
        fix: `set the version to ${locked.version} or higher`,
      });
      continue;
    }
    const additive = comparison.changes.filter((c) => c.impact === 'compatible');
    const breaking = comparison.changes.some((c) => c.breaking);
    const before = parseSemver(locked.version);
    const after = parseSemver(contract.version);
    // Earlier majors are frozen at their last version; only the current major takes minor bumps.
    const current = contract.sunset === undefined;
    if (current && additive.length > 0 && !breaking && after.minor <= before.minor) {
      problems.push({
        major,
        severity: 'warning',
        message: `${additive.length} compatible change${additive.length === 1 ? '' : 's'} (${additive
          .map((c) => c.kind)
          .join(', ')}) without a minor bump: ${locked.version} → ${contract.version}`,
        fix: `set the version to ${before.major}.${before.minor + 1}.0`,
      });
    }
  }
  return problems;
}
