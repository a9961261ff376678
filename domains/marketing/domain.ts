import { defineDomain } from '../../lib/definition';

export default defineDomain({
  name: 'marketing',
  title: 'Marketing',
  description: 'Campaigns across paid, owned and earned channels, and what they return.',
  owner: {
    team: 'Marketing Analytics',
    email: 'marketing-analytics@example.com',
    codeowners: ['@acme/marketing-analytics'],
  },
  support: [{ channel: 'slack', url: 'https://example.slack.com/archives/marketing-analytics' }],
  costCenter: 'CC-1300',
});
