/**
 * The independent gate over a synthesized cloud assembly (`npx mesh gate`), and the deploy path through it
 * (`npx mesh deploy <domain>`).
 */
export { AssemblyError, readAssembly } from './assembly';
export type { Difference } from './compare';
export { type CommandRunner, type DeployOptions, type DeployStep, planDeploy, runDeploy } from './deploy';
export { differenceLine, formatGateResult } from './format';
export { GateError, type GateOptions, type GateResult, type GateStackResult, runGate, type Verdict } from './gate';
