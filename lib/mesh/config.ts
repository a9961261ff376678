/**
 * Mesh-wide settings owned by the platform team, read from the `mesh` key of cdk.json's context so the CDK
 * app and the `mesh` CLI agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export const MeshConfigSchema = z.strictObject({
  /** Prefix of every physical name (buckets, roles, databases); short, lowercase. */
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,11}$/, { message: 'must be 2-12 lowercase letters or digits, starting with a letter' }),
  /** Folder holding one folder per domain. */
  domainsDir: z.string().default('domains'),
});
export type MeshConfig = z.infer<typeof MeshConfigSchema>;

export const DEFAULT_MESH_CONFIG: MeshConfig = { prefix: 'mesh', domainsDir: 'domains' };

/** Reads cdk.json in the project root; defaults when the file or key is absent. */
export function readMeshConfig(projectRoot: string): MeshConfig {
  const file = path.join(projectRoot, 'cdk.json');
  if (!fs.existsSync(file)) return DEFAULT_MESH_CONFIG;
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: { mesh?: unknown } };
  const parsed = MeshConfigSchema.safeParse(raw.context?.mesh ?? DEFAULT_MESH_CONFIG);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'mesh'}: ${i.message}`).join('; ');
    throw new Error(`cdk.json:context.mesh: ${details}`);
  }
  return parsed.data;
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
