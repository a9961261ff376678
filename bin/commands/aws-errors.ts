/**
 * Turns what the AWS SDK throws into a message that says what to do. Plain data in, text out: the SDK is
 * never imported here (errors are recognised by the shape the SDK gives them), so every command can use it
 * without loading the SDK, and tests feed it the real error classes.
 */

/** What the command was doing, for the message. */
export interface AwsErrorContext {
  /** The AWS service called, e.g. `Glue`. */
  readonly service?: string;
  /** `--profile`, when given (else AWS_PROFILE applies). */
  readonly profile?: string;
  /** The region used, when known. */
  readonly region?: string;
}

/** Kinds of failure a user can act on. */
export type AwsFailure = 'no-region' | 'no-credentials' | 'expired-credentials' | 'access-denied' | 'throttled';

export interface AwsErrorDescription {
  readonly failure: AwsFailure;
  /** One line: what happened and how to fix it. */
  readonly message: string;
}

/** The fields the SDK puts on the errors it throws (service exceptions and provider errors). */
interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
}

/** Provider errors of the SDK's credential chain (no credentials, SSO token missing or expired). */
const CREDENTIAL_PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);
/** Services' names for credentials that are no longer (or were never) valid. */
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
/** Throttling names of the services the platform calls (IAM, Glue, Athena) and the SDK's generic ones. */
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/**
 * The actionable reading of an SDK error, or undefined when it is not one of the failures a user fixes
 * outside the platform (then the caller reports it as it is).
 */
export function describeAwsError(error: unknown, context: AwsErrorContext = {}): AwsErrorDescription | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkErrorShape;
  const name = e.name ?? e.Code ?? '';
  const detail = e.message ? ` (${name && name !== 'Error' ? `${name}: ` : ''}${e.message})` : '';
  const profile = context.profile ? ` --profile ${context.profile}` : '';
  const service = context.service ?? 'AWS';

  if (e.message === 'Region is missing' || /^Region is missing/.test(e.message ?? '')) {
    return {
      failure: 'no-region',
      message: `no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile in ~/.aws/config`,
    };
  }
  if (CREDENTIAL_PROVIDER_ERRORS.has(name)) {
    const whose = context.profile ? ` for profile "${context.profile}"` : '';
    return {
      failure: 'no-credentials',
      message: `no AWS credentials${whose}${detail}: sign in (aws sso login${profile}), pass --profile <name>, or set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    };
  }
  if (BAD_CREDENTIALS.has(name)) {
    return {
      failure: 'expired-credentials',
      message: `${service} rejected the AWS credentials as expired or invalid${detail}: refresh them (aws sso login${profile}) and run again`,
    };
  }
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    const where = context.region ? ` in ${context.region}` : '';
    return {
      failure: 'access-denied',
      message: `${service} denied the request${where}${detail}: use a role that is allowed it (--profile <name>), or ask the platform team to grant the action named above`,
    };
  }
  if (THROTTLED.has(name) || e.$retryable?.throttling === true || e.$metadata?.httpStatusCode === 429) {
    return {
      failure: 'throttled',
      message: `${service} kept throttling the requests after the SDK's adaptive retries${detail}: try again in a few minutes, or narrow the command (fewer domains or products)`,
    };
  }
  return undefined;
}
