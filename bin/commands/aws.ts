/**
 * What the live commands share: `--region` and `--profile`, one client configuration (the SDK's adaptive
 * retries instead of hand-written ones), and the failure that turns an SDK error into an actionable message
 * with exit code 2 (could not run). The SDK itself is loaded by the commands, only when they call AWS.
 */
import type { Command } from 'commander';
import type { AthenaQueryApi } from '../../lib/quality/athena-client';
import { type AwsErrorContext, describeAwsError } from './aws-errors';
import { CommandError } from './shared';

export interface AwsOptions {
  /** `--region`; else AWS_REGION, AWS_DEFAULT_REGION, then the profile's region. */
  readonly region?: string;
  /** `--profile`; else AWS_PROFILE, then the default profile. */
  readonly profile?: string;
}

/** Attempts per call, throttling included: the first try and four adaptive retries. */
export const AWS_MAX_ATTEMPTS = 5;

/** Adds `--region` and `--profile` to a command that calls AWS. */
export function addAwsOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: AWS_REGION, then the region of the profile)')
    .option('--profile <name>', 'profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)');
}

/** Configuration of every SDK client the CLI creates. */
export function awsClientConfig(options: AwsOptions): {
  region?: string;
  profile?: string;
  maxAttempts: number;
  retryMode: 'adaptive';
} {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    maxAttempts: AWS_MAX_ATTEMPTS,
    retryMode: 'adaptive',
  };
}

/**
 * The error a command throws when AWS could not be used: the actionable message when the SDK error is one a
 * user fixes (credentials, region, permissions, throttling), the error itself otherwise.
 */
export function awsFailure(error: unknown, context: AwsErrorContext): unknown {
  const described = describeAwsError(error, context);
  return described ? new CommandError(described.message) : error;
}

/** Runs the AWS part of a command; SDK failures a user can fix become a CommandError (exit 2). */
export async function callAws<T>(context: AwsErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsFailure(error, context);
  }
}

/**
 * The Athena calls, with the SDK failures a user must fix (credentials, region, permissions, throttling after
 * the SDK's retries) turned into one actionable CommandError that ends the check, rather than a failed rule.
 */
export function guardAthenaApi(api: AthenaQueryApi, context: AwsErrorContext): AthenaQueryApi {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw awsFailure(error, context);
      }
    };
  return {
    start: guard(api.start.bind(api)),
    status: guard(api.status.bind(api)),
    results: guard(api.results.bind(api)),
    stop: guard(api.stop.bind(api)),
  };
}
