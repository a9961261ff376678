/**
 * Finds where a field of a definition is written in its TypeScript source, so a problem can be reported as
 * `file:line:column` like a compiler's. The path is followed through object and array literals, `as const`,
 * `satisfies`, the `defineProduct(...)` call and `const`s of the same file (including spreads); where it
 * cannot be followed further (a value imported from another file), the deepest place found is returned.
 *
 * The compiler is loaded only when a problem needs locating, so a clean load never pays for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';

export interface SourceLocation {
  /** 1-based, as editors count. */
  readonly line: number;
  /** 1-based, as editors count. */
  readonly column: number;
}

let compiler: typeof TS | undefined;
function ts(): typeof TS {
  compiler ??= require('typescript') as typeof TS;
  return compiler;
}

/** Location of `fieldPath` (e.g. `['schema', 'columns', 2, 'type']`) in the source's default export. */
export function locateField(source: string, fileName: string, fieldPath: readonly (string | number)[]): SourceLocation {
  const t = ts();
  const sourceFile = t.createSourceFile(fileName, source, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const constants = new Map<string, TS.Expression>();
  let exported: TS.Node | undefined;
  for (const statement of sourceFile.statements) {
    if (t.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (t.isIdentifier(declaration.name) && declaration.initializer) {
          constants.set(declaration.name.text, declaration.initializer);
        }
      }
    } else if (t.isExportAssignment(statement)) {
      exported = statement.expression;
    }
  }
  if (!exported) return position(sourceFile, sourceFile.statements[0] ?? sourceFile);

  let node: TS.Node = exported;
  for (const key of fieldPath) {
    const value = unwrap(t, node, constants);
    const next = child(t, value, key, constants);
    if (!next) {
      node = value;
      break;
    }
    node = next;
  }
  return position(sourceFile, node);
}

function position(sourceFile: TS.SourceFile, node: TS.Node): SourceLocation {
  const start = node === sourceFile ? 0 : node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  return { line: line + 1, column: character + 1 };
}

/** The value a node stands for: through parentheses, `as`, `satisfies`, the define call and local consts. */
function unwrap(t: typeof TS, node: TS.Node, constants: Map<string, TS.Expression>, depth = 0): TS.Node {
  if (depth > 20) return node;
  if (t.isParenthesizedExpression(node) || t.isAsExpression(node) || t.isSatisfiesExpression(node)) {
    return unwrap(t, node.expression, constants, depth + 1);
  }
  if (t.isCallExpression(node) && node.arguments.length === 1)
    return unwrap(t, node.arguments[0], constants, depth + 1);
  if (t.isIdentifier(node) && constants.has(node.text)) {
    return unwrap(t, constants.get(node.text) as TS.Expression, constants, depth + 1);
  }
  return node;
}

function child(
  t: typeof TS,
  node: TS.Node,
  key: string | number,
  constants: Map<string, TS.Expression>,
): TS.Node | undefined {
  if (t.isObjectLiteralExpression(node)) {
    // The last assignment of a key wins, as at run time; spreads before it may supply it too.
    for (let i = node.properties.length - 1; i >= 0; i--) {
      const property = node.properties[i];
      if (t.isSpreadAssignment(property)) {
        const spread = unwrap(t, property.expression, constants);
        const found = child(t, spread, key, constants);
        if (found) return found;
        continue;
      }
      const name = property.name && propertyName(t, property.name);
      if (name !== String(key)) continue;
      if (t.isPropertyAssignment(property)) return property.initializer;
      if (t.isShorthandPropertyAssignment(property)) return constants.get(name) ?? property;
      return property;
    }
    return undefined;
  }
  if (t.isArrayLiteralExpression(node) && typeof key === 'number') {
    const elements = flattenElements(t, node, constants);
    return elements[key];
  }
  return undefined;
}

/** Array elements with spreads of local array constants expanded, so indices match the value's. */
function flattenElements(
  t: typeof TS,
  node: TS.ArrayLiteralExpression,
  constants: Map<string, TS.Expression>,
  depth = 0,
): TS.Node[] {
  const out: TS.Node[] = [];
  for (const element of node.elements) {
    if (t.isSpreadElement(element)) {
      const spread = unwrap(t, element.expression, constants);
      if (t.isArrayLiteralExpression(spread) && depth < 10) {
        out.push(...flattenElements(t, spread, constants, depth + 1));
        continue;
      }
    }
    out.push(element);
  }
  return out;
}

function propertyName(t: typeof TS, name: TS.PropertyName): string | undefined {
  if (t.isIdentifier(name) || t.isStringLiteral(name) || t.isNumericLiteral(name)) return name.text;
  return undefined;
}

/**
 * Adds `line`/`column` to problems that have none, from their file's source (TypeScript files under root).
 * Problems whose file cannot be read keep no location.
 */
export function locateProblems<P extends LocatableProblem>(root: string, problems: readonly P[]): P[] {
  const sources = new Map<string, string | undefined>();
  return problems.map((problem) => {
    // A problem of the file as a whole (it threw, it exports nothing) has no field to point at.
    if (problem.line || !problem.path || !problem.file.endsWith('.ts')) return problem;
    if (!sources.has(problem.file)) sources.set(problem.file, readSource(path.join(root, problem.file)));
    const source = sources.get(problem.file);
    if (source === undefined) return problem;
    const { line, column } = locateField(source, problem.file, parseFieldPath(problem.path));
    return { ...problem, line, column };
  });
}

/** What locateProblems needs of a problem. */
export interface LocatableProblem {
  readonly file: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
}

/** `schema.columns[2].type` → `['schema', 'columns', 2, 'type']`. */
export function parseFieldPath(fieldPath: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of fieldPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

function readSource(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
