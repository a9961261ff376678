/**
 * How an app gets governance: `applyGovernance(stacks)` puts the domain stacks under one policy engine per
 * app; after `app.synth()`, `writePolicyReports(app, assembly.directory)` writes each stack's report and
 * prints one summary line per stack.
 */
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ApproverRegistry } from './approver-registry';
import { APPROVER_REGISTRY } from './approvers';
import type { GovernedStack } from './engine/governed-stack';
import { PolicyEngine } from './engine/policy-engine';
import type { Rule } from './model';
import { PLATFORM_EXCEPTIONS, type PlatformException } from './platform-exceptions';
import { RuleRegistry } from './registry';
import { type StackReport, summaryLine, writeReports } from './report';
import { PLATFORM_RULES } from './rules';
import { contractsSource } from './sources/contracts';
import { externalRules, type MeshFindingSource } from './sources/mesh-finding-source';

/**
 * A context key that once moved the day checks are made on. Governance judges by the real date, so it is
 * ignored, with a warning: a date on the command line must not make an expired exception hold again.
 */
const IGNORED_TODAY_CONTEXT = 'mesh:today';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface GovernanceOptions {
  /**
   * Calendar day (YYYY-MM-DD, UTC) exceptions expire against and date rules judge by. Only code sets it
   * (tests); no context value or environment variable does.
   * @default today's date (UTC), from the system clock
   */
  readonly today?: string;
  /**
   * Who may approve exceptions, and for how long.
   * @default APPROVER_REGISTRY (lib/policies/approvers.ts)
   */
  readonly approvers?: ApproverRegistry;
  /**
   * The rules to run; the engine's own rules about exceptions are always added.
   * @default PLATFORM_RULES (lib/policies/rules)
   */
  readonly rules?: readonly Rule[];
  /**
   * Checks of other modules whose findings the engine attaches and reports.
   * @default the contract rules (lib/contracts)
   */
  readonly sources?: readonly MeshFindingSource[];
  /**
   * Project root the sources read files from (contract lock files).
   * @default process.cwd()
   */
  readonly root?: string;
  /**
   * Exceptions for the platform's own constructs.
   * @default PLATFORM_EXCEPTIONS (lib/policies/platform-exceptions.ts)
   */
  readonly platformExceptions?: readonly PlatformException[];
}

const engines = new WeakMap<IConstruct, PolicyEngine>();

/** The sources of external findings governance uses unless told otherwise. */
export const DEFAULT_SOURCES: readonly MeshFindingSource[] = [contractsSource];

/** Every rule `cdk synth` runs by default: the platform's, the sources', the engine's. */
export function defaultRuleRegistry(): RuleRegistry {
  return new RuleRegistry([...PLATFORM_RULES, ...DEFAULT_SOURCES.flatMap(externalRules)]);
}

/** Today's date in UTC, YYYY-MM-DD. */
export function currentDate(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * A policy engine with the options' defaults, as synthesis runs it; the gate (lib/policies/gate) builds its
 * own with the same defaults, so both judge by the same rules, exceptions and approvers.
 */
export function createPolicyEngine(options: GovernanceOptions = {}): PolicyEngine {
  const today = options.today ?? currentDate();
  if (!ISO_DATE.test(today)) {
    throw new Error(`GovernanceOptions.today must be a date written YYYY-MM-DD, got "${today}"`);
  }
  return new PolicyEngine({
    rules: options.rules ?? PLATFORM_RULES,
    today,
    approvers: options.approvers ?? APPROVER_REGISTRY,
    sources: options.sources ?? DEFAULT_SOURCES,
    root: options.root,
    platformExceptions: options.platformExceptions ?? PLATFORM_EXCEPTIONS,
  });
}

/**
 * Puts the stacks under the app's policy engine (created on first use with these options) and returns it.
 * Findings with severity error make `cdk synth` of that stack fail.
 */
export function applyGovernance(stacks: readonly GovernedStack[], options: GovernanceOptions = {}): PolicyEngine {
  if (stacks.length === 0) throw new Error('applyGovernance needs at least one stack');
  const root = stacks[0].node.root;
  let engine = engines.get(root);
  if (!engine) {
    engine = createPolicyEngine(options);
    engines.set(root, engine);
  }
  const ignored = root.node.tryGetContext(IGNORED_TODAY_CONTEXT) as unknown;
  for (const stack of stacks) {
    const fresh = !engine.governs(stack);
    engine.govern(stack);
    if (fresh && ignored !== undefined) {
      Annotations.of(stack).addWarningV2(
        'mesh:today-ignored',
        `-c ${IGNORED_TODAY_CONTEXT}=${String(ignored)} is ignored: governance judges exceptions, sunsets and contracts by the real date (${engine.today}, UTC). Remove it from the command line and cdk.json.`,
      );
    }
  }
  return engine;
}

/** The policy engine of the app the construct belongs to, if governance was applied. */
export function governanceOf(scope: IConstruct): PolicyEngine | undefined {
  return engines.get(scope.node.root);
}

/**
 * Writes `<stack>.policy-report.json` into the cloud assembly for every governed stack and prints one
 * summary line per stack. Call after `app.synth()`.
 */
export function writePolicyReports(
  scope: IConstruct,
  outdir: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): StackReport[] {
  const reports = governanceOf(scope)?.stackReports() ?? [];
  writeReports(reports, outdir);
  for (const report of reports) log(summaryLine(report));
  return reports;
}
