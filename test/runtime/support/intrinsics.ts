/**
 * Rewriting intrinsic function text for offline tools that misread one escape. In an intrinsic's string literal
 * the States Language writes a literal backslash as `\\`; a tool that cannot read it is given the same text with
 * each `\\` replaced, every other escape and character kept.
 */

/** Fields whose value may be an intrinsic function. */
const isIntrinsicField = (key: string) => key.endsWith('.$') || key === 'CausePath' || key === 'ErrorPath';

/** The intrinsic with every escaped backslash (`\\`) written as `replacement`. */
export function replaceEscapedBackslashes(intrinsic: string, replacement: string): string {
  // Escapes are read left to right, two characters each, so `\\'` is a backslash and then a quote.
  return intrinsic.replace(/\\([\s\S])/g, (sequence, c: string) => (c === '\\' ? replacement : sequence));
}

/** A copy of the definition with `rewrite` applied to every intrinsic function it holds. */
export function mapIntrinsics<T>(definition: T, rewrite: (intrinsic: string) => string): T {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return isIntrinsicField(key) && value.startsWith('States.') ? rewrite(value) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, ''));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(definition, '') as T;
}
