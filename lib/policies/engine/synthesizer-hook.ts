/**
 * The one aws-cdk-lib internal governance relies on, isolated here and pinned by
 * test/policies/synthesizer-hook.test.ts against the aws-cdk-lib the project pins (2.276).
 *
 * Every built-in stack synthesizer writes the stack's template (after its nested stacks' templates), then
 * calls its protected `emitArtifact`, which records the artifact together with the annotations of the
 * stack's constructs. Running the engine in between lets it read exactly what will be deployed and still
 * turn findings into annotations of that stack alone, so an error blocks `cdk synth`/`cdk deploy` of its
 * own stack and no other.
 *
 * Why not the public validation plugins (`policyValidationBeta1`): they run once for the whole app after
 * every artifact is recorded, so they can no longer annotate a stack, and one failing report fails the
 * synthesis of the whole app — one domain's error would block every domain's deploy.
 */
import type { ISynthesisSession, Stack } from 'aws-cdk-lib';

/** The protected hook every built-in stack synthesizer calls after writing the template. */
type EmitArtifact = (session: ISynthesisSession, options?: unknown) => void;

/**
 * Calls `callback` with the assembly folder once the stack's templates (its own and its nested stacks') are
 * written and before its artifact and annotations are recorded, on every synthesis of the stack.
 */
export function onTemplatesWritten(stack: Stack, callback: (outdir: string) => void): void {
  const synthesizer = stack.synthesizer as unknown as { emitArtifact?: EmitArtifact };
  const emit = synthesizer.emitArtifact;
  if (typeof emit !== 'function') {
    throw new Error(
      `governance of ${stack.node.path} needs a stack synthesizer derived from StackSynthesizer (found ${synthesizer.constructor.name}); lib/policies/engine/synthesizer-hook.ts hooks its emitArtifact`,
    );
  }
  synthesizer.emitArtifact = (session, options) => {
    callback(session.outdir);
    emit.call(synthesizer, session, options);
  };
}
