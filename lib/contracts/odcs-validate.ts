/**
 * Validation of exported contracts against the official ODCS JSON schema with ajv. The schema ships with the
 * platform (`schema/`, Apache-2.0, see `schema/ODCS-LICENSE`), so every checkout validates the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';

export const ODCS_SCHEMA_FILE = 'odcs-json-schema-v3.1.0.json';

/** The ODCS v3.1.0 JSON schema shipped with the platform, unchanged from the standard's release. */
export const BUNDLED_ODCS_SCHEMA = path.join(__dirname, 'schema', ODCS_SCHEMA_FILE);

/** Returns the schema violations of a document as `path: message` lines; empty when valid. */
export type OdcsValidator = (document: unknown) => string[];

export interface OdcsValidatorOptions {
  /**
   * Accept `{name}` template expressions in `uri` values, as the standard's own examples do
   * (`s3://bucket/data/{model}/`); the rest of the URI is still checked in full.
   * @default true
   */
  readonly allowUriTemplates?: boolean;
}

const fullUri = fullFormats.uri as (value: string) => boolean;

/** A validator for `schema`, with the ajv dialect its `$schema` declares and ajv-formats' full format checks. */
export function createOdcsValidator(
  schema: Record<string, unknown>,
  options: OdcsValidatorOptions = {},
): OdcsValidator {
  const declared = String(schema.$schema ?? '');
  const ajvOptions = { strict: false, allErrors: true };
  const ajv = declared.includes('2020-12')
    ? new Ajv2020(ajvOptions)
    : declared.includes('2019-09')
      ? new Ajv2019(ajvOptions)
      : new Ajv(ajvOptions);
  addFormats(ajv);
  if (options.allowUriTemplates ?? true) {
    ajv.addFormat('uri', (value: string) => fullUri(value.replace(/\{[a-z][A-Za-z0-9_]*\}/g, 'x')));
  }
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${describeParams(e.params)}`,
    );
  };
}

function describeParams(params: Record<string, unknown>): string {
  const interesting = Object.entries(params).filter(([, v]) => v !== undefined);
  return interesting.length > 0 ? ` (${interesting.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')})` : '';
}

/**
 * Loads a schema file (the bundled one by default) and builds a validator. Throws, naming the file, when it
 * cannot be read or is not JSON: a contract is never written unvalidated by accident.
 */
export function loadOdcsValidator(
  schemaFile: string = BUNDLED_ODCS_SCHEMA,
  options?: OdcsValidatorOptions,
): OdcsValidator {
  let text: string;
  try {
    text = fs.readFileSync(schemaFile, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ODCS schema ${schemaFile}: ${(err as Error).message}`);
  }
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`the ODCS schema ${schemaFile} is not valid JSON: ${(err as Error).message}`);
  }
  return createOdcsValidator(schema, options);
}
