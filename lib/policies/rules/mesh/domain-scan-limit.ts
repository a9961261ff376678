import type { MeshRule } from '../../model';

/** Largest per-query scan a domain may allow without a reviewed exception: 1 TB. */
export const MAX_DOMAIN_SCAN_BYTES = 1_000_000_000_000;

/** MESH-DOM-001: a bounded per-query scan. */
export const domainScanLimit: MeshRule = {
  kind: 'mesh',
  id: 'MESH-DOM-001',
  severity: 'warning',
  title: "A domain's per-query scan limit is at most 1 TB",
  explanation:
    'Athena bills about 5 USD per TB scanned; a limit above 1 TB per query no longer protects the domain from a runaway query. Raise it with an exception when a product really needs it.',
  fix: 'lower athena.bytesScannedCutoffPerQuery in the domain file',
  checkDomain(domain) {
    const cutoff = domain.definition.athena.bytesScannedCutoffPerQuery;
    return cutoff <= MAX_DOMAIN_SCAN_BYTES
      ? []
      : [
          {
            finding: 'athena.bytesScannedCutoffPerQuery',
            message: `allows ${(cutoff / 1e12).toFixed(1)} TB per query`,
          },
        ];
  },
};
