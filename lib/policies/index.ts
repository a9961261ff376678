/**
 * Federated computational governance: the policy engine (one read-only Aspect), the platform's rules,
 * exceptions declared in the definitions, and per-stack reports.
 */
export {
  applyGovernance,
  currentDate,
  DEFAULT_SOURCES,
  defaultRuleRegistry,
  type GovernanceOptions,
  governanceOf,
  writePolicyReports,
} from './apply';
export {
  APPROVERS_FILE,
  type Approver,
  type ApproverRegistry,
  type ApproverRegistryInput,
  defineApproverRegistry,
} from './approver-registry';
export { APPROVER_REGISTRY } from './approvers';
export { policiesMarkdown, ruleScope } from './docs';
export { ENGINE_RULES } from './engine/engine-rules';
export type { GovernedStack } from './engine/governed-stack';
export { PolicyEngine } from './engine/policy-engine';
export { type ExceptionJudgement, type ExceptionProblem, judgeException } from './exception-checks';
export { type Finding, findingId, formatFinding } from './findings';
export * from './model';
export { PLATFORM_EXCEPTIONS, type PlatformException } from './platform-exceptions';
export { RuleRegistry } from './registry';
export { reportFileName, type StackReport, summaryLine } from './report';
export { PLATFORM_RULES } from './rules';
export { contractsSource } from './sources/contracts';
export { externalRules, type MeshFinding, type MeshFindingSource } from './sources/mesh-finding-source';
export type { ResolvedResource } from './template/resolved-resource';
export type { TemplateView } from './template/template-view';
