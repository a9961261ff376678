/**
 * The one aws-cdk-lib internal governance uses (lib/policies/engine/synthesizer-hook.ts), pinned against the
 * aws-cdk-lib the project pins: the hook runs once the stack's templates and its nested stacks' templates
 * are written, before the stack's artifact is recorded, so an annotation added there lands on that stack
 * alone. And why the public validation plugins cannot replace it: a failing plugin fails the whole app.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Annotations,
  App,
  CfnResource,
  type IPolicyValidationPlugin,
  NestedStack,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { onTemplatesWritten } from '../../lib/policies/engine/synthesizer-hook';

const CDK_LIB_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }
).version;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-hook-'));
}

function appWithTwoStacks(outdir: string) {
  const app = new App({ outdir });
  const governed = new Stack(app, 'Governed');
  new CfnResource(governed, 'Topic', { type: 'AWS::SNS::Topic' });
  const nested = new NestedStack(governed, 'Shard');
  new CfnResource(nested, 'Queue', { type: 'AWS::SQS::Queue' });
  const other = new Stack(app, 'Other');
  new CfnResource(other, 'Topic', { type: 'AWS::SNS::Topic' });
  return { app, governed, nested, other };
}

describe('synthesizer hook (aws-cdk-lib internal)', () => {
  test('is written against aws-cdk-lib 2.276, the version package.json pins', () => {
    // A new aws-cdk-lib may move emitArtifact: re-run this file and read the hook before changing the pin.
    expect(CDK_LIB_VERSION).toBe('2.276.0');
  });

  test('runs after the stack and nested templates are written, before the artifact records annotations', () => {
    const outdir = tempDir();
    const { app, governed, nested } = appWithTwoStacks(outdir);
    const seen: { outdir: string; own: boolean; nested: boolean }[] = [];
    onTemplatesWritten(governed, (dir) => {
      seen.push({
        outdir: dir,
        own: fs.existsSync(path.join(dir, governed.templateFile)),
        nested: fs.existsSync(path.join(dir, nested.templateFile)),
      });
      Annotations.of(governed).addError('added by the hook');
    });
    const assembly = app.synth();
    expect(seen).toEqual([{ outdir: assembly.directory, own: true, nested: true }]);
    const messages = (id: string) => assembly.getStackArtifact(id).messages.map((m) => String(m.entry.data));
    expect(messages('Governed')).toEqual(['added by the hook']);
    // The other stack's artifact carries nothing: the error blocks only the governed stack.
    expect(messages('Other')).toEqual([]);
  });

  test('refuses a synthesizer without emitArtifact, naming the module', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'Custom', {
      synthesizer: { bootstrapQualifier: undefined, bind: () => {}, synthesize: () => {} } as never,
    });
    expect(() => onTemplatesWritten(stack, () => {})).toThrow(
      /governance of Custom needs a stack synthesizer derived from StackSynthesizer .*synthesizer-hook\.ts/,
    );
  });

  test('a failing validation plugin (the public alternative) fails the synthesis of every stack', () => {
    const calls: string[][] = [];
    const failOnGoverned: IPolicyValidationPlugin = {
      name: 'fails-on-governed',
      validate: (context) => {
        calls.push(context.templatePaths.map((p) => path.basename(p)).sort());
        return {
          success: false,
          violations: [
            {
              ruleName: 'governed-only',
              description: 'an error in one stack',
              severity: 'error',
              violatingResources: [
                { resourceLogicalId: 'Topic', templatePath: context.templatePaths[0], locations: ['Properties'] },
              ],
            },
          ],
        };
      },
    };
    const { app } = appWithTwoStacks(tempDir());
    Validations.of(app).addPlugins(failOnGoverned);
    // One call for all stacks, after every artifact is recorded (too late to annotate one stack); one
    // failure fails the synthesis of the app, so it would block every domain's deploy.
    expect(() => app.synth()).toThrow(/an error in one stack/);
    expect(calls).toEqual([['Governed.template.json', 'Other.template.json']]);
  });
});
