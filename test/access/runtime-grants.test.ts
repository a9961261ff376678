/**
 * The runtime plane's access: an execution role reads exactly its product's declared inputs (its own
 * domain's too), and the fences of the domains it reads from let its domain's execution roles through —
 * only where a run of that domain reads, and never another domain's.
 */
import { fillPlaceholders, type PlaceholderValues } from '../../lib/access/env';
import type { PolicyStatementJson } from '../../lib/access/policy-json';
import { executionRolePattern, meshRolePatterns } from '../../lib/access/principals';
import { bucketFenceStatements, keyFenceStatements } from '../../lib/access/producer-fences';
import { isBuilt, productInputReads, productRuntimeInputStatements } from '../../lib/access/runtime-grants';
import { loadMesh } from '../../lib/mesh/load';
import { findDomain, findProduct, type Mesh } from '../../lib/mesh/model';
import { built, consumers, domain, product, removeTempProject, writeTempProject } from './support/temp-project';

const VALUES: PlaceholderValues = {
  partition: 'aws',
  account: '111111111111',
  region: 'eu-west-1',
  urlSuffix: 'amazonaws.com',
};
const role = (name: string) => `arn:aws:iam::111111111111:role/acme-${name}`;
const bucket = (d: string) => `arn:aws:s3:::acme-${d}-data-111111111111-eu-west-1`;

let root: string;
let mesh: Mesh;
beforeAll(() => {
  root = writeTempProject([
    {
      definition: domain('hub'),
      products: [
        product('a', { access: consumers('x', 'y') }),
        product('c', { access: consumers('x') }),
        product('m'),
        product('p', { access: { visibility: 'domain' } }),
      ],
    },
    {
      definition: domain('x'),
      products: [product('xb', built('hub/a@1')), product('xn', { inputs: ['hub/c@1'] }), product('xs')],
    },
    { definition: domain('y'), products: [product('yn', { inputs: ['hub/a@1'] })] },
    {
      definition: domain('z'),
      products: [product('zr', built('hub/m@1', 'x/xs@1', 'z/zs@1')), product('zs')],
    },
  ]);
  mesh = loadMesh({ root });
});
afterAll(() => removeTempProject(root));

const statementsOf = (id: string): PolicyStatementJson[] => {
  const [d, p] = id.split('/');
  return fillPlaceholders(productRuntimeInputStatements(mesh, findProduct(mesh, d, p)!), VALUES);
};
const objectsOf = (id: string) => statementsOf(id).find((s) => s.Sid === 'ReadInputObjects')?.Resource;

describe('productRuntimeInputStatements', () => {
  test.each<[string, string, string[]]>([
    ['no inputs', 'hub/a', []],
    ['one input, another domain’s', 'x/xb', [`${bucket('hub')}/products/a/v1/*`]],
    [
      'three inputs, one in its own domain',
      'z/zr',
      [`${bucket('hub')}/products/m/v1/*`, `${bucket('x')}/products/xs/v1/*`, `${bucket('z')}/products/zs/v1/*`],
    ],
    // xb and xn share a domain; each role gets its own product's inputs only.
    ['never another product’s input', 'x/xn', [`${bucket('hub')}/products/c/v1/*`]],
  ])('%s (%s)', (_, id, objects) => {
    if (objects.length === 0) {
      expect(statementsOf(id)).toEqual([]);
      return;
    }
    expect(objectsOf(id)).toEqual(objects);
    const [d, p] = id.split('/');
    expect(productInputReads(mesh, findProduct(mesh, d, p)!).map((r) => `${r.product.id}@${r.major}`)).toHaveLength(
      objects.length,
    );
  });

  test('the same statement shapes as a domain’s input grants: listing, catalog, bucket location, decrypt through S3', () => {
    const statements = statementsOf('z/zr');
    expect(statements.map((s) => s.Sid ?? s.Action)).toEqual([
      'ReadInputObjects',
      'ReadInputCatalog',
      'LocateInputBuckets',
      's3:ListBucket',
      'DecryptInputsViaS3',
    ]);
    expect(statements.find((s) => s.Sid === 'ReadInputCatalog')?.Resource).toEqual([
      'arn:aws:glue:eu-west-1:111111111111:catalog',
      'arn:aws:glue:eu-west-1:111111111111:database/acme_hub',
      'arn:aws:glue:eu-west-1:111111111111:database/acme_x',
      'arn:aws:glue:eu-west-1:111111111111:database/acme_z',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_hub/m_v1',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_x/xs_v1',
      'arn:aws:glue:eu-west-1:111111111111:table/acme_z/zs_v1',
    ]);
    expect(statements.find((s) => s.Sid === 'DecryptInputsViaS3')?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/acme/hub', 'alias/acme/x', 'alias/acme/z'] },
    });
    // Placeholders are left for the stack to fill, as in the domain's input grants.
    expect(JSON.stringify(productRuntimeInputStatements(mesh, findProduct(mesh, 'z', 'zr')!))).toContain('{partition}');
  });

  test('only a build reads inputs', () => {
    expect(isBuilt(findProduct(mesh, 'x', 'xb')!)).toBe(true);
    expect(isBuilt(findProduct(mesh, 'x', 'xn')!)).toBe(false);
  });
});

describe('fences admit execution roles', () => {
  const hub = () => findDomain(mesh, 'hub')!;
  const fence = () => fillPlaceholders(bucketFenceStatements(mesh, hub()), VALUES);
  const bySid = (sid: string) => fence().find((s) => s.Sid === sid);

  test('a domain’s execution roles are matched by a pattern only its own roles can carry', () => {
    expect(fillPlaceholders(executionRolePattern(mesh, 'hub'), VALUES)).toBe(role('hub.run.*'));
    expect(fillPlaceholders(meshRolePatterns(mesh.config), VALUES)).toContain('arn:aws:iam::*:role/acme-*.run.*');
  });

  test('the owner’s execution roles write its bucket and read everything in it', () => {
    expect(bySid('DenyWritesOutsideProducer')?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [role('hub-producer'), role('hub.run.*')] },
    });
    expect(bySid('DenyReadsOutsideDomain')?.Condition?.ArnNotLike).toEqual({
      'aws:PrincipalArn': [role('hub-producer'), role('hub-consumer'), role('hub.run.*')],
    });
  });

  test('a consumer domain’s roles and execution roles pass a shared product’s fence from the contract alone', () => {
    const readers = fence()
      .filter((s) => s.Sid?.startsWith('DenyReadsOutsideConsumers'))
      .map((s) => [s.Resource, s.Condition?.ArnNotLike['aws:PrincipalArn']]);
    const own = [role('hub-producer'), role('hub-consumer'), role('hub.run.*')];
    // Whether a consumer's runs read the product does not matter: its roles' own policies decide that.
    expect(readers).toEqual([
      [
        [bucket('hub'), `${bucket('hub')}/products/c/*`],
        [...own, role('x-????u?er'), role('x.run.*')],
      ],
      [
        [bucket('hub'), `${bucket('hub')}/products/a/*`],
        [...own, role('x-????u?er'), role('x.run.*'), role('y-????u?er'), role('y.run.*')],
      ],
    ]);
  });

  test('the key lets the runtime readers decrypt and only the owner’s execution roles encrypt', () => {
    const [decrypt, encrypt, outsideData] = fillPlaceholders(keyFenceStatements(mesh, hub()), VALUES);
    const readers = decrypt.Condition?.ArnNotLike['aws:PrincipalArn'];
    expect(readers).toEqual(expect.arrayContaining([role('hub.run.*'), 'arn:aws:iam::*:role/acme-*.run.*']));
    expect(encrypt.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [role('hub-producer'), role('hub-consumer'), role('hub.run.*')] },
    });
    expect(outsideData.Condition?.ArnNotLike['aws:PrincipalArn']).toContain(role('hub.run.*'));
    expect(JSON.stringify([decrypt, encrypt, outsideData])).not.toContain('y.run.');
  });
});
