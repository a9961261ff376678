/**
 * IAM policy documents as plain JSON, the form AWS stores and measures. The access rules are built in this
 * form (with placeholders for values only the stack knows), so the same documents are sized here, rendered
 * into constructs, and evaluated by the access simulation.
 */

/** Condition block: operator → condition key → value(s). */
export type PolicyConditions = Record<string, Record<string, string | string[]>>;

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  /** Resource policies only: IAM principals (ARNs, `*`) or AWS service principals. */
  readonly Principal?: { readonly AWS: string | string[] } | { readonly Service: string | string[] };
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: PolicyConditions;
}

export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatementJson[];
}

export function policyDocument(statements: readonly PolicyStatementJson[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: [...statements] };
}

/**
 * Characters IAM counts against its policy size quotas: the document without whitespace outside strings,
 * which is exactly what `JSON.stringify` writes.
 */
export function policyChars(document: PolicyDocumentJson | PolicyStatementJson): number {
  return JSON.stringify(document).length;
}

/** Bytes S3 and KMS count against their resource policy quotas (UTF-8; names here are ASCII). */
export function policyBytes(document: PolicyDocumentJson): number {
  return Buffer.byteLength(JSON.stringify(document), 'utf8');
}

/** A statement's values as a list, whether written as one string or several. */
export function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
