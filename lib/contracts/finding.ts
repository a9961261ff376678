/** The shape every contract check returns, kept flat so the policy engine can attach and report it. */
import type { MeshProduct } from '../mesh/model';
import type { DefinitionProblem } from '../mesh/problems';
import type { ContractChange } from './change';
import { type ContractRuleId, contractRule } from './rules';

/** One violated contract rule. */
export interface ContractFinding {
  readonly ruleId: ContractRuleId;
  /** `error` blocks; `warning` informs. */
  readonly severity: 'error' | 'warning';
  /** The product the finding is attached to; absent only for a lock file whose product is gone (MESH-CON-005/006). */
  readonly product?: MeshProduct;
  /** `<domain>/<product>`, present even when the product is gone. */
  readonly productId: string;
  /** Owning domain: where the finding belongs when there is no product. */
  readonly domain: string;
  /** File to change, relative to the project root. */
  readonly file: string;
  /** What is wrong, naming the exact element. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
  /** The breaking changes behind a MESH-CON-001 finding. */
  readonly changes?: readonly ContractChange[];
}

/**
 * A finding as a definition problem (`file: [rule] message; fix: …`), for commands that list problems such as
 * `mesh validate`.
 */
export function contractProblem(finding: ContractFinding): DefinitionProblem {
  return { file: finding.file, path: '', message: `[${finding.ruleId}] ${finding.message}; fix: ${finding.fix}` };
}

/** A finding about an existing product; the severity defaults to the rule's. */
export function productFinding(
  ruleId: ContractRuleId,
  product: MeshProduct,
  fields: { file?: string; message: string; fix: string; severity?: 'error' | 'warning'; changes?: ContractChange[] },
): ContractFinding {
  return {
    ruleId,
    severity: fields.severity ?? contractRule(ruleId).severity,
    product,
    productId: product.id,
    domain: product.domain,
    file: fields.file ?? product.file,
    message: fields.message,
    fix: fields.fix,
    ...(fields.changes ? { changes: fields.changes } : {}),
  };
}
