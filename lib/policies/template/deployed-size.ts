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

/**
 * Characters of the value's compact JSON once deployed: every intrinsic counts as its longest possible text.
 * Computed without building the deployed document (this runs over every policy of every stack).
 */
export function deployedJsonLength(value: Json, view: TemplateView): number {
  if (typeof value === 'string') return jsonStringLength(worstCaseText(value));
  if (value === null || typeof value !== 'object') return String(value).length;
  if (Array.isArray(value)) {
    let length = 2 + Math.max(0, value.length - 1);
    for (const item of value) length += deployedJsonLength(item, view);
    return length;
  }
  if (isIntrinsic(value)) {
    const rendered = view.render(value);
    return rendered === undefined ? UNKNOWN_VALUE_LENGTH + 2 : jsonStringLength(worstCaseText(rendered));
  }
  const keys = Object.keys(value);
  let length = 2 + Math.max(0, keys.length - 1);
  for (const key of keys) length += jsonStringLength(key) + 1 + deployedJsonLength(value[key], view);
  return length;
}

function jsonStringLength(text: string): number {
  // Plain text (the common case) is its length plus quotes; anything needing escapes is measured exactly.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return JSON.stringify(text).length;
  }
  return text.length + 2;
}

/** Characters of a deployed IAM policy document. IAM does not count whitespace; CDK writes none between tokens. */
export function iamPolicyChars(document: Json, view: TemplateView): number {
  return deployedJsonLength(document, view);
}

/** Bytes of a deployed resource policy (bucket policies are measured as stored, compact). */
export function resourcePolicyBytes(document: Json, view: TemplateView): number {
  return deployedJsonLength(document, view);
}
