import { type PolicyStatementJson, policyChars } from '../../lib/access/policy-json';
import { packStatements } from '../../lib/access/policy-packing';

const identity = <T>(value: T): T => value;
const objects = (n: number, width = 60) =>
  Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket/${String(i).padStart(width - 22, 'x')}/*`);

describe('packStatements', () => {
  test('keeps small statements together in one document, in order', () => {
    const statements: PolicyStatementJson[] = [
      { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(3) },
      { Sid: 'B', Effect: 'Allow', Action: 'glue:GetTable', Resource: 'arn:aws:glue:eu-west-1:1:table/d/t' },
    ];
    const documents = packStatements(statements, { maxChars: 6144, render: identity });
    expect(documents).toHaveLength(1);
    expect(documents[0].Statement.map((s) => s.Sid)).toEqual(['A', 'B']);
  });

  test('cuts a long resource list across documents; the parts cover every resource once and fit the limit', () => {
    const resources = objects(300);
    const documents = packStatements(
      [{ Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: resources }],
      {
        maxChars: 2000,
        render: identity,
      },
    );
    expect(documents.length).toBeGreaterThan(1);
    for (const document of documents) expect(policyChars(document)).toBeLessThanOrEqual(2000);
    expect(documents.flatMap((d) => d.Statement.flatMap((s) => s.Resource))).toEqual(resources);
    const sids = documents.flatMap((d) => d.Statement.map((s) => s.Sid));
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.slice(0, 3)).toEqual(['ReadObjects', 'ReadObjects2', 'ReadObjects3']);
  });

  test('fills each document before starting the next (a cut statement continues in the next document)', () => {
    const documents = packStatements(
      [
        { Sid: 'Small', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket' },
        { Sid: 'Big', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(100) },
      ],
      { maxChars: 3000, render: identity },
    );
    for (const document of documents.slice(0, -1)) expect(policyChars(document)).toBeGreaterThan(3000 - 80);
  });

  test('cuts a condition list when it is the longest list (an Allow over a union of values)', () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `alias/acme/domain-${i}`);
    const documents = packStatements(
      [
        {
          Sid: 'Decrypt',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: 'arn:aws:kms:eu-west-1:1:key/*',
          Condition: {
            StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliases },
          },
        },
      ],
      { maxChars: 1500, render: identity },
    );
    expect(documents.length).toBeGreaterThan(1);
    const parts = documents.flatMap((d) => d.Statement);
    expect(parts.flatMap((s) => s.Condition?.['ForAnyValue:StringEquals']['kms:ResourceAliases'])).toEqual(aliases);
    for (const part of parts)
      expect(part.Condition?.StringEquals).toEqual({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com' });
  });

  test('measures what AWS will see: placeholders rendered with the values it is given', () => {
    const statement: PolicyStatementJson = { Effect: 'Allow', Action: 's3:GetObject', Resource: objects(80) };
    const long = <T>(value: T): T => JSON.parse(JSON.stringify(value).replace(/bucket/g, 'b'.repeat(40)));
    expect(packStatements([statement], { maxChars: 6144, render: identity })).toHaveLength(1);
    expect(packStatements([statement], { maxChars: 6144, render: long }).length).toBeGreaterThan(1);
  });

  test('never cuts a Deny, whose condition list narrows who is denied', () => {
    const deny: PolicyStatementJson = {
      Effect: 'Deny',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::bucket/*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': objects(100) } },
    };
    expect(() => packStatements([deny], { maxChars: 2000, render: identity })).toThrow(
      /one policy statement needs \d+ characters, more than the 2000 a managed policy holds/,
    );
  });
});
