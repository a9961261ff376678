import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: 'sales',
  title: 'Sales',
  description: 'Orders taken through the web shop and the stores, and the revenue they produce.',
  owner: { team: 'Sales Data', email: 'sales-data@example.com', codeowners: ['@acme/sales-data'] },
  support: [
    { channel: 'slack', url: 'https://example.slack.com/archives/sales-data', purpose: 'questions and incidents' },
  ],
  costCenter: 'CC-1100',
  defaults: { classification: 'internal' },
  athena: { bytesScannedCutoffPerQuery: 50_000_000_000, resultRetentionDays: 30 },
});
