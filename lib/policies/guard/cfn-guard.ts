/**
 * Runs the real `cfn-guard` binary (3.x, shipped by the devDependency @cdklabs/cdk-validator-cfnguard) over
 * templates and reads its JSON report, so the deploy-time rules are tested offline with the engine the Guard
 * Hook runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GUARD_RULES_DIR, platformRuleId } from './catalogue';

const PACKAGE = '@cdklabs/cdk-validator-cfnguard';
/** cfn-guard's exit codes: 0 every rule passed or was skipped, 19 a rule failed; anything else is an error. */
const EXIT_PASS = 0;
const EXIT_FAIL = 19;

export interface GuardFailure {
  /** Platform rule id (MESH-S3-001), or the Guard rule's own name for a rule outside the catalogue. */
  readonly ruleId: string;
  /** Guard rule name as cfn-guard reports it (MESH_S3_001). */
  readonly guardRule: string;
  /** The rule's custom messages (id, title, fix), whitespace collapsed. */
  readonly messages: readonly string[];
  /** Logical ids of the template resources the failing clauses point at. */
  readonly resources: readonly string[];
}

export interface GuardFileResult {
  /** The data file as passed in. */
  readonly file: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly failures: readonly GuardFailure[];
  /** Guard rule names that passed / were not applicable. */
  readonly passed: readonly string[];
  readonly skipped: readonly string[];
}

export interface GuardRunOptions {
  /** Data files (JSON or YAML templates, or Guard Hook inputs). */
  readonly data: readonly string[];
  /** A rules file or folder. @default GUARD_RULES_DIR, the platform's deploy-time rules */
  readonly rules?: string;
}

/** The cfn-guard binary for this machine, made executable if the package manager dropped the bit. */
export function cfnGuardBinary(): string {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    throw new Error(`cfn-guard: package ${PACKAGE} is not installed; install the dev dependencies (npm ci)`);
  }
  const platform = { linux: 'ubuntu', darwin: 'macos' }[os.platform() as string];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[os.arch() as string];
  if (!platform || !arch) {
    throw new Error(
      `cfn-guard: ${PACKAGE} ships binaries for linux and macOS on x64 and arm64, not ${os.platform()} ${os.arch()}`,
    );
  }
  const binary = path.join(packageDir, 'bin', platform, arch, 'cfn-guard');
  if (!fs.existsSync(binary)) throw new Error(`cfn-guard: ${binary} is missing; reinstall ${PACKAGE} (npm ci)`);
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    fs.chmodSync(binary, 0o755);
  }
  return binary;
}

/** Validates each data file against the rules; throws when cfn-guard cannot read a rule or data file. */
export function runGuard(options: GuardRunOptions): GuardFileResult[] {
  if (options.data.length === 0) return [];
  const rules = options.rules ?? GUARD_RULES_DIR;
  const args = ['validate', '--rules', rules, '--output-format', 'json', '--show-summary', 'none', '--structured'];
  for (const file of options.data) args.push('--data', file);
  const run = spawnSync(cfnGuardBinary(), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`cfn-guard: could not run: ${run.error.message}`);
  // A rule file that does not parse is reported on stderr while the others still run: never a silent pass.
  if ((run.status !== EXIT_PASS && run.status !== EXIT_FAIL) || run.stderr.trim() !== '') {
    throw new Error(`cfn-guard validate --rules ${rules} failed (exit ${run.status}): ${firstLines(run.stderr)}`);
  }
  const reports = JSON.parse(run.stdout) as RawReport[];
  return options.data.map((file) => {
    const report = reports.find((r) => r.name === file || path.resolve(r.name) === path.resolve(file));
    if (!report) throw new Error(`cfn-guard: no result for ${file}`);
    return toResult(file, report);
  });
}

interface RawReport {
  readonly name: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly not_compliant: readonly { readonly Rule?: RawRule }[];
  readonly not_applicable: readonly string[];
  readonly compliant: readonly string[];
}

interface RawRule {
  readonly name: string;
}

function toResult(file: string, report: RawReport): GuardFileResult {
  const resourceIds = templateResourceIds(file);
  const byRule = new Map<string, { messages: Set<string>; resources: Set<string> }>();
  for (const entry of report.not_compliant) {
    const rule = entry.Rule;
    if (!rule) continue;
    const collected = byRule.get(rule.name) ?? { messages: new Set<string>(), resources: new Set<string>() };
    byRule.set(rule.name, collected);
    collect(rule, resourceIds, collected);
  }
  const failures = [...byRule].map(([guardRule, { messages, resources }]) => ({
    ruleId: platformRuleId(guardRule) ?? guardRule,
    guardRule,
    messages: [...messages],
    resources: [...resources].sort(),
  }));
  return {
    file,
    status: report.status,
    failures,
    passed: [...report.compliant],
    skipped: [...report.not_applicable],
  };
}

/** Walks a failing rule's report: custom messages, and resources named by paths or by logical-id values. */
function collect(
  node: unknown,
  resourceIds: ReadonlySet<string>,
  into: { messages: Set<string>; resources: Set<string> },
) {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, resourceIds, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'custom_message' && typeof value === 'string' && value.trim() !== '') {
      into.messages.add(value.replace(/\s+/g, ' ').trim());
    } else if (key === 'path' && typeof value === 'string') {
      const id = /^\/Resources\/([^/]+)/.exec(value)?.[1];
      if (id && (resourceIds.size === 0 || resourceIds.has(id))) into.resources.add(id);
    } else if (key === 'value') {
      // Either a report node or template data, which is not walked. Clauses over logical
      // ids (a bucket without a TLS policy) report the failing id as the compared value.
      if (typeof value === 'string' && resourceIds.has(value)) into.resources.add(value);
      else if (isReportedValue(value)) collect(value, resourceIds, into);
    } else if (key !== 'to') {
      // `to` holds what a value was compared with (other buckets' ids, say), not what failed.
      collect(value, resourceIds, into);
    }
  }
}

/** A report node under `value`: a resolved `{ path, value }` or an unresolved `{ traversed_to }`. */
function isReportedValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return typeof (value as { path?: unknown }).path === 'string' || 'traversed_to' in value;
}

/** Logical ids under Resources of a JSON data file; empty for YAML, whose failures are read from paths alone. */
function templateResourceIds(file: string): Set<string> {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, unknown> };
    return new Set(Object.keys(data.Resources ?? {}));
  } catch {
    return new Set();
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 6).join(' ').slice(0, 800) || 'no output';
}
