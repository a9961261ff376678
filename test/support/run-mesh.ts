/** The `mesh` CLI run as a user runs it: a child process from the project root, its output collected. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from './temp-project';

export interface MeshRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mesh <args>` with the environment extended by `env`. */
export function runMesh(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<MeshRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'mesh.cjs'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
