/**
 * Data contracts: ODCS export, contract lock files, breaking-change detection and the contract governance
 * rules (MESH-CON-001 … 009). Plain data and plain functions; nothing here touches AWS.
 */
export type { ChangeImpact, ChangeKind, ContractChange } from './change';
export { checkContracts } from './check';
export { compareContracts } from './compatibility';
export { contractOf } from './contract';
export type { ContractColumn, ContractVersion, LockedVersion, LockFile } from './contract-schema';
export { type ContractFinding, contractProblem } from './finding';
export { contractHash } from './hash';
export {
  isRetiredLock,
  LOCK_SUFFIX,
  type LockPlan,
  lockFilePath,
  planLock,
  readLockFile,
  serializeLock,
  writeLockFile,
} from './lock';
export { compareMajors, contractsOf, type MajorComparison } from './majors';
export { type OdcsContract, type OdcsExportOptions, toOdcsContract } from './odcs';
export type { DeployEnv } from './odcs-servers';
export { BUNDLED_ODCS_SCHEMA, createOdcsValidator, loadOdcsValidator, type OdcsValidator } from './odcs-validate';
export { orphanedContracts } from './orphans';
export { CONTRACT_RULES, type ContractRule, type ContractRuleId, contractRule } from './rules';
export { SUNSET_WARNING_DAYS } from './sunset';
