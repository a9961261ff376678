/**
 * Column type strings (`decimal(14,2)`, `array<struct<sku:string,qty:int>>`) parsed into a small tree,
 * and rendered for each place a type is written: Glue/Hive DDL, Athena/Trino DML, ODCS.
 */

export type PrimitiveTypeName = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'date' | 'timestamp' | 'binary';

export type ColumnType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveTypeName }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'array'; readonly items: ColumnType }
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  | { readonly kind: 'map'; readonly key: ColumnType; readonly value: ColumnType };

export interface StructField {
  readonly name: string;
  readonly type: ColumnType;
}

/** What the type grammar allows, quoted in every type error. */
export const ALLOWED_COLUMN_TYPES =
  'string, varchar(n), int, bigint, double, decimal(p,s), boolean, date, timestamp, binary, array<T>, struct<name:T,...>, map<K,V>';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveTypeName>([
  'string',
  'int',
  'bigint',
  'double',
  'boolean',
  'date',
  'timestamp',
  'binary',
]);

const MAX_DECIMAL_PRECISION = 38;
const MAX_VARCHAR_LENGTH = 65535;
const FIELD_NAME = /^[a-z_][a-z0-9_]*$/;

export class ColumnTypeError extends Error {}

/** Parses a type string; throws ColumnTypeError with a message that says what is allowed. */
export function parseColumnType(text: string): ColumnType {
  const parser = new TypeParser(text);
  const type = parser.parseType();
  parser.expectEnd();
  return type;
}

class TypeParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseType(): ColumnType {
    this.skipSpace();
    const word = this.readWord();
    if (word === '') {
      throw this.error('expected a type');
    }
    switch (word) {
      case 'varchar': {
        const [length] = this.readNumberArgs(1, 'varchar(n)');
        if (length < 1 || length > MAX_VARCHAR_LENGTH) {
          throw new ColumnTypeError(`varchar length must be 1..${MAX_VARCHAR_LENGTH}, got ${length}`);
        }
        return { kind: 'varchar', length };
      }
      case 'decimal': {
        const [precision, scale] = this.readNumberArgs(2, 'decimal(p,s)');
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
          throw new ColumnTypeError(
            `decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got decimal(${precision},${scale})`,
          );
        }
        if (scale > precision) {
          throw new ColumnTypeError(`decimal scale must be 0..precision, got decimal(${precision},${scale})`);
        }
        return { kind: 'decimal', precision, scale };
      }
      case 'array': {
        this.expect('<');
        const items = this.parseType();
        this.expect('>');
        return { kind: 'array', items };
      }
      case 'map': {
        this.expect('<');
        const key = this.parseType();
        if (key.kind !== 'primitive' && key.kind !== 'varchar' && key.kind !== 'decimal') {
          throw new ColumnTypeError(`map keys must be a primitive type, got ${renderGlueType(key)}`);
        }
        this.expect(',');
        const value = this.parseType();
        this.expect('>');
        return { kind: 'map', key, value };
      }
      case 'struct': {
        this.expect('<');
        const fields: StructField[] = [];
        do {
          this.skipSpace();
          const name = this.readWord();
          if (!FIELD_NAME.test(name)) {
            throw this.error('expected a struct field name (lowercase letters, digits, underscore)');
          }
          if (fields.some((f) => f.name === name)) {
            throw new ColumnTypeError(`struct field "${name}" appears twice`);
          }
          this.expect(':');
          fields.push({ name, type: this.parseType() });
        } while (this.accept(','));
        this.expect('>');
        return { kind: 'struct', fields };
      }
      default:
        if (PRIMITIVES.has(word)) {
          return { kind: 'primitive', name: word as PrimitiveTypeName };
        }
        throw new ColumnTypeError(`unknown type "${word}"`);
    }
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) {
      throw this.error('unexpected text');
    }
  }

  private readNumberArgs(count: number, shape: string): number[] {
    this.expect('(', shape);
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) this.expect(',', shape);
      this.skipSpace();
      const match = /^\d+/.exec(this.text.slice(this.pos));
      if (!match) throw this.error(`expected a number in ${shape}`);
      this.pos += match[0].length;
      values.push(Number(match[0]));
    }
    this.expect(')', shape);
    return values;
  }

  private readWord(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] === token) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(token: string, shape?: string): void {
    if (!this.accept(token)) {
      throw this.error(`expected "${token}"${shape ? ` in ${shape}` : ''}`);
    }
  }

  private error(what: string): ColumnTypeError {
    return new ColumnTypeError(`${what} at position ${this.pos + 1} of "${this.text}"`);
  }
}

/** Glue/Hive DDL spelling, as stored in the Glue Data Catalog. */
export function renderGlueType(type: ColumnType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'varchar':
      return `varchar(${type.length})`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${renderGlueType(type.items)}>`;
    case 'map':
      return `map<${renderGlueType(type.key)},${renderGlueType(type.value)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${renderGlueType(f.type)}`).join(',')}>`;
  }
}

const TRINO_PRIMITIVES: Record<PrimitiveTypeName, string> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  binary: 'varbinary',
};

/** Athena engine v3 (Trino) DML spelling, used in casts and query results. */
export function renderTrinoType(type: ColumnType): string {
  switch (type.kind) {
    case 'primitive':
      return TRINO_PRIMITIVES[type.name];
    case 'varchar':
      return 'varchar';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array(${renderTrinoType(type.items)})`;
    case 'map':
      return `map(${renderTrinoType(type.key)}, ${renderTrinoType(type.value)})`;
    case 'struct':
      return `row(${type.fields.map((f) => `${f.name} ${renderTrinoType(f.type)}`).join(', ')})`;
  }
}

export type OdcsLogicalType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'array' | 'object';

/** ODCS v3.1 logicalType; binary has none in the standard. */
export function odcsLogicalType(type: ColumnType): OdcsLogicalType | undefined {
  switch (type.kind) {
    case 'varchar':
      return 'string';
    case 'decimal':
      return 'number';
    case 'array':
      return 'array';
    case 'map':
    case 'struct':
      return 'object';
    case 'primitive':
      switch (type.name) {
        case 'string':
          return 'string';
        case 'int':
        case 'bigint':
          return 'integer';
        case 'double':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'date':
          return 'date';
        case 'timestamp':
          return 'timestamp';
        case 'binary':
          return undefined;
      }
  }
}

/** Broad families that quality rules and partition projection check against. */
export function isNumericType(type: ColumnType): boolean {
  return (
    type.kind === 'decimal' ||
    (type.kind === 'primitive' && (type.name === 'int' || type.name === 'bigint' || type.name === 'double'))
  );
}

export function isTextType(type: ColumnType): boolean {
  return type.kind === 'varchar' || (type.kind === 'primitive' && type.name === 'string');
}

export function isTemporalType(type: ColumnType): boolean {
  return type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp');
}

export function isPrimitiveType(type: ColumnType): boolean {
  return type.kind === 'primitive' || type.kind === 'varchar' || type.kind === 'decimal';
}
