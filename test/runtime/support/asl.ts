/**
 * asl-validator over a definition as deployed, with one gap of its path grammar bridged. asl-path-validator
 * (0.16 and 0.17, which asl-validator 4 uses) escapes with `escaped = "\\" allchars` and `allchars = [^\\n]`,
 * so it refuses `\\`, the escaped backslash the States Language requires for a literal backslash inside an
 * intrinsic's string literal (SQL regexes have them). Before validation each `\\` in an intrinsic becomes `\'`,
 * an escape of the same length the grammar accepts; the rest is validated unchanged.
 */
import { mapIntrinsics, replaceEscapedBackslashes } from './intrinsics';

type AslError = { readonly 'Error code'?: string; readonly Message?: string };
type AslValidator = (
  definition: unknown,
  options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
) => { readonly isValid: boolean; readonly errors: readonly AslError[] };

// asl-validator ships no types.
const aslValidator: AslValidator = require('asl-validator');

/** asl-validator run directly (it annotates what it is given, so it gets a copy). */
export function rawAslErrors(definition: unknown): string[] {
  const { errors } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return errors.map((e) => `${e['Error code'] ?? 'ERROR'}: ${e.Message ?? JSON.stringify(e)}`);
}

/** Every asl-validator error of the definition, JSONPaths, intrinsics and ARNs checked. */
export function aslErrors(definition: unknown): string[] {
  return rawAslErrors(mapIntrinsics(definition, (intrinsic) => replaceEscapedBackslashes(intrinsic, "\\'")));
}

type Definition = { readonly StartAt: string; readonly States: Record<string, Record<string, unknown>> };

/** The definition with every state named `<prefix><name>`, transitions included, so it can share a machine. */
function prefixed(definition: Definition, prefix: string): Definition {
  const to = (name: unknown) => `${prefix}${String(name)}`;
  const states = Object.entries(definition.States).map(([name, state]) => {
    const renamed: Record<string, unknown> = { ...state };
    if ('Next' in state) renamed.Next = to(state.Next);
    if ('Default' in state) renamed.Default = to(state.Default);
    for (const list of ['Choices', 'Catch'] as const) {
      if (Array.isArray(state[list])) {
        renamed[list] = (state[list] as Record<string, unknown>[]).map((rule) => ({ ...rule, Next: to(rule.Next) }));
      }
    }
    return [to(name), renamed];
  });
  return { ...definition, StartAt: to(definition.StartAt), States: Object.fromEntries(states) };
}

/**
 * aslErrors of many definitions, by name. asl-validator compiles its schemas on every call (about half a second),
 * so all are first validated in one call, each as a branch of one Parallel state (branches are validated against
 * the same state machine schema, and names are prefixed to stay unique); only if that finds errors is each
 * validated alone, so errors are reported per definition.
 */
export function aslErrorsOfAll(definitions: Readonly<Record<string, unknown>>): Record<string, string[]> {
  const entries = Object.entries(definitions);
  const combined = {
    StartAt: 'All',
    States: {
      All: {
        Type: 'Parallel',
        Branches: entries.map(([, definition], i) => prefixed(definition as Definition, `m${i}.`)),
        End: true,
      },
    },
  };
  const clean = aslErrors(combined).length === 0;
  return Object.fromEntries(entries.map(([name, definition]) => [name, clean ? [] : aslErrors(definition)]));
}
