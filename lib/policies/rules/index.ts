/**
 * The platform's rule set: the one place rules are registered. A new rule is one file beside these and one
 * line in this list; the engine dispatches it by its resource types, `npx mesh policies` lists it and
 * docs/policies.md documents it.
 */
import type { Rule } from '../model';
import { cloudWatchMetrics } from './athena/cloudwatch-metrics';
import { enforceWorkgroupConfiguration } from './athena/enforce-configuration';
import { explicitEngineVersion } from './athena/engine-version';
import { namedQueryInDomain } from './athena/named-query-scope';
import { resultEncryption } from './athena/result-encryption';
import { resultLocation } from './athena/result-location';
import { bytesScannedCutoff } from './athena/scan-limit';
import { amountsNameCurrency } from './concepts/currency';
import { datePartitionsOneFormat } from './concepts/date-partitions';
import { conceptsReferenced } from './concepts/referenced';
import { nameDependencies } from './deploy/name-dependencies';
import { columnsMatchContract } from './glue/columns-match-contract';
import { glueNames } from './glue/names';
import { partitionProjection } from './glue/partition-projection';
import { tableInDomainDatabase } from './glue/table-database';
import { tableLocation } from './glue/table-location';
import { noManagedAdminPolicies } from './iam/managed-admin-policies';
import { noAdminStatements } from './iam/no-admin';
import { noServiceWildcards } from './iam/no-service-wildcards';
import { noPassRoleOnAnyRole } from './iam/pass-role';
import { resourceWildcardOnlyWhereNeeded } from './iam/resource-wildcard';
import { roleName } from './iam/role-name';
import { trustPolicyNamesPrincipals } from './iam/trust-policy';
import { keyPolicyNotPublic } from './kms/key-policy-public';
import { keyPolicyStatements } from './kms/key-policy-statements';
import { keyRotation } from './kms/rotation';
import { columnDescriptions } from './mesh/column-descriptions';
import { inputsToDeprecatedProducts } from './mesh/deprecated-inputs';
import { descriptionComplete } from './mesh/description';
import { domainScanLimit } from './mesh/domain-scan-limit';
import { explicitClassification } from './mesh/explicit-classification';
import { ownerAndSupport } from './mesh/owner-support';
import { piiClassification } from './mesh/pii-classification';
import { noPlaceholders } from './mesh/placeholders';
import { qualityRulesDeclared } from './mesh/quality-rules';
import { noReservedColumnNames } from './mesh/reserved-words';
import { sensitiveNamedConsumers } from './mesh/sensitive-consumers';
import { slaDeclared } from './mesh/sla';
import { personalDataMarked } from './privacy/personal-data-detection';
import { sensitivityFollowsLineage } from './privacy/sensitivity-lineage';
import { subjectKeysDeclared } from './privacy/subject-keys';
import { bucketPolicySize } from './quotas/bucket-policy-size';
import { roleInlinePolicySize } from './quotas/inline-policy-size';
import { managedPoliciesPerRole } from './quotas/managed-policies-per-role';
import { managedPolicySize } from './quotas/managed-policy-size';
import { resourcesPerStack } from './quotas/resources-per-stack';
import { templateSize } from './quotas/template-size';
import { trustPolicySize } from './quotas/trust-policy-size';
import { executionRoleWildcards } from './runtime/execution-role-wildcards';
import { logGroupRetentionAndKey } from './runtime/log-group';
import { scheduleTarget } from './runtime/schedule-target';
import { schedulerRoleLeastPrivilege } from './runtime/scheduler-role';
import { serviceTrustSourceAccount } from './runtime/service-trust';
import { stateMachineEncryption } from './runtime/state-machine-encryption';
import { stateMachineLogging } from './runtime/state-machine-logging';
import { topicEncryption } from './runtime/topic-encryption';
import { accessLogging } from './s3/access-logging';
import { blockPublicAccess } from './s3/block-public-access';
import { bucketName } from './s3/bucket-name';
import { bucketPolicyNotPublic } from './s3/bucket-policy-public';
import { bucketPolicyStatements } from './s3/bucket-policy-statements';
import { bucketEncryption } from './s3/encryption';
import { lifecycleRules } from './s3/lifecycle';
import { noAcls } from './s3/no-acls';
import { tlsOnly } from './s3/tls-only';
import { versioning } from './s3/versioning';
import { retainStateful } from './stateful/retain';
import { requiredTags } from './tags/required-tags';
import { tagValuesMatch } from './tags/tag-values-match';

export const PLATFORM_RULES: readonly Rule[] = [
  // S3
  blockPublicAccess,
  bucketEncryption,
  tlsOnly,
  versioning,
  lifecycleRules,
  accessLogging,
  noAcls,
  bucketPolicyNotPublic,
  bucketPolicyStatements,
  bucketName,
  // Stateful resources and tags
  retainStateful,
  requiredTags,
  tagValuesMatch,
  // KMS
  keyRotation,
  keyPolicyNotPublic,
  keyPolicyStatements,
  // IAM
  noAdminStatements,
  noServiceWildcards,
  resourceWildcardOnlyWhereNeeded,
  noPassRoleOnAnyRole,
  trustPolicyNamesPrincipals,
  noManagedAdminPolicies,
  roleName,
  // Athena
  enforceWorkgroupConfiguration,
  resultEncryption,
  resultLocation,
  bytesScannedCutoff,
  explicitEngineVersion,
  cloudWatchMetrics,
  namedQueryInDomain,
  // Glue
  glueNames,
  tableInDomainDatabase,
  tableLocation,
  columnsMatchContract,
  partitionProjection,
  // Runtime: schedules, state machines, logs, alerts
  stateMachineLogging,
  stateMachineEncryption,
  logGroupRetentionAndKey,
  topicEncryption,
  scheduleTarget,
  serviceTrustSourceAccount,
  schedulerRoleLeastPrivilege,
  executionRoleWildcards,
  // Deployment order
  nameDependencies,
  // Quotas (once per template)
  resourcesPerStack,
  templateSize,
  roleInlinePolicySize,
  managedPolicySize,
  managedPoliciesPerRole,
  bucketPolicySize,
  trustPolicySize,
  // Definitions (once per product or domain)
  ownerAndSupport,
  descriptionComplete,
  columnDescriptions,
  explicitClassification,
  piiClassification,
  slaDeclared,
  sensitiveNamedConsumers,
  inputsToDeprecatedProducts,
  noReservedColumnNames,
  qualityRulesDeclared,
  domainScanLimit,
  noPlaceholders,
  // Shared concepts (lib/policies/concepts.ts)
  conceptsReferenced,
  amountsNameCurrency,
  datePartitionsOneFormat,
  // Personal data along lineage
  sensitivityFollowsLineage(),
  subjectKeysDeclared,
  personalDataMarked,
];
