/**
 * Which roles `mesh access verify --live` can ask about. IAM simulates only principals of the account whose
 * credentials make the call, so in a mesh whose domains live in several accounts one run covers the domains
 * of one account (`--profile` of that account, `--account` its id): their identity policies, reads of other
 * accounts' products included. The offline verification evaluates both sides across every account.
 */
import type { Mesh } from '../../mesh/model';

export type LiveScope =
  | { readonly ok: true; readonly domains?: readonly string[] }
  | { readonly ok: false; readonly message: string };

export function liveScope(mesh: Mesh, account: string, requested?: readonly string[]): LiveScope {
  const pinned = mesh.domains.filter((d) => d.definition.env);
  if (pinned.length === 0) return { ok: true, domains: requested };
  const here = mesh.domains.filter((d) => !d.definition.env || d.definition.env.account === account).map((d) => d.name);
  const byAccount = new Map<string, string[]>();
  for (const d of pinned) {
    const a = d.definition.env?.account as string;
    byAccount.set(a, [...(byAccount.get(a) ?? []), d.name]);
  }
  const layout = [...byAccount]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, names]) => `${a}: ${names.join(', ')}`)
    .join('; ');
  if (here.length === 0) {
    return {
      ok: false,
      message: `no domain of this mesh${mesh.config.stage ? ` (stage ${mesh.config.stage})` : ''} lives in account ${account}; run once per account with that account's --profile and --account (${layout})`,
    };
  }
  const elsewhere = (requested ?? []).filter((d) => !here.includes(d));
  if (elsewhere.length > 0) {
    return {
      ok: false,
      message: `${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'lives' : 'live'} in another account than ${account}: IAM simulates only roles of the calling account (${layout})`,
    };
  }
  return { ok: true, domains: requested ?? here };
}
