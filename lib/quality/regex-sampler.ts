/**
 * Strings that match a quality rule's regular expression, for sample data. Covers what rules are written
 * with — literals, classes, `.`, groups, alternation, quantifiers, anchors — and refuses the rest
 * (lookaround, back references, inline flags) with a message, rather than producing values that do not match.
 */

/** A pattern the sampler cannot produce values for. */
export class PatternSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternSampleError';
  }
}

type Node =
  | { readonly kind: 'chars'; readonly chars: readonly string[] }
  | { readonly kind: 'sequence'; readonly items: readonly Node[] }
  | { readonly kind: 'choice'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

const range = (from: string, to: string) =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) =>
    String.fromCharCode(from.charCodeAt(0) + i),
  );
const DIGITS = range('0', '9');
const WORD = [...range('a', 'z'), ...range('A', 'Z'), ...DIGITS, '_'];
const SPACE = [' '];
/** What `.` and negated classes pick from: readable characters, no whitespace. */
const ALPHABET = [...range('a', 'z'), ...range('A', 'Z'), ...DIGITS, '-', '_', '.'];
/** Unbounded quantifiers (`*`, `+`, `{n,}`) repeat at most this many times beyond their minimum. */
const OPEN_REPEAT = 3;

class PatternParser {
  private pos = 0;

  constructor(private readonly pattern: string) {}

  parse(): Node {
    const node = this.choice();
    if (this.pos < this.pattern.length) throw this.error(`unexpected "${this.pattern[this.pos]}"`);
    return node;
  }

  private choice(): Node {
    const options = [this.sequence()];
    while (this.pattern[this.pos] === '|') {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'choice', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.pattern.length && this.pattern[this.pos] !== '|' && this.pattern[this.pos] !== ')') {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return { kind: 'sequence', items };
  }

  /** One atom; undefined for anchors, which match no characters. */
  private atom(): Node | undefined {
    const c = this.pattern[this.pos++];
    switch (c) {
      case '^':
      case '$':
        return undefined;
      case '.':
        return { kind: 'chars', chars: ALPHABET };
      case '[':
        return { kind: 'chars', chars: this.characterClass() };
      case '(': {
        if (this.pattern[this.pos] === '?') {
          if (this.pattern[this.pos + 1] !== ':') throw this.error('lookaround and inline flags are not supported');
          this.pos += 2;
        }
        const inner = this.choice();
        if (this.pattern[this.pos++] !== ')') throw this.error('unclosed group');
        return inner;
      }
      case '\\':
        return { kind: 'chars', chars: this.escape() };
      case '*':
      case '+':
      case '?':
      case '{':
        throw this.error(`nothing to repeat before "${c}"`);
      default:
        return { kind: 'chars', chars: [c] };
    }
  }

  private quantified(node: Node): Node {
    let quantified = node;
    const c = this.pattern[this.pos];
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      const min = c === '+' ? 1 : 0;
      quantified = { kind: 'repeat', node, min, max: c === '?' ? 1 : min + OPEN_REPEAT };
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.pos));
      if (!match) return node; // A "{" that starts no quantifier is a literal, as in most engines.
      this.pos += match[0].length;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? min + OPEN_REPEAT : Number(match[3]);
      if (max < min) throw this.error(`{${min},${max}} has its bounds reversed`);
      quantified = { kind: 'repeat', node, min, max };
    } else {
      return node;
    }
    // Lazy and possessive markers change how a match is found, not what matches.
    if (this.pattern[this.pos] === '?' || this.pattern[this.pos] === '+') this.pos++;
    return quantified;
  }

  private characterClass(): string[] {
    const negated = this.pattern[this.pos] === '^';
    if (negated) this.pos++;
    const chars = new Set<string>();
    let first = true;
    while (this.pos < this.pattern.length && (this.pattern[this.pos] !== ']' || first)) {
      first = false;
      const c = this.pattern[this.pos++];
      if (c === '\\') {
        for (const e of this.escape()) chars.add(e);
        continue;
      }
      if (c === '[' && this.pattern[this.pos] === ':')
        throw this.error('POSIX classes such as [:alpha:] are not supported');
      if (this.pattern[this.pos] === '-' && this.pattern[this.pos + 1] !== ']' && this.pos + 1 < this.pattern.length) {
        const to = this.pattern[this.pos + 1] === '\\' ? undefined : this.pattern[this.pos + 1];
        if (to === undefined) throw this.error('escaped range ends are not supported');
        if (to < c) throw this.error(`range ${c}-${to} is reversed`);
        this.pos += 2;
        for (const r of range(c, to)) chars.add(r);
        continue;
      }
      chars.add(c);
    }
    if (this.pattern[this.pos++] !== ']') throw this.error('unclosed character class');
    const picked = negated ? ALPHABET.filter((a) => !chars.has(a)) : [...chars];
    if (picked.length === 0) throw this.error('character class matches no readable character');
    return picked;
  }

  private escape(): string[] {
    const c = this.pattern[this.pos++];
    if (c === undefined) throw this.error('pattern ends with "\\"');
    switch (c) {
      case 'd':
        return DIGITS;
      case 'w':
        return WORD;
      case 's':
        return SPACE;
      case 'D':
        return ALPHABET.filter((a) => !DIGITS.includes(a));
      case 'W':
        return ['-', '.'];
      case 'S':
        return ALPHABET;
      case 't':
        return ['\t'];
      case 'n':
        return ['\n'];
      case 'x': {
        const hex = /^[0-9a-fA-F]{2}/.exec(this.pattern.slice(this.pos));
        if (!hex) throw this.error('\\x needs two hex digits');
        this.pos += 2;
        return [String.fromCharCode(Number.parseInt(hex[0], 16))];
      }
      default:
        if (/[0-9bBkpPQEuUzZAG]/.test(c)) throw this.error(`"\\${c}" is not supported`);
        return [c];
    }
  }

  private error(what: string): PatternSampleError {
    return new PatternSampleError(`cannot generate values for /${this.pattern}/: ${what} (at position ${this.pos})`);
  }
}

/** Small seeded generator (mulberry32), so samples are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(node: Node, random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  switch (node.kind) {
    case 'chars':
      return pick(node.chars);
    case 'sequence':
      return node.items.map((item) => generate(item, random)).join('');
    case 'choice':
      return generate(pick(node.options), random);
    case 'repeat': {
      const times = node.min + Math.floor(random() * (node.max - node.min + 1));
      let out = '';
      for (let i = 0; i < times; i++) out += generate(node.node, random);
      return out;
    }
  }
}

/** How to sample. */
export interface PatternSampleOptions {
  /** All values distinct. @default false */
  readonly unique?: boolean;
  /** Seed of the generator. @default 1 */
  readonly seed?: number;
  /** Further condition every value must meet, such as a length rule. */
  readonly accept?: (value: string) => boolean;
}

/**
 * `count` values matching `pattern` (checked with the JavaScript engine too); throws PatternSampleError when
 * the pattern is unsupported or cannot yield that many acceptable values.
 */
export function sampleMatching(pattern: string, count: number, options: PatternSampleOptions = {}): string[] {
  const tree = new PatternParser(pattern).parse();
  const check = new RegExp(pattern);
  const random = seededRandom(options.seed ?? 1);
  const seen = new Set<string>();
  const values: string[] = [];
  const maxAttempts = count * 20 + 100;
  for (let attempt = 0; values.length < count && attempt < maxAttempts; attempt++) {
    const value = generate(tree, random);
    if (!check.test(value) || (options.accept && !options.accept(value))) continue;
    if (options.unique) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    values.push(value);
  }
  if (values.length < count) {
    throw new PatternSampleError(
      `cannot generate ${count}${options.unique ? ' distinct' : ''} values for /${pattern}/ (got ${values.length})`,
    );
  }
  return values;
}
