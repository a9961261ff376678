/**
 * A small mesh for the runtime commands and SDK responses in the shapes the services return them.
 */
import { SFNServiceException } from '@aws-sdk/client-sfn';
import { productRuntimeNames } from '../../lib/runtime/names';
import { makeTempProject, validDomain, validProduct } from '../support/temp-project';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
/** The marketing domain names its region; the sales domain deploys where the credentials point. */
export const MARKETING_REGION = 'eu-central-1';

/**
 * sales/orders: hourly checks, fresh within 2 hours. sales/refunds: daily checks, fresh within 26 hours.
 * sales/ledger: monitor disabled. sales/manual_feed: on-demand, nothing scheduled. marketing/ad_spend: daily
 * checks, no freshness promise, in the marketing domain's own region.
 */
export function runtimeProject(): string {
  return makeTempProject({
    domains: {
      sales: {
        domain: validDomain('sales'),
        products: {
          orders: validProduct('orders', {
            sla: {
              updateFrequency: 'hourly',
              freshness: { within: '2 hours', column: 'updated_at' },
              retention: '1 year',
            },
          }),
          refunds: validProduct('refunds', {
            sla: {
              updateFrequency: 'daily',
              freshness: { within: '26 hours', column: 'updated_at' },
              retention: '1 year',
            },
          }),
          ledger: validProduct('ledger', { monitor: { enabled: false } }),
          manual_feed: validProduct('manual_feed', { sla: { updateFrequency: 'on-demand', retention: '1 year' } }),
        },
      },
      marketing: {
        domain: validDomain('marketing', { env: { account: ACCOUNT, region: MARKETING_REGION } }),
        products: { ad_spend: validProduct('ad_spend') },
      },
    },
  });
}

export const names = (domain: string, product: string) =>
  productRuntimeNames({ prefix: 'acme' } as Parameters<typeof productRuntimeNames>[0], domain, product, 1);

export const stateMachineArn = (domain: string, product: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${names(domain, product).stateMachine}`;

export const executionArn = (domain: string, product: string, name: string) =>
  `arn:aws:states:${REGION}:${ACCOUNT}:execution:${names(domain, product).stateMachine}:${name}`;

/** A StateMachineListItem as ListStateMachines returns it. */
export function stateMachineItem(domain: string, product: string) {
  return {
    stateMachineArn: stateMachineArn(domain, product),
    name: names(domain, product).stateMachine,
    type: 'STANDARD' as const,
    creationDate: new Date('2026-11-20T10:00:00Z'),
  };
}

/** The state machine's run summary, as output or as the cause of QualityGateFailed. */
export function runSummary(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    runId: 'c4f7e2a0-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
    runDate: '2026-12-02',
    kind: 'check',
    published: false,
    failedRules: 0,
    rules: 4,
    rowsWritten: 0,
    ...over,
  });
}

/** A DescribeExecution response. */
export function describedExecution(
  domain: string,
  product: string,
  name: string,
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED',
  extra: { output?: string; error?: string; cause?: string; startDate?: Date; stopDate?: Date } = {},
) {
  const startDate = extra.startDate ?? new Date('2026-12-02T06:00:01.123Z');
  return {
    executionArn: executionArn(domain, product, name),
    stateMachineArn: stateMachineArn(domain, product),
    name,
    status,
    startDate,
    ...(status === 'RUNNING' ? {} : { stopDate: extra.stopDate ?? new Date(startDate.getTime() + 95_000) }),
    input: '{}',
    inputDetails: { included: true },
    ...(extra.output !== undefined ? { output: extra.output, outputDetails: { included: true } } : {}),
    ...(extra.error !== undefined ? { error: extra.error } : {}),
    ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
    redriveCount: 0,
    redriveStatus: status === 'FAILED' ? ('REDRIVABLE' as const) : ('NOT_REDRIVABLE' as const),
    $metadata: { httpStatusCode: 200, requestId: 'a1b2c3d4-5e6f-7a8b-9c0d-e1f2a3b4c5d6' },
  };
}

/** A service error as the SDK throws it for codes without their own class (AccessDeniedException, ThrottlingException). */
export function sfnServiceError(name: string, message: string, httpStatusCode = 400): SFNServiceException {
  return new SFNServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode } });
}
