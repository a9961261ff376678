/**
 * compareMajors(): lines up the majors a product defines with the majors its lock records, and lists the
 * changes of each — the shared input of `contract diff`, `contract lock` and the governance checks.
 */
import type { MeshProduct } from '../mesh/model';
import { type ContractChange, change } from './change';
import { compareContracts } from './compatibility';
import { contractOf } from './contract';
import type { ContractVersion, LockedVersion, LockFile } from './contract-schema';
import { contractHash } from './hash';

/**
 * - `new`: defined, not locked yet.
 * - `unchanged` / `changed`: defined and locked; `changes` says what differs.
 * - `removed`: locked as live, no longer defined (breaking before its sunset).
 * - `retired`: locked as retired, not defined: nothing to do.
 * - `reused`: locked as retired, defined again (breaking: the old data is still under its prefix).
 */
export type MajorState = 'new' | 'unchanged' | 'changed' | 'removed' | 'retired' | 'reused';

/** One major of a product, as defined and as locked. */
export interface MajorComparison {
  readonly major: number;
  readonly state: MajorState;
  /** The definition's contract; absent when the major is no longer defined. */
  readonly contract?: ContractVersion;
  /** The locked entry; absent for a new major. */
  readonly locked?: LockedVersion;
  readonly changes: readonly ContractChange[];
}

/** Contracts of every live major of a product, current first. */
export function contractsOf(product: MeshProduct): ContractVersion[] {
  return product.versions.map((version) => contractOf(product, version));
}

/** Compares each major of `contracts` with `lock`; `today` (YYYY-MM-DD) decides whether a removal was due. */
export function compareMajors(
  contracts: readonly ContractVersion[],
  lock: LockFile | undefined,
  today: string,
): MajorComparison[] {
  const defined = new Map(contracts.map((c) => [c.major, c]));
  const locked = new Map((lock?.majors ?? []).map((m) => [m.major, m]));
  const majors = [...new Set([...defined.keys(), ...locked.keys()])].sort((a, b) => a - b);
  return majors.map((major) => compareMajor(major, defined.get(major), locked.get(major), today));
}

function compareMajor(
  major: number,
  contract: ContractVersion | undefined,
  locked: LockedVersion | undefined,
  today: string,
): MajorComparison {
  if (!locked) return { major, state: 'new', contract, changes: [] };
  if (!contract) {
    if (locked.retired) return { major, state: 'retired', locked, changes: [] };
    const due = locked.sunset !== undefined && today > locked.sunset;
    const removal = due
      ? change(
          'major-retired',
          `majors.${major}`,
          locked.version,
          undefined,
          'informational',
          `v${major} left the definition after its sunset (${locked.sunset}); the lock will record it as retired`,
        )
      : change(
          'major-removed',
          `majors.${major}`,
          locked.version,
          undefined,
          'breaking',
          locked.sunset
            ? `v${major} removed before its sunset (${locked.sunset}); consumers were promised it until then`
            : `v${major} removed without a sunset period; keep it in previousVersions with a sunset date so consumers can migrate`,
        );
    return { major, state: 'removed', locked, changes: [removal] };
  }
  if (locked.retired) {
    return {
      major,
      state: 'reused',
      contract,
      locked,
      changes: [
        change(
          'major-reused',
          `majors.${major}`,
          locked.version,
          contract.version,
          'breaking',
          `v${major} was retired; its data prefix ${locked.location} still holds the old files, so the number cannot be reused`,
        ),
      ],
    };
  }
  // The hash decides, so a difference no rule names (e.g. key order of a new field) still asks for a re-lock.
  const changes = compareContracts(locked, contract);
  const state = contractHash(contract) === contractHash(locked) ? 'unchanged' : 'changed';
  return { major, state, contract, locked, changes };
}
