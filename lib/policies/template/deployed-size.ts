/**
 * Sizes of documents as AWS measures them after deployment, when CloudFormation has replaced every intrinsic
 * function by its value. Deploy-time values count at their longest possible length, so a size that passes
 * here passes in any account, region and partition.
 */
import { isObject, type Json } from './resolved-resource';
import { PLACEHOLDERS, type TemplateView } from './template-view';

/** Longest values the placeholders stand for (GovCloud partition, China URL suffix, 16-character region). */
const WORST_CASE: Record<string, string> = {
  [PLACEHOLDERS.account]: '123456789012',
  [PLACEHOLDERS.region]: 'xx-xxxxxxxxxxx-9',
  [PLACEHOLDERS.partition]: 'aws-us-gov',
  [PLACEHOLDERS.urlSuffix]: 'amazonaws.com.cn',
};

/** A KMS key ARN: `arn:aws-us-gov:kms:<region>:<account>:key/<uuid>`. */
const KEY_ARN_LENGTH = 89;
/** Assumed length of a value this module cannot follow (an ARN of another service, a parameter). */
export const UNKNOWN_VALUE_LENGTH = 128;

function worstCaseText(text: string): string {
  return text
    .replace(/\{key:[^}]+\}/g, 'k'.repeat(KEY_ARN_LENGTH))
    .replace(/\{(account|region|partition|urlSuffix)\}/g, (placeholder) => WORST_CASE[placeholder] ?? placeholder);
}

function isIntrinsic(value: Json): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** The value with every intrinsic replaced by its longest possible text. */
export function worstCaseValue(value: Json, view: TemplateView): Json {
  if (typeof value === 'string') return worstCaseText(value);
  if (Array.isArray(value)) return value.map((v) => worstCaseValue(v, view));
  if (!isObject(value)) return value;
  if (isIntrinsic(value)) {
    const rendered = view.render(value);
    return rendered === undefined ? 'u'.repeat(UNKNOWN_VALUE_LENGTH) : worstCaseText(rendered);
  }
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) out[key] = worstCaseValue(child, view);
  return out;
}

/** Characters of a deployed IAM policy document; IAM does not count whitespace. */
export function iamPolicyChars(document: Json, view: TemplateView): number {
  return JSON.stringify(worstCaseValue(document, view)).replace(/\s/g, '').length;
}

/** Bytes of a deployed resource policy (bucket policies are measured as stored, compact). */
export function resourcePolicyBytes(document: Json, view: TemplateView): number {
  return Buffer.byteLength(JSON.stringify(worstCaseValue(document, view)));
}
