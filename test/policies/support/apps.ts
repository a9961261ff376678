/**
 * Apps for policy tests: the project's feature flags (as `cdk synth` has them), validation findings
 * recorded instead of thrown (as under the CDK CLI), and helpers to read the engine's annotations.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import type { DomainStack } from '../../../constructs/domain-stack';
import { addDomainStacks, MESH_TREE_METADATA, meshSynthContext } from '../../../constructs/mesh-app';
import { readCdkContext } from '../../../lib/mesh/config';
import { loadMesh } from '../../../lib/mesh/load';
import type { Mesh } from '../../../lib/mesh/model';
import type { GovernanceOptions } from '../../../lib/policies';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
/** A fixed day, so expiry and date rules do not depend on when the tests run. */
export const TODAY = '2026-06-01';

export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    treeMetadata: MESH_TREE_METADATA,
    context: {
      ...readCdkContext(PROJECT_ROOT),
      ...meshSynthContext(),
      // Annotation errors are reported in the manifest (as under the CDK CLI), not thrown by synth.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...context,
    },
  });
}

let example: Mesh | undefined;

/** The example mesh under domains/ (loaded once per test file). */
export function exampleMesh(): Mesh {
  example ??= loadMesh({ root: PROJECT_ROOT });
  return example;
}

/** An app with one governed stack per domain of the mesh. Contract checks are off unless asked for. */
export function governedApp(
  mesh: Mesh,
  governance: GovernanceOptions = {},
  context: Record<string, unknown> = {},
): { app: App; stacks: Map<string, DomainStack> } {
  const app = testApp(context);
  const stacks = addDomainStacks(app, mesh, { governance: { today: TODAY, sources: [], ...governance } });
  return { app, stacks: new Map(stacks.map((s) => [s.domain.name, s])) };
}

export type Level = 'error' | 'warning' | 'info';

// Annotations.fromStack synthesizes the whole app every call; tests read each stack's messages once.
const annotationsCache = new WeakMap<DomainStack, Annotations>();

function annotationsOf(stack: DomainStack): Annotations {
  let annotations = annotationsCache.get(stack);
  if (!annotations) {
    annotations = Annotations.fromStack(stack);
    annotationsCache.set(stack, annotations);
  }
  return annotations;
}

/** Messages of one rule on a stack, at constructs whose path starts with `pathPrefix` (e.g. `/Mesh-Sales/X`). */
export function messagesOf(stack: DomainStack, level: Level, ruleId: string, pathPrefix = '/'): SynthesisMessage[] {
  const annotations = annotationsOf(stack);
  const pattern = Match.stringLikeRegexp(`^\\[${ruleId.replace(/-/g, '\\-')}[\\[\\]]`);
  const found =
    level === 'error'
      ? annotations.findError('*', pattern)
      : level === 'warning'
        ? annotations.findWarning('*', pattern)
        : annotations.findInfo('*', pattern);
  return found.filter(
    (m) => m.id === pathPrefix || m.id.startsWith(pathPrefix.endsWith('/') ? pathPrefix : `${pathPrefix}/`),
  );
}

/** Every engine message (any rule, any level) on a stack under a path. */
export function allMessages(stack: DomainStack, pathPrefix: string): SynthesisMessage[] {
  const annotations = annotationsOf(stack);
  const pattern = Match.stringLikeRegexp('^\\[MESH-');
  return [
    ...annotations.findError('*', pattern),
    ...annotations.findWarning('*', pattern),
    ...annotations.findInfo('*', pattern),
  ].filter((m) => m.id === pathPrefix || m.id.startsWith(`${pathPrefix}/`));
}

export function text(message: SynthesisMessage): string {
  return String(message.entry.data);
}
