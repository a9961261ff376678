/**
 * Validation of exported contracts against the official ODCS JSON schema with ajv. The schema file is not
 * bundled: callers pass its path (the CLI looks beside the project, see `defaultOdcsSchemaPath`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';

export const ODCS_SCHEMA_FILE = 'odcs-json-schema-v3.1.0.json';

/** Where a checkout of the platform keeps the shared ODCS schema: `../shared/schemas/` beside the project root. */
export function defaultOdcsSchemaPath(root: string): string {
  return path.resolve(root, '..', 'shared', 'schemas', ODCS_SCHEMA_FILE);
}

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

/** Loads the schema file and builds a validator; undefined when the file does not exist. */
export function loadOdcsValidator(schemaFile: string, options?: OdcsValidatorOptions): OdcsValidator | undefined {
  if (!fs.existsSync(schemaFile)) return undefined;
  return createOdcsValidator(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>, options);
}
