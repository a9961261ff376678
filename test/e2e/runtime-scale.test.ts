/**
 * 400 products in one domain, each with a runtime (a build or a scheduled check), stay within CloudFormation's
 * and the runtime services' quotas: resources per stack (parent and nested shards), template size, state
 * machine definition size and name lengths.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDomainStacks } from '../../constructs/mesh-app';
import { readCdkContext } from '../../lib/mesh/config';
import { loadMesh } from '../../lib/mesh/load';
import { MAX_RESOURCES_PER_STACK } from '../../lib/mesh/stack-layout';
import { RUNTIME_NAME_LIMITS } from '../../lib/runtime/names';
import { writeSyntheticMesh } from '../bench/synthetic-mesh';
import { PROJECT_ROOT } from '../support/temp-project';

const PRODUCTS = 400;
/** CloudFormation's template body limit when deployed from S3 (the CDK uploads templates as assets). */
const MAX_TEMPLATE_BYTES = 1_000_000;
/** Step Functions' limit on a state machine definition. */
const MAX_DEFINITION_BYTES = 1_048_576;

describe(`${PRODUCTS} products that run, in one domain`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-runtime-scale-'));
  writeSyntheticMesh(dir, {
    domains: 2,
    productsPerDomain: PRODUCTS,
    inputsPerProduct: 1,
    inputPool: 20,
    builds: true,
  });
  const mesh = loadMesh({ root: dir, domains: ['domain_001'] });
  const app = new App({ context: { ...readCdkContext(PROJECT_ROOT), mesh: { prefix: 'bench' } } });
  addDomainStacks(app, mesh, { onlyDomain: 'domain_001', governance: false });
  const assembly = app.synth({ validateOnSynthesis: false });
  const templates = fs
    .readdirSync(assembly.directory)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(assembly.directory, f), 'utf8') }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every product has its state machine, schedule and role, spread over nested stacks', () => {
    const count = (type: string) =>
      templates.reduce(
        (sum, t) =>
          sum +
          Object.values(JSON.parse(t.text).Resources as Record<string, { Type: string }>).filter((r) => r.Type === type)
            .length,
        0,
      );
    expect(count('AWS::StepFunctions::StateMachine')).toBe(PRODUCTS);
    expect(count('AWS::Scheduler::Schedule')).toBe(PRODUCTS);
    // One execution role per product, plus the domain's scheduler, producer and consumer roles.
    expect(count('AWS::IAM::Role')).toBe(PRODUCTS + 3);
    expect(templates.length).toBeGreaterThan(2);
  });

  test('each template stays under the resource and size limits', () => {
    for (const { file, text } of templates) {
      const resources = Object.keys(JSON.parse(text).Resources).length;
      expect({ file, ok: resources <= MAX_RESOURCES_PER_STACK }).toEqual({ file, ok: true });
      expect({ file, ok: Buffer.byteLength(text) <= MAX_TEMPLATE_BYTES }).toEqual({ file, ok: true });
    }
  });

  test('definitions and names fit the runtime services', () => {
    for (const { text } of templates) {
      const resources = Object.values(JSON.parse(text).Resources) as {
        Type: string;
        Properties: Record<string, unknown>;
      }[];
      for (const resource of resources) {
        if (resource.Type === 'AWS::StepFunctions::StateMachine') {
          expect(Buffer.byteLength(JSON.stringify(resource.Properties.DefinitionString))).toBeLessThan(
            MAX_DEFINITION_BYTES,
          );
          expect(String(resource.Properties.StateMachineName).length).toBeLessThanOrEqual(
            RUNTIME_NAME_LIMITS.stateMachine,
          );
        }
        if (resource.Type === 'AWS::IAM::Role') {
          expect(String(resource.Properties.RoleName).length).toBeLessThanOrEqual(RUNTIME_NAME_LIMITS.role);
        }
      }
    }
  });
});
