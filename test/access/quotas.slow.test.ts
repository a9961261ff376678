import { ACCESS_LIMITS, checkAccessQuotas, planDomainAccess } from '../../lib/access/quotas';
import { loadMesh } from '../../lib/mesh/load';
import { findDomain, type Mesh } from '../../lib/mesh/model';
import { identityPolicyBlowingMesh } from './support/quota-meshes';
import { writeScaleMesh } from './support/scale-mesh';
import { PROJECT_ROOT } from './support/synth-mesh';
import { domain, product, removeTempProject, writeTempProject } from './support/temp-project';

describe('access policies sized against AWS quotas', () => {
  test('the example mesh is far from every quota', () => {
    const mesh = loadMesh({ root: PROJECT_ROOT });
    expect(checkAccessQuotas(mesh)).toEqual([]);
    for (const domain of mesh.domains) {
      const plan = planDomainAccess(mesh, domain);
      expect(plan.inputPolicies.length).toBeLessThanOrEqual(1);
      expect(plan.sizes.bucketPolicyBytes).toBeLessThan(ACCESS_LIMITS.bucketPolicyBytes / 4);
      expect(plan.sizes.largestExecutionPolicyChars).toBeLessThan(ACCESS_LIMITS.roleInlineChars);
    }
    expect(planDomainAccess(mesh, findDomain(mesh, 'marketing')!).sizes.largestExecutionPolicyChars).toBeGreaterThan(0);
  });

  test('a build reading inputs from 30 domains is reported on its product file: its execution role’s inline policy would not fit', () => {
    const producers = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const inputs = producers.map((d) => `${d}/${d}_t@1`);
    const root = writeTempProject([
      ...producers.map((d) => ({ definition: domain(d), products: [product(`${d}_t`)] })),
      {
        definition: domain('lake'),
        products: [
          product('everything', {
            access: { visibility: 'domain' },
            inputs,
            schema: {
              format: 'iceberg',
              columns: [
                { name: 'id', type: 'string', description: 'Row key.', required: true, primaryKey: true },
                { name: 'amount', type: 'decimal(12,2)', description: 'An amount.' },
              ],
            },
            build: {
              sql: inputs.map((i) => `SELECT id, amount FROM {input:${i}}`).join(' UNION ALL '),
              schedule: 'rate(1 day)',
              mode: 'full-refresh',
            },
          }),
        ],
      },
    ]);
    try {
      const problems = checkAccessQuotas(loadMesh({ root }));
      expect(problems).toEqual([
        expect.objectContaining({
          file: 'domains/lake/products/everything.ts',
          path: 'inputs',
          message: expect.stringMatching(
            /^the execution role of lake\/everything would carry \d{5} characters of inline policy for its 30 inputs and its own prefixes; IAM allows 10240 per role/,
          ),
        }),
      ]);
    } finally {
      removeTempProject(root);
    }
  });

  describe('at scale: a consumer of 150 inputs, a product of 100 consumer domains', () => {
    let root: string;
    let mesh: Mesh;
    beforeAll(() => {
      root = writeScaleMesh();
      mesh = loadMesh({ root });
    });
    afterAll(() => removeTempProject(root));

    test('the 150 inputs fit in at most 10 managed policies of at most 6,144 characters, worst-case rendered', () => {
      const plan = planDomainAccess(mesh, findDomain(mesh, 'lake')!);
      expect(plan.inputCount).toBe(150);
      expect(plan.producerCount).toBe(100);
      expect(plan.inputPolicies.length).toBeLessThanOrEqual(ACCESS_LIMITS.managedPoliciesPerRole);
      expect(plan.sizes.largestInputPolicyChars).toBeLessThanOrEqual(ACCESS_LIMITS.managedPolicyChars);
      expect(plan.problems).toEqual([]);
    });

    test('the product shared with 100 domains keeps the bucket policy under 20 KB and the key policy under 32 KB', () => {
      const plan = planDomainAccess(mesh, findDomain(mesh, 'hub')!);
      expect(plan.sizes.bucketPolicyBytes).toBeLessThan(ACCESS_LIMITS.bucketPolicyBytes);
      expect(plan.sizes.keyPolicyBytes).toBeLessThan(ACCESS_LIMITS.keyPolicyBytes);
    });

    test('no domain of the scale mesh exceeds a quota', () => {
      expect(checkAccessQuotas(mesh)).toEqual([]);
    });
  });

  test('when all 100 consumer domains build from the product, the bucket policy stays under 20 KB: two patterns per consumer domain', () => {
    const root = writeScaleMesh({ builds: 100 });
    try {
      const mesh = loadMesh({ root });
      expect(checkAccessQuotas(mesh)).toEqual([]);
      const plan = planDomainAccess(mesh, findDomain(mesh, 'hub')!);
      expect(plan.sizes.bucketPolicyBytes).toBeLessThan(ACCESS_LIMITS.bucketPolicyBytes);
    } finally {
      removeTempProject(root);
    }
  });

  test('a domain with 240 mesh-visible products fits: the private fence then names its private products instead', () => {
    const products = [
      ...Array.from({ length: 240 }, (_, i) => product(`shared_${String(i).padStart(3, '0')}`)),
      ...Array.from({ length: 5 }, (_, i) => product(`private_${i}`, { access: { visibility: 'domain' } })),
    ];
    const root = writeTempProject([{ definition: domain('big'), products }]);
    try {
      const mesh = loadMesh({ root });
      const plan = planDomainAccess(mesh, findDomain(mesh, 'big')!);
      expect(plan.problems).toEqual([]);
      expect(plan.sizes.bucketPolicyBytes).toBeLessThan(5_000);
      const privateFence = plan.bucketFence.find((s) => s.Sid === 'DenyReadsOutsideDomain');
      expect(privateFence?.NotResource).toBeUndefined();
      expect(JSON.stringify(privateFence?.Resource)).toContain('products/private_4/');
    } finally {
      removeTempProject(root);
    }
  });

  test('a consumer reading 450 versions is reported with the number of policies it needs and the limit', () => {
    const root = writeTempProject(identityPolicyBlowingMesh());
    try {
      const mesh = loadMesh({ root });
      const problems = checkAccessQuotas(mesh);
      expect(problems).toHaveLength(1);
      expect(problems[0].file).toBe('domains/lake/domain.ts');
      expect(problems[0].message).toMatch(
        /^the 450 inputs of domain "lake" \(product versions of 30 other domains\) need \d\d managed policies of at most 6144 characters on each of its roles; IAM attaches at most 10 to a role/,
      );
    } finally {
      removeTempProject(root);
    }
  });
});
