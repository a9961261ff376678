import { defineProduct } from '../../../lib/definition';

export default defineProduct({
  name: 'customer_profiles',
  version: '1.0.0',
  title: 'Customer profiles',
  description: {
    purpose: 'Current profile of every registered customer, including contact details and marketing consent.',
    usage: 'Join on customer_id. Respect marketing_consent before any outreach.',
    limitations: 'Erased customers (GDPR article 17) disappear within 30 days; do not keep copies.',
  },
  archetype: 'source-aligned',
  tags: ['customers', 'gdpr'],
  classification: 'confidential',
  schema: {
    format: 'parquet',
    columns: [
      {
        name: 'customer_id',
        concept: 'customer_id',
        description: 'Stable customer key.',
        required: true,
        unique: true,
        primaryKey: true,
      },
      {
        name: 'email',
        type: 'string',
        description: 'Primary email address.',
        pii: true,
        classification: 'confidential',
      },
      {
        name: 'phone',
        type: 'string',
        description: 'Mobile number in E.164 format.',
        pii: true,
        classification: 'confidential',
      },
      {
        name: 'country',
        concept: 'country_code',
        description: 'ISO 3166-1 alpha-2 country of residence.',
        required: true,
      },
      {
        name: 'marketing_consent',
        type: 'boolean',
        description: 'Customer agreed to marketing contact.',
        required: true,
      },
      { name: 'registered_at', type: 'timestamp', description: 'When the account was created (UTC).', required: true },
      { name: 'updated_at', type: 'timestamp', description: 'Last change to the profile (UTC).', required: true },
    ],
  },
  sla: {
    updateFrequency: 'daily',
    freshness: { within: '26 hours', column: 'updated_at' },
    retention: '3 years',
  },
  quality: [
    { rule: 'unique', column: 'customer_id' },
    { rule: 'notNull', column: 'customer_id' },
    { rule: 'pattern', column: 'email', pattern: '^[^@\\s]+@[^@\\s]+$', mustBeLessThan: 1, unit: 'percent' },
    { rule: 'pattern', column: 'phone', pattern: '^\\+[1-9][0-9]{6,14}$', mustBeLessThan: 5, unit: 'percent' },
    { rule: 'length', column: 'country', min: 2, max: 2 },
  ],
  privacy: { subjectKeys: ['customer_id'] },
  access: {
    visibility: 'consumers',
    consumers: [{ domain: 'marketing', purpose: 'Campaign attribution and consent-aware audience building' }],
  },
});
