/**
 * External rule packs over the mesh: AWS Control Tower's proactive controls (CloudFormation Guard) and
 * cdk-nag's NIST 800-53 R5 and HIPAA Security packs, with the platform's acknowledgements. The packs are
 * development dependencies: nothing here is loaded by a synth unless asked for.
 */
export {
  type DomainResourceKind,
  PACK_ACKNOWLEDGEMENTS,
  type PackAcknowledgeableStack,
  type PackAcknowledgementEntry,
  packAcknowledgements,
  recordPackAcknowledgements,
} from './acknowledgements';
export { CFN_GUARD_PACKAGE, type GuardFinding, type GuardRun, resourceTypesOf, runGuardRules } from './cfn-guard';
export { type ControlTowerRun, controlTowerRulesDirectory, runControlTower } from './control-tower';
export { type NagPackName, runNagPack } from './nag-packs';
export {
  ACKNOWLEDGEMENTS_FILE,
  type ExternalPack,
  formatPackFinding,
  formatUnusedAcknowledgement,
  type PackAcknowledgement,
  type PackFinding,
  type Reconciliation,
  reconcile,
} from './reconcile';
