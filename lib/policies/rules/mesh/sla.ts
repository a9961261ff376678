import type { MeshRule, Violation } from '../../model';

/** Update frequencies for which consumers need a freshness promise. */
const SCHEDULED = new Set(['realtime', 'hourly', 'daily']);

/** MESH-PROD-006: an SLA, with freshness for frequently updated products. */
export const slaDeclared: MeshRule = {
  kind: 'mesh',
  id: 'MESH-PROD-006',
  severity: 'error',
  title: 'Products declare an SLA',
  explanation:
    'Consumers plan on how often data lands and how long it is kept: sla.updateFrequency and sla.retention are required. Products updated daily or more often should also promise freshness (a warning), which the quality checks measure.',
  fix: 'add sla: { updateFrequency, retention, freshness: { within, column } } to the product file',
  checkProduct(product) {
    const { sla } = product.definition;
    if (!sla) return [{ finding: 'sla', message: 'has no SLA' }];
    const violations: Violation[] = [];
    if (SCHEDULED.has(sla.updateFrequency) && !sla.freshness) {
      violations.push({
        finding: 'sla.freshness',
        severity: 'warning',
        message: `updates ${sla.updateFrequency} but promises no freshness`,
        fix: "add sla.freshness: { within: '26 hours', column: <timestamp column> }",
      });
    }
    return violations;
  },
};
