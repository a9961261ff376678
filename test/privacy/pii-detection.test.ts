/**
 * MESH-PRIV-003 and the categories behind it: names, descriptions and example values that look personal
 * are found per category; names that merely contain the letters (tip_amount, shipped_at, zip_file) and
 * columns about personal data rather than of it (email_count, ip_country) are not.
 */
import type { ProductDefinitionInput } from '../../lib/definition/schema';
import { loadMesh } from '../../lib/mesh/load';
import type { MeshProduct } from '../../lib/mesh/model';
import type { MeshContext } from '../../lib/policies/model';
import { PLATFORM_RULES } from '../../lib/policies/rules';
import { personalDataMarked } from '../../lib/policies/rules/privacy/personal-data-detection';
import { ibanChecksumValid, PERSONAL_DATA_CATEGORIES, valueLooksLike } from '../../lib/privacy/pii-detection';
import { meshProductOf, productInput } from '../quality/product-fixture';
import { PROJECT_ROOT } from '../support/temp-project';

type ColumnInput = ProductDefinitionInput['schema']['columns'][number];

function productWith(columns: ColumnInput[], overrides: Partial<ProductDefinitionInput> = {}): MeshProduct {
  return meshProductOf(
    productInput({
      schema: { format: 'parquet', columns: [{ name: 'order_id', type: 'string', required: true }, ...columns] },
      ...overrides,
    }),
  );
}

function findingsOf(product: MeshProduct) {
  return personalDataMarked.checkProduct!(product, { today: '2026-01-01' } as MeshContext);
}

/** The category labels the rule reports for one column. */
function categoriesOf(column: ColumnInput): string[] {
  const [violation] = findingsOf(productWith([column]));
  if (!violation) return [];
  return PERSONAL_DATA_CATEGORIES.filter((c) => violation.message.includes(`${c.label} (`)).map((c) => c.id);
}

describe('MESH-PRIV-003: columns that look personal are marked pii', () => {
  test('is a registered, exceptable warning', () => {
    expect(PLATFORM_RULES).toContain(personalDataMarked);
    expect(personalDataMarked).toMatchObject({ id: 'MESH-PRIV-003', severity: 'warning' });
    expect(personalDataMarked.exceptable).not.toBe(false);
  });

  test.each([
    ['customer_email', 'string', 'email'],
    ['e_mail_address', 'string', 'email'],
    ['emails', 'array<string>', 'email'],
    ['phone_number', 'string', 'phone'],
    ['mobile', 'string', 'phone'],
    ['msisdn', 'varchar(16)', 'phone'],
    ['date_of_birth', 'date', 'birth_date'],
    ['dob', 'string', 'birth_date'],
    ['birth_year', 'int', 'birth_date'],
    ['ssn', 'string', 'national_id'],
    ['national_insurance_number', 'string', 'national_id'],
    ['steuer_id', 'string', 'national_id'],
    ['passport_no', 'string', 'national_id'],
    ['iban', 'string', 'iban'],
    ['bank_account_number', 'string', 'iban'],
    ['street', 'string', 'postal_address'],
    ['billing_address', 'string', 'postal_address'],
    ['address_line_2', 'string', 'postal_address'],
    ['zip_code', 'string', 'postal_address'],
    ['postcode', 'string', 'postal_address'],
    ['shipping_address', 'struct<street:string,city:string>', 'postal_address'],
    ['ip', 'string', 'ip_address'],
    ['client_ip_address', 'string', 'ip_address'],
    ['ipv6', 'string', 'ip_address'],
  ])('the name %s (%s) is a %s', (name, type, category) => {
    expect(categoriesOf({ name, type, description: 'A column.' })).toEqual([category]);
  });

  test.each([
    ['shipped_at', 'timestamp'],
    ['tip_amount', 'decimal(10,2)'],
    ['ship_mode', 'string'],
    ['zip_file', 'string'],
    ['relationship', 'string'],
    ['email_count', 'bigint'],
    ['email_opt_in', 'boolean'],
    ['email_sent_at', 'timestamp'],
    ['email_template', 'string'],
    ['ip_country', 'string'],
    ['server_ip', 'string'],
    ['mobile_app_version', 'string'],
    ['warehouse_address', 'string'],
    ['store_zip_code', 'string'],
    ['birth_date_verified', 'boolean'],
    ['passport_country', 'string'],
  ])('the name %s (%s) is not personal', (name, type) => {
    expect(categoriesOf({ name, type, description: 'A column.' })).toEqual([]);
  });

  test.each([
    ['contact', 'Mobile number in E.164 format.', 'phone'],
    ['contact', "The customer's email address, lowercased.", 'email'],
    ['home', 'Postal code of the customer.', 'postal_address'],
    ['born', 'Date of birth as the customer gave it.', 'birth_date'],
    ['payout_to', 'IBAN the refund is paid to.', 'iban'],
    ['source', 'IPv4 of the visitor.', 'ip_address'],
  ])('the description of %s ("%s") is a %s', (name, description, category) => {
    expect(categoriesOf({ name, type: 'string', description })).toEqual([category]);
  });

  test.each([
    ['Where the order was taken: web, store or phone.'],
    ['Country derived from the IP address.'],
    ['Number of email addresses on file.'],
    ['Whether the customer gave a phone number.'],
    ['Hashed email address (sha256), for joins.'],
  ])('the description "%s" is about personal data, not of it', (description) => {
    expect(categoriesOf({ name: 'detail', type: 'string', description })).toEqual([]);
  });

  test.each([
    ['ana.lopez@example.com', 'email'],
    ['+4915112345678', 'phone'],
    ['+49 30 1234567', 'phone'],
    ['+1 (555) 123-4567', 'phone'],
    ['(030) 1234567', 'phone'],
    ['555-123-4567', 'phone'],
    ['078-05-1120', 'national_id'],
    ['AB 12 34 56 C', 'national_id'],
    ['12 345 678 901', 'national_id'],
    ['DE89 3704 0044 0532 0130 00', 'iban'],
    ['GB82WEST12345698765432', 'iban'],
    ['221B Baker Street', 'postal_address'],
    ['Hauptstraße 5', 'postal_address'],
    ['SW1A 1AA', 'postal_address'],
    ['192.168.10.7', 'ip_address'],
    ['2001:db8::8a2e:370:7334', 'ip_address'],
  ])('the example value %s is a %s', (value, category) => {
    expect(categoriesOf({ name: 'reference', type: 'string', description: 'A reference.', examples: [value] })).toEqual(
      [category],
    );
  });

  test.each([
    ['ORD-000123'],
    ['2024-05-01'],
    ['05-12-2024'],
    ['01/2024'],
    ['12:30:00'],
    ['0012345678'],
    ['DE89 3704 0044 0532 0130 01'],
    ['web'],
  ])('the example value %s is not personal', (value) => {
    expect(categoriesOf({ name: 'reference', type: 'string', description: 'A reference.', examples: [value] })).toEqual(
      [],
    );
  });

  test('IBAN values must pass the mod-97 check digits', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('DE88370400440532013000')).toBe(false);
    const iban = PERSONAL_DATA_CATEGORIES.find((c) => c.id === 'iban')!;
    expect(valueLooksLike(iban, 'NL91ABNA0417164300')).toBe(true);
    expect(valueLooksLike(iban, 'NL91ABNA0417164301')).toBe(false);
  });

  test('the finding names the column, the evidence and the category, and says how to mark or except it', () => {
    const product = productWith([
      {
        name: 'contact',
        type: 'string',
        description: 'Email address for receipts.',
        examples: ['ana@example.com'],
      },
      { name: 'details', type: 'struct<phone:string,note:string>', description: 'Delivery details.' },
    ]);
    expect(findingsOf(product)).toEqual([
      {
        finding: 'Column::contact',
        message:
          'column "contact" looks like personal data but is not marked pii: email address (description "email address", example "ana@example.com")',
        fix: "set pii: true and classification: 'confidential' on schema.columns[1]; if it holds no personal data, add an exception { rule: 'MESH-PRIV-003', finding: 'Column::contact', reason: '<why it is not personal>', … }",
      },
      expect.objectContaining({
        finding: 'Column::details',
        message: expect.stringContaining('phone number (name "details.phone")'),
      }),
    ]);
  });

  test('columns marked pii pass, and earlier live majors are checked under their own finding', () => {
    const product = productWith([{ name: 'email', type: 'string', description: 'Email address.', pii: true }], {
      version: '2.0.0',
      classification: 'confidential',
      previousVersions: [
        {
          version: '1.4.0',
          sunset: '2099-01-01',
          schema: { columns: [{ name: 'email', type: 'string', description: 'Email address.' }] },
        },
      ],
    });
    expect(findingsOf(product)).toEqual([
      expect.objectContaining({
        finding: 'v1::Column::email',
        fix: expect.stringContaining('on previousVersions[0].schema.columns[0]'),
      }),
    ]);
  });

  test("the example mesh's columns are either marked or not personal", () => {
    const mesh = loadMesh({ root: PROJECT_ROOT });
    const products = mesh.domains.flatMap((d) => d.products);
    expect(products.length).toBeGreaterThan(5);
    expect(products.flatMap((p) => findingsOf(p).map((v) => `${p.id}: ${v.message}`))).toEqual([]);
  });
});
