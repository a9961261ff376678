/**
 * Statements granting reads of other domains' products (objects, listings, tables, decryption through S3),
 * and their split over managed policies: IAM counts at most 6,144 characters per policy, measured here on
 * the policy as deployed to the longest partition, region and account.
 */
import { arn, DEPLOY_ENV, domainNames, type Env, pascal, s3Arn } from './names';

/** One product version another domain owns, read by this domain. */
export interface Input {
  readonly domain: string;
  readonly product: string;
  readonly major: number;
}

/** `<domain>/<product>@<major>`, as definitions name inputs. */
export function parseInput(input: string): Input {
  const match = /^([a-z0-9_]+)\/([a-z0-9_]+)@(\d+)$/.exec(input);
  if (!match) throw new Error(`not an input: ${input}`);
  return { domain: match[1], product: match[2], major: Number(match[3]) };
}

/** A statement as IAM's JSON. */
export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export function inputStatements(prefix: string, inputs: readonly Input[], env: Env = DEPLOY_ENV): StatementJson[] {
  const named = inputs.map((i) => ({
    ...i,
    names: domainNames(prefix, i.domain, env),
    path: `products/${i.product}/v${i.major}/`,
  }));
  const producers = [...new Map(named.map((i) => [i.domain, i.names])).entries()];
  return [
    {
      Sid: 'ReadInputObjects',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: named.map((i) => s3Arn(`${i.names.dataBucket}/${i.path}*`, env)),
    },
    {
      Sid: 'ReadInputTables',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
      Resource: [
        arn('glue', 'catalog', env),
        ...producers.map(([, n]) => arn('glue', `database/${n.database}`, env)),
        ...named.map((i) => arn('glue', `table/${i.names.database}/${i.product}_v${i.major}`, env)),
      ],
    },
    {
      Sid: 'LocateInputBuckets',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: s3Arn(`${prefix}-*-data-*`, env),
    },
    ...producers.map(
      ([domain, n]): StatementJson => ({
        Sid: `ListInputsOf${pascal(domain)}`,
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: s3Arn(n.dataBucket, env),
        Condition: { StringLike: { 's3:prefix': named.filter((i) => i.domain === domain).map((i) => `${i.path}*`) } },
      }),
    ),
    {
      Sid: 'DecryptInputsViaS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: arn('kms', 'key/*', env),
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${env.region}.${env.urlSuffix}` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': producers.map(([, n]) => n.keyAlias) },
      },
    },
  ];
}

/** The longest values an environment-agnostic stack can be deployed with. */
const LONGEST_ENV: Env = {
  partition: 'aws-us-gov',
  account: '123456789012',
  region: 'xx-xxxxxxxxxxx-9',
  urlSuffix: 'amazonaws.com.cn',
};
const MAX_POLICY_CHARS = 6_144;

/** The list a statement may be cut at: its resources, or its only condition's values; empty if neither. */
function listOf(statement: StatementJson): string[] {
  if (Array.isArray(statement.Resource)) return statement.Resource;
  const conditions = Object.values(statement.Condition ?? {}).flatMap((c) => Object.values(c));
  return conditions.length === 1 && Array.isArray(conditions[0]) ? conditions[0] : [];
}

/** Part `part` of a statement: its list cut to [from, to), with a Sid of its own after the first part. */
interface Piece {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly part: number;
}

function cut(statement: StatementJson, piece: Piece): StatementJson {
  if (listOf(statement).length === 0) return statement;
  const items = listOf(statement).slice(piece.from, piece.to);
  const sid = statement.Sid && piece.part > 0 ? { Sid: `${statement.Sid}Part${piece.part + 1}` } : {};
  if (Array.isArray(statement.Resource)) return { ...statement, ...sid, Resource: items };
  const [op, values] = Object.entries(statement.Condition ?? {})[0];
  return { ...statement, ...sid, Condition: { [op]: { [Object.keys(values)[0]]: items } } };
}

/**
 * The input statements packed into as few managed policies as fit, in order. A statement that does not fit
 * is cut at its list, the head filling the policy and the rest starting the next: an Allow over a list is
 * the union of Allows over its parts, so cutting never changes what is allowed.
 */
export function inputPolicies(prefix: string, inputs: readonly Input[]): StatementJson[][] {
  if (inputs.length === 0) return [];
  const measured = inputStatements(prefix, inputs, LONGEST_ENV);
  const fits = (pieces: readonly Piece[]) =>
    JSON.stringify({ Version: '2012-10-17', Statement: pieces.map((p) => cut(measured[p.index], p)) }).length <=
    MAX_POLICY_CHARS;
  const policies: Piece[][] = [];
  let current: Piece[] = [];
  const next = () => {
    if (current.length === 0) throw new Error('an input statement alone exceeds the managed policy limit');
    policies.push(current);
    current = [];
  };
  measured.forEach((statement, index) => {
    const length = listOf(statement).length;
    if (length === 0) {
      const whole = { index, from: 0, to: 0, part: 0 };
      if (!fits([...current, whole])) next();
      current.push(whole);
      return;
    }
    for (let from = 0, part = 0; from < length; ) {
      // The longest head of the rest that still fits the current policy.
      let low = from;
      let high = length;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (fits([...current, { index, from, to: mid, part }])) low = mid;
        else high = mid - 1;
      }
      if (low === from) {
        next();
        continue;
      }
      current.push({ index, from, to: low, part });
      part++;
      from = low;
      if (from < length) next();
    }
  });
  if (current.length > 0) policies.push(current);
  const deployed = inputStatements(prefix, inputs, DEPLOY_ENV);
  return policies.map((pieces) => pieces.map((p) => cut(deployed[p.index], p)));
}
