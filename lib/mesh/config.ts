/**
 * Mesh-wide settings owned by the platform team, read from the `mesh` key of cdk.json's context so the CDK
 * app and the `mesh` CLI agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { STAGE_ENV } from './stage-env';

const PREFIX = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,11}$/, { message: 'must be 2-12 lowercase letters or digits, starting with a letter' });

/** A stage's name: part of stack names (`Mesh-Dev-Sales`), so short and lowercase. */
export const STAGE_NAME = /^[a-z][a-z0-9]{0,9}$/;

export const StageSchema = z.strictObject({
  /** Prefix of every physical name in this stage; replaces the mesh's `prefix`, so stages never share a name. */
  prefix: PREFIX,
  /**
   * Every AWS account of the stage. A domain may only live in one of them, and a mesh-visible product is
   * readable from exactly these accounts: no account outside the list gets an allow.
   */
  accounts: z
    .array(z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }))
    .min(1, { message: 'a stage needs at least one account' }),
});

export const MeshConfigSchema = z
  .strictObject({
    /** Prefix of every physical name (buckets, roles, databases); short, lowercase. */
    prefix: PREFIX,
    /** Folder holding one folder per domain. */
    domainsDir: z.string().default('domains'),
    /**
     * Copies of the mesh (e.g. `dev`, `prod`), each with its own prefix; every domain then says in which account
     * and region it lives per stage (`accounts` in domain.ts). Absent: one copy, placed by each domain's `env`.
     */
    stages: z.record(z.string(), StageSchema).optional(),
    /** Stage synthesized when none is chosen (`-c stage=…`, `mesh --stage …`); without it a stage must be chosen. */
    defaultStage: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    const stages = Object.keys(config.stages ?? {});
    for (const name of stages.filter((s) => !STAGE_NAME.test(s))) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', name],
        message: 'stage names are 1-10 lowercase letters or digits, starting with a letter',
      });
    }
    if (config.stages && stages.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'names no stage; remove it or add one' });
    }
    if (config.defaultStage !== undefined && !stages.includes(config.defaultStage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultStage'],
        message: `"${config.defaultStage}" is not a stage (${stages.length ? `stages: ${stages.join(', ')}` : 'no stages are defined'})`,
      });
    }
    const byPrefix = new Map<string, string>();
    for (const [name, stage] of Object.entries(config.stages ?? {})) {
      const twin = byPrefix.get(stage.prefix);
      if (twin) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', name, 'prefix'],
          message: `"${stage.prefix}" is also stage ${twin}'s prefix: stages in one account would share bucket, role and table names`,
        });
      } else byPrefix.set(stage.prefix, name);
    }
  });

/** Mesh settings as one synth sees them: with stages, the chosen stage and its prefix. */
export type MeshConfig = z.infer<typeof MeshConfigSchema> & {
  /** The stage this synth or command is for; undefined when the mesh has no stages. */
  readonly stage?: string;
};

export const DEFAULT_MESH_CONFIG: MeshConfig = { prefix: 'mesh', domainsDir: 'domains' };

export { STAGE_ENV };

/**
 * Reads cdk.json in the project root; defaults when the file or key is absent. With stages, `stage` (else
 * `MESH_STAGE`, else `defaultStage`) chooses one, and its prefix becomes the prefix of every name.
 */
export function readMeshConfig(projectRoot: string, stage: string | undefined = process.env[STAGE_ENV]): MeshConfig {
  const file = path.join(projectRoot, 'cdk.json');
  const raw = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: { mesh?: unknown } })
    : {};
  const parsed = MeshConfigSchema.safeParse(raw.context?.mesh ?? DEFAULT_MESH_CONFIG);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'mesh'}: ${i.message}`).join('; ');
    throw new Error(`cdk.json:context.mesh: ${details}`);
  }
  return chooseStage(parsed.data, stage || undefined);
}

/** The configuration of one stage of `config`; the configuration itself for a mesh without stages. */
export function chooseStage(config: z.infer<typeof MeshConfigSchema>, stage: string | undefined): MeshConfig {
  const stages = Object.keys(config.stages ?? {});
  if (stages.length === 0) {
    if (stage !== undefined) {
      throw new Error(`stage "${stage}": this mesh has no stages (cdk.json:context.mesh.stages is not set)`);
    }
    return config;
  }
  const chosen = stage ?? config.defaultStage;
  if (chosen === undefined) {
    throw new Error(
      `this mesh has stages (${stages.join(', ')}): choose one with -c stage=<name> (cdk) or --stage <name> (mesh), or set cdk.json:context.mesh.defaultStage`,
    );
  }
  const settings = config.stages?.[chosen];
  if (!settings) throw new Error(`stage "${chosen}": no such stage (stages: ${stages.join(', ')})`);
  return { ...config, prefix: settings.prefix, stage: chosen };
}

/**
 * The whole `context` of the project's cdk.json (feature flags included), for apps built outside the CDK CLI
 * — tests and benchmarks — so they synthesize exactly what `cdk synth` does.
 */
export function readCdkContext(projectRoot: string): Record<string, unknown> {
  const file = path.join(projectRoot, 'cdk.json');
  if (!fs.existsSync(file)) return {};
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}
