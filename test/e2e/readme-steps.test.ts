/**
 * The README's first path, run as written: the newcomer steps between the `newcomer-steps` markers, with
 * the sample product from the README as step 2, in a fresh copy of the project under git. Every command
 * must succeed, and the sample product must synthesize without errors or warnings.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExampleProject, PROJECT_ROOT } from '../support/temp-project';

const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The commands of the newcomer steps, comments and the fill-in step left out. */
function readmeCommands(): string[] {
  const block = README.split('<!-- newcomer-steps -->')[1]?.split('<!-- /newcomer-steps -->')[0] ?? '';
  return block
    .split('\n')
    .filter((line) => line.startsWith('npx '))
    .map((line) => line.replace(/\s+#.*$/, '').trim());
}

/** The README's sample product: the first TypeScript block after the steps. */
function readmeProduct(): { file: string; source: string } {
  const after = README.split('<!-- /newcomer-steps -->')[1] ?? '';
  const source = /```ts\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
  const file = /^\/\/ (domains\/\S+\.ts)/.exec(source)?.[1] ?? '';
  return { file, source };
}

function run(cwd: string, command: string) {
  const [tool, ...args] = command.replace(/^npx /, '').split(/\s+/);
  const bin =
    tool === 'mesh' ? path.join(cwd, 'bin', 'mesh.cjs') : path.join(PROJECT_ROOT, 'node_modules', '.bin', tool);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
  const argv = tool === 'mesh' ? [bin, ...args] : args;
  const result = spawnSync(tool === 'mesh' ? process.execPath : bin, argv, { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(cwd: string, ...args: string[]) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

test("the README's steps to add a product work as written", () => {
  const commands = readmeCommands();
  expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
    'npx mesh new',
    'npx mesh contract',
    'npx mesh validate',
    'npx cdk synth',
    'npx mesh diff',
  ]);
  const product = readmeProduct();
  expect(product.file).toBe('domains/sales/products/refunds.ts');

  const root = copyExampleProject();
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, '-c', 'user.name=mesh', '-c', 'user.email=mesh@example.com', 'commit', '-q', '-m', 'base');

  const [scaffold, ...rest] = commands;
  const created = run(root, scaffold);
  expect(created).toMatchObject({ code: 0 });
  expect(fs.existsSync(path.join(root, product.file))).toBe(true);
  // Step 2: fill in the file.
  fs.writeFileSync(path.join(root, product.file), product.source);

  for (const command of rest) {
    const result = run(root, command);
    if (result.code !== 0) throw new Error(`${command} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    if (command.includes('validate')) expect(result.stdout).toContain('sales/refunds');
    if (command.includes('cdk synth')) {
      // No error and no warning for the new product.
      expect(result.stderr).toMatch(/Mesh-Sales: .* 0 errors, 0 warnings/);
    }
    if (command.includes('mesh diff')) expect(result.stdout).toMatch(/Refunds/);
  }
});
