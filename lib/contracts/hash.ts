/**
 * Content hashes of contracts. The hash is taken over canonical JSON (sorted keys, no whitespace, undefined
 * dropped), so it depends on what a contract says, not on key order or formatting.
 */
import { createHash } from 'node:crypto';
import type { ContractVersion, LockedVersion } from './contract-schema';

/** JSON with object keys sorted at every level; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The fields of a locked entry that are contract content (everything but bookkeeping). */
export function contractContent(entry: ContractVersion | LockedVersion): ContractVersion {
  const { retired: _retired, hash: _hash, ...content } = entry as LockedVersion;
  return content;
}

/** `sha256:<hex>` of a contract's canonical JSON. */
export function contractHash(contract: ContractVersion | LockedVersion): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(contractContent(contract)))
    .digest('hex')}`;
}
