import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: 'customers',
  title: 'Customers',
  description: 'Who our customers are: profiles, consents and segments, kept under GDPR.',
  owner: { team: 'Customer Data', email: 'customer-data@example.com', codeowners: ['@acme/customer-data'] },
  support: [{ channel: 'email', url: 'mailto:customer-data@example.com' }],
  costCenter: 'CC-1200',
  defaults: { classification: 'confidential' },
});
