/**
 * What personal data looks like: the categories the platform recognizes (email, phone, birth date, national
 * id, IBAN, postal address, IP address), each with the column names, description phrases and values that
 * give it away. MESH-PRIV-003 reads a column's name, description and examples with them; `mesh check --local
 * --scan-pii` matches the values of a file (lib/privacy/pii-scan.ts).
 *
 * Names are read as snake_case tokens, never as substrings (`tip_amount` and `shipped_at` hold no `ip`), and a
 * category must be the column's head — the last tokens, or followed only by words such as `address` or
 * `number` — so `email_count`, `ip_country` and `zip_file` are about something else.
 */
import {
  type ColumnType,
  ColumnTypeError,
  isNumericType,
  isTextType,
  parseColumnType,
} from '../definition/column-type';
import type { Column } from '../definition/schema';

export type PersonalDataCategoryId =
  | 'email'
  | 'phone'
  | 'birth_date'
  | 'national_id'
  | 'iban'
  | 'postal_address'
  | 'ip_address';

/** Broad kinds of column type a category's values can be stored as. */
export type ValueKind = 'text' | 'number' | 'date' | 'struct';

/** What values of a category look like. */
export interface ValuePattern {
  /** Matched against the whole (trimmed) value; RE2 syntax, which JavaScript (with `u`) and DuckDB share. */
  readonly pattern: string;
  readonly ignoreCase: boolean;
  /** Values that match `pattern` but are something else (dates written like phone numbers). */
  readonly exclude?: string;
  /** A check digit the value must also pass. */
  readonly checksum?: 'iban-mod97';
}

/** One category of personal data. */
export interface PersonalDataCategory {
  readonly id: PersonalDataCategoryId;
  /** Singular noun for messages: `email address`. */
  readonly label: string;
  readonly plural: string;
  /** snake_case names, or the tokens of one, that mean the category: `date_of_birth`, `dob`. */
  readonly names: readonly string[];
  /** Words that may follow a name and keep its meaning: `email_address`, `zip_code`. */
  readonly suffixes: readonly string[];
  /** Words that, just before a name, make it about something else: `server_ip`, `warehouse_address`. */
  readonly notAfter: readonly string[];
  /** Phrases of a description that say the column holds the category (whole words, any case). */
  readonly phrases: readonly string[];
  /** Type kinds that can hold such values; a `boolean` or `bigint` column named `email_…` holds no address. */
  readonly kinds: readonly ValueKind[];
  /** What a value looks like; absent when a value alone cannot tell (any date could be a birthday). */
  readonly value?: ValuePattern;
}

/** Words after a name that keep it the column's subject, for every category (`phone_number`, `email_2`). */
const COMMON_SUFFIXES = [
  'number',
  'num',
  'no',
  'nr',
  'raw',
  'normalized',
  'normalised',
  'clean',
  'full',
  'primary',
  'secondary',
  'main',
  'alt',
  'alternative',
  'other',
  'text',
  'value',
  'plain',
  'original',
  'current',
  'latest',
  'new',
  'old',
  'previous',
];

/** Places, not people: their addresses are not personal data. */
const ORGANIZATIONS = [
  'warehouse',
  'store',
  'shop',
  'branch',
  'office',
  'depot',
  'plant',
  'site',
  'company',
  'supplier',
  'vendor',
  'merchant',
  'carrier',
  'hub',
  'facility',
  'business',
];

/** The platform's categories of personal data, in the order messages list them. */
export const PERSONAL_DATA_CATEGORIES: readonly PersonalDataCategory[] = [
  {
    id: 'email',
    label: 'email address',
    plural: 'email addresses',
    names: ['email', 'e_mail', 'emailaddress', 'mail_address'],
    suffixes: ['address', 'addr'],
    notAfter: [],
    phrases: ['email address', 'e-mail address', 'e mail address', 'mail address', 'email of the', 'e-mail of the'],
    kinds: ['text'],
    value: { pattern: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}', ignoreCase: false },
  },
  {
    id: 'phone',
    label: 'phone number',
    plural: 'phone numbers',
    names: ['phone', 'telephone', 'tel', 'mobile', 'cellphone', 'msisdn', 'fax'],
    suffixes: [],
    notAfter: [],
    phrases: [
      'phone number',
      'telephone number',
      'mobile number',
      'cell phone number',
      'cellphone number',
      'fax number',
      'msisdn',
      'e.164',
    ],
    kinds: ['text'],
    value: {
      pattern: [
        // E.164, then international with separators, national with a trunk 0, North American.
        '\\+[1-9][0-9]{6,14}',
        '\\+[1-9][0-9]{0,3}(?:[ .-]?\\([0-9]{1,5}\\))?(?:[ .-][0-9]{1,10}){1,5}',
        '\\(?0[0-9]{1,5}\\)?[ /-]?[0-9]{3,}(?:[ -][0-9]{2,})*',
        '\\(?[2-9][0-9]{2}\\)?[ .-]?[0-9]{3}[ .-][0-9]{4}',
      ].join('|'),
      ignoreCase: false,
      // Dates and month-years share the shape of a national number (05-12-2024, 01/2024), ids of zeros too.
      exclude: '[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}|[0-9]{1,2}[./-][0-9]{4}|0[0-9]{5,}',
    },
  },
  {
    id: 'birth_date',
    label: 'birth date',
    plural: 'birth dates',
    names: [
      'date_of_birth',
      'dob',
      'birth_date',
      'birthdate',
      'birthday',
      'birth_day',
      'year_of_birth',
      'birth_year',
      'born_on',
    ],
    suffixes: [],
    notAfter: [],
    phrases: ['date of birth', 'birth date', 'birthdate', 'birthday', 'year of birth', 'born on'],
    kinds: ['text', 'date', 'number'],
  },
  {
    id: 'national_id',
    label: 'national id',
    plural: 'national ids',
    names: [
      'ssn',
      'social_security',
      'social_security_number',
      'national_id',
      'national_insurance',
      'nino',
      'ni_number',
      'steuer_id',
      'steuerid',
      'steuer_identifikationsnummer',
      'tax_identification_number',
      'passport',
      'id_card',
      'identity_card',
      'national_identity',
    ],
    suffixes: ['id', 'code'],
    notAfter: [],
    phrases: [
      'social security number',
      'ssn',
      'national insurance number',
      'national identification number',
      'national identity number',
      'national id',
      'steuer-id',
      'steuer id',
      'steueridentifikationsnummer',
      'tax identification number',
      'passport number',
      'identity card number',
      'id card number',
    ],
    kinds: ['text', 'number'],
    value: {
      pattern: [
        // US social security number, UK national insurance number, German Steuer-ID as it is written (XX XXX XXX XXX).
        '[0-8][0-9]{2}-[0-9]{2}-[0-9]{4}',
        '[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]',
        '[1-9][0-9] [0-9]{3} [0-9]{3} [0-9]{3}',
      ].join('|'),
      ignoreCase: false,
    },
  },
  {
    id: 'iban',
    label: 'IBAN',
    plural: 'IBANs',
    names: ['iban', 'bank_account'],
    suffixes: ['code', 'id'],
    notAfter: [],
    phrases: ['iban', 'bank account number', 'bank account'],
    kinds: ['text'],
    value: { pattern: '[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}', ignoreCase: true, checksum: 'iban-mod97' },
  },
  {
    id: 'postal_address',
    label: 'postal address',
    plural: 'postal addresses',
    names: [
      'address',
      'addr',
      'street',
      'street_address',
      'address_line',
      'zip',
      'zipcode',
      'postcode',
      'postal_code',
      'post_code',
      'plz',
      'house_number',
    ],
    suffixes: ['address', 'line', 'code', 'name', '1', '2', '3'],
    notAfter: [
      'ip',
      'ipv4',
      'ipv6',
      'email',
      'mail',
      'e',
      'mac',
      'web',
      'url',
      'remote',
      'wallet',
      'server',
      'host',
      'memory',
      'contract',
      'network',
      ...ORGANIZATIONS,
    ],
    phrases: [
      'street address',
      'postal address',
      'postal code',
      'postcode',
      'zip code',
      'zip+4',
      'house number',
      'address line',
      'home address',
      'billing address',
      'shipping address',
      'delivery address',
      'mailing address',
    ],
    kinds: ['text', 'struct'],
    value: {
      pattern: [
        // A street line (221B Baker Street, Hauptstraße 5), a UK postcode, a US ZIP+4.
        "[0-9]{1,5}[a-z]?,? (?:[\\p{L}'.-]+ ){1,4}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|crescent)\\.?",
        "(?:[\\p{L}'.-]+[ -]){0,3}[\\p{L}'.-]*(?:straße|strasse|str\\.|weg|gasse|platz|allee|damm|straat|laan|plein|gracht) [0-9]{1,5}[a-z]?",
        '[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}',
        '[0-9]{5}-[0-9]{4}',
      ].join('|'),
      ignoreCase: true,
    },
  },
  {
    id: 'ip_address',
    label: 'IP address',
    plural: 'IP addresses',
    names: ['ip', 'ipv4', 'ipv6', 'ip_v4', 'ip_v6', 'ip_addr'],
    suffixes: ['address', 'addr', 'v4', 'v6'],
    notAfter: ['server', 'host', 'gateway', 'router', 'proxy', 'node', 'load', 'balancer', 'dns'],
    phrases: ['ip address', 'ipv4', 'ipv6', 'internet protocol address'],
    kinds: ['text', 'number'],
    value: {
      pattern: [
        '(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])',
        '(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}',
        '(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?',
      ].join('|'),
      ignoreCase: true,
    },
  },
];

/** How a column gave a category away. */
export type EvidenceSource = 'name' | 'description' | 'example';

/** One reason to think a column holds a category of personal data. */
export interface PersonalDataEvidence {
  readonly category: PersonalDataCategory;
  readonly source: EvidenceSource;
  /** What matched: the name (or struct field path), the description phrase, or the example value. */
  readonly text: string;
}

/** Whether `value` looks like the category's values (its pattern, less exclusions, and its check digits). */
export function valueLooksLike(category: PersonalDataCategory, value: string): boolean {
  const pattern = category.value;
  if (!pattern) return false;
  const text = value.trim();
  if (!compiled(pattern.pattern, pattern.ignoreCase).test(text)) return false;
  if (pattern.exclude && compiled(pattern.exclude, pattern.ignoreCase).test(text)) return false;
  return pattern.checksum === 'iban-mod97' ? ibanChecksumValid(text) : true;
}

/**
 * ISO 13616 check: the first four characters moved to the end, letters as 10..35, the number mod 97 is 1.
 * Computed digit by digit so no number grows past a few thousand (pii-scan does the same in SQL).
 */
export function ibanChecksumValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digit = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    remainder = (remainder * (digit >= 10 ? 100 : 10) + digit) % 97;
  }
  return remainder === 1;
}

/** Every piece of evidence that a column holds personal data, whatever its `pii` says. */
export function personalDataEvidence(column: Column): PersonalDataEvidence[] {
  const type = typeOf(column.type);
  const evidence: PersonalDataEvidence[] = [];
  for (const category of PERSONAL_DATA_CATEGORIES) {
    const fits = (t: ColumnType | undefined) =>
      t === undefined || (category.kinds as readonly string[]).includes(kindOf(t));
    if (fits(type) && nameMeans(category, column.name)) {
      evidence.push({ category, source: 'name', text: column.name });
    }
    // A struct's fields are columns too: `contact struct<email:string>` holds an address.
    for (const field of structFields(type, column.name)) {
      if (fits(field.type) && nameMeans(category, field.name)) {
        evidence.push({ category, source: 'name', text: field.path });
      }
    }
    if (!fits(type)) continue;
    const phrase = column.description ? descriptionPhrase(category, column.description) : undefined;
    if (phrase) evidence.push({ category, source: 'description', text: phrase });
    const example = (column.examples ?? []).find((e) => typeof e === 'string' && valueLooksLike(category, e));
    if (example !== undefined) evidence.push({ category, source: 'example', text: String(example) });
  }
  return evidence;
}

/** Whether a snake_case name means the category: its tokens hold a name of it as the name's head. */
export function nameMeans(category: PersonalDataCategory, name: string): boolean {
  const tokens = name.toLowerCase().split('_').filter(Boolean);
  const trailing = new Set([...COMMON_SUFFIXES, ...category.suffixes]);
  return category.names.some((candidate) => {
    const wanted = candidate.split('_');
    for (let start = 0; start + wanted.length <= tokens.length; start++) {
      if (!wanted.every((w, i) => sameWord(tokens[start + i], w))) continue;
      if (start > 0 && category.notAfter.includes(tokens[start - 1])) continue;
      const rest = tokens.slice(start + wanted.length);
      if (rest.every((t) => trailing.has(t) || trailing.has(singular(t)) || /^\d+$/.test(t))) return true;
    }
    return false;
  });
}

/** Words that, earlier in the same clause, make a phrase about something else: "country derived from the IP address". */
const NEGATING_WORDS = new Set([
  'from',
  'of',
  'whether',
  'if',
  'has',
  'have',
  'had',
  'is',
  'was',
  'count',
  'hash',
  'hashed',
  'derived',
  'domain',
  'country',
  'without',
  'no',
  'not',
  'never',
  'when',
  'verified',
  'valid',
  'consent',
  'opted',
]);

/**
 * The phrase of the category a description uses about the column itself, if any. Only the clause a phrase
 * is in counts (clauses end at , ; : ( ) and sentence ends), and a negating word before it in that clause
 * ("number of email addresses", "hashed email address") makes the phrase about something else.
 */
export function descriptionPhrase(category: PersonalDataCategory, description: string): string | undefined {
  for (const clause of description.split(/[,;:()]|\.(?:\s|$)/)) {
    const words = clause.toLowerCase().trim().split(/\s+/).filter(Boolean);
    const text = words.join(' ');
    for (const phrase of category.phrases) {
      const at = wordIndex(text, phrase);
      if (at < 0) continue;
      const before = text.slice(0, at).trim().split(' ').filter(Boolean);
      if (before.some((w) => NEGATING_WORDS.has(w.replace(/[^a-z]/g, '')))) continue;
      return phrase;
    }
  }
  return undefined;
}

/** Where `phrase` starts in `text` as whole words, or -1. */
function wordIndex(text: string, phrase: string): number {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return -1;
    const before = at === 0 ? ' ' : text[at - 1];
    const after = text[at + phrase.length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return at;
    from = at + 1;
  }
}

function sameWord(token: string, word: string): boolean {
  return token === word || singular(token) === word;
}

/** `emails` → `email`, `addresses` → `address`: plural column names hold the same data. */
function singular(token: string): string {
  if (token.endsWith('sses')) return token.slice(0, -2);
  if (token.endsWith('s') && !token.endsWith('ss') && token.length > 2) return token.slice(0, -1);
  return token;
}

function typeOf(text: string | undefined): ColumnType | undefined {
  if (text === undefined) return undefined;
  try {
    return parseColumnType(text);
  } catch (err) {
    // A bad type is a definition problem reported elsewhere; judge the column by everything else.
    if (err instanceof ColumnTypeError) return undefined;
    throw err;
  }
}

/** The kind of values a type holds; an array holds its items' kind. */
function kindOf(type: ColumnType): ValueKind | 'other' {
  if (type.kind === 'array') return kindOf(type.items);
  if (isTextType(type)) return 'text';
  if (isNumericType(type)) return 'number';
  if (type.kind === 'struct') return 'struct';
  if (type.kind === 'primitive' && (type.name === 'date' || type.name === 'timestamp')) return 'date';
  return 'other';
}

/** Fields of a struct (or an array of structs), nested ones too, with their paths from the column. */
function structFields(
  type: ColumnType | undefined,
  path: string,
): { readonly name: string; readonly path: string; readonly type: ColumnType }[] {
  if (type?.kind === 'array') return structFields(type.items, path);
  if (type?.kind !== 'struct') return [];
  return type.fields.flatMap((field) => [
    { name: field.name, path: `${path}.${field.name}`, type: field.type },
    ...structFields(field.type, `${path}.${field.name}`),
  ]);
}

const patterns = new Map<string, RegExp>();

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  let regex = patterns.get(key);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, ignoreCase ? 'iu' : 'u');
    patterns.set(key, regex);
  }
  return regex;
}
