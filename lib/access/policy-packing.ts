/**
 * Packs Allow statements into as few managed policies as IAM's size quota allows. Statements are taken in
 * order and a statement that does not fit the current policy is cut at a list boundary (its resources, or
 * a condition's values), the head filling the policy and the tail starting the next — an Allow over a
 * list is the union of Allows over its parts, so the cut never changes what is allowed.
 */
import { type PolicyDocumentJson, type PolicyStatementJson, policyChars, policyDocument } from './policy-json';

export interface PackingOptions {
  /** Largest policy, in IAM characters, after `render`. */
  readonly maxChars: number;
  /** Turns a statement or document into what AWS will measure (placeholders filled with worst-case values). */
  readonly render: <T>(value: T) => T;
}

/** Where a statement's list lives: its resources, or the values of one condition key. */
type ListSlot =
  | { readonly kind: 'resource' }
  | { readonly kind: 'condition'; readonly op: string; readonly key: string };

function listAt(statement: PolicyStatementJson, slot: ListSlot): string[] {
  const value = slot.kind === 'resource' ? statement.Resource : statement.Condition?.[slot.op]?.[slot.key];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

function withList(statement: PolicyStatementJson, slot: ListSlot, items: string[]): PolicyStatementJson {
  if (slot.kind === 'resource') return { ...statement, Resource: items };
  return {
    ...statement,
    Condition: { ...statement.Condition, [slot.op]: { ...statement.Condition?.[slot.op], [slot.key]: items } },
  };
}

/** The longest list of the statement that can be cut, if any. */
function cuttableSlot(statement: PolicyStatementJson): ListSlot | undefined {
  if (statement.Effect !== 'Allow') return undefined; // cutting a Deny's condition list would widen the Deny
  const slots: ListSlot[] = [{ kind: 'resource' }];
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    for (const key of Object.keys(keys)) slots.push({ kind: 'condition', op, key });
  }
  const sized = slots
    .map((slot) => ({ slot, items: listAt(statement, slot) }))
    .filter((s) => s.items.length > 1)
    .sort((a, b) => b.items.join().length - a.items.join().length);
  return sized[0]?.slot;
}

/** Packs the statements into documents of at most `maxChars`; throws if one item alone cannot fit. */
export function packStatements(
  statements: readonly PolicyStatementJson[],
  options: PackingOptions,
): PolicyDocumentJson[] {
  const { maxChars, render } = options;
  const size = (s: readonly PolicyStatementJson[]) => policyChars(render(policyDocument(s)));
  const documents: PolicyStatementJson[][] = [];
  let current: PolicyStatementJson[] = [];
  // A statement cut in parts keeps its Sid on the first part; the others get 2, 3, … so Sids stay unique.
  const partsPlaced = new Map<string, number>();
  const named = (statement: PolicyStatementJson): PolicyStatementJson => {
    const placed = statement.Sid ? (partsPlaced.get(statement.Sid) ?? 0) : 0;
    return placed === 0 ? statement : { ...statement, Sid: `${statement.Sid}${placed + 1}` };
  };
  const place = (statement: PolicyStatementJson) => {
    current.push(named(statement));
    if (statement.Sid) partsPlaced.set(statement.Sid, (partsPlaced.get(statement.Sid) ?? 0) + 1);
  };

  const queue = [...statements];
  while (queue.length > 0) {
    const statement = queue.shift() as PolicyStatementJson;
    if (size([...current, named(statement)]) <= maxChars) {
      place(statement);
      continue;
    }
    const slot = cuttableSlot(statement);
    const items = slot ? listAt(statement, slot) : [];
    // Largest head of the list that still fits the current document (binary search on the item count).
    let fits = 0;
    if (slot) {
      let low = 1;
      let high = items.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (size([...current, named(withList(statement, slot, items.slice(0, mid)))]) <= maxChars) {
          fits = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
    }
    if (slot && fits > 0) {
      place(withList(statement, slot, items.slice(0, fits)));
      queue.unshift(withList(statement, slot, items.slice(fits)));
    } else if (current.length > 0) {
      documents.push(current);
      current = [];
      queue.unshift(statement);
    } else {
      throw new Error(
        `one policy statement needs ${size([statement])} characters, more than the ${maxChars} a managed policy holds`,
      );
    }
  }
  if (current.length > 0) documents.push(current);
  return documents.map(policyDocument);
}
