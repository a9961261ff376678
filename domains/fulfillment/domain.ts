import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: 'fulfillment',
  title: 'Fulfillment',
  description: 'Warehouses, stock and the parcels that leave them.',
  owner: { team: 'Fulfillment Data', email: 'fulfillment-data@example.com', codeowners: ['@acme/fulfillment-data'] },
  support: [{ channel: 'ticket', url: 'https://example.atlassian.net/jira/software/projects/FUL' }],
  costCenter: 'CC-1400',
});
