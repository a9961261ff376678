/**
 * The four Athena calls a quality check makes, behind a small interface: the runner's logic (polling,
 * retries, timeouts, result parsing) never sees SDK types, and tests can mock either side.
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';

/** A query to start. */
export interface AthenaQueryRequest {
  readonly sql: string;
  /** Workgroup the query runs and is billed in. */
  readonly workgroup: string;
  /** Default database of unqualified names. */
  readonly database: string;
  /** Idempotency token: a retried start with the same token does not start a second query. */
  readonly clientRequestToken: string;
}

/** Where a query stands. */
export interface AthenaQueryStatus {
  /** QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED. */
  readonly state: string;
  /** Athena's explanation of a FAILED or CANCELLED state. */
  readonly stateChangeReason?: string;
  /** Bytes read so far (final once SUCCEEDED). */
  readonly dataScannedInBytes?: number;
  readonly engineExecutionTimeInMillis?: number;
}

/** One page of results, as Athena returns it: every value is text or missing (NULL). */
export interface AthenaResultPage {
  /** Output column names, from the result set metadata. */
  readonly columns: readonly string[];
  /** Rows in order; for SELECT statements the first row of the first page repeats the column names. */
  readonly rows: readonly (readonly (string | null)[])[];
  readonly nextToken?: string;
}

/** Athena as the runner uses it. */
export interface AthenaQueryApi {
  /** Starts a query; returns its QueryExecutionId. */
  start(request: AthenaQueryRequest): Promise<string>;
  status(queryExecutionId: string): Promise<AthenaQueryStatus>;
  results(queryExecutionId: string, nextToken?: string): Promise<AthenaResultPage>;
  stop(queryExecutionId: string): Promise<void>;
}

/** The interface over a real (or aws-sdk-client-mock'ed) AthenaClient. */
export function athenaQueryApi(client: AthenaClient): AthenaQueryApi {
  return {
    async start(request) {
      const response = await client.send(
        new StartQueryExecutionCommand({
          QueryString: request.sql,
          WorkGroup: request.workgroup,
          QueryExecutionContext: { Database: request.database },
          ClientRequestToken: request.clientRequestToken,
        }),
      );
      if (!response.QueryExecutionId) throw new Error('Athena started a query but returned no QueryExecutionId');
      return response.QueryExecutionId;
    },
    async status(queryExecutionId) {
      const response = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      const execution = response.QueryExecution;
      const status = execution?.Status;
      const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage;
      return {
        state: status?.State ?? 'UNKNOWN',
        ...(reason !== undefined ? { stateChangeReason: reason } : {}),
        ...(execution?.Statistics?.DataScannedInBytes !== undefined
          ? { dataScannedInBytes: execution.Statistics.DataScannedInBytes }
          : {}),
        ...(execution?.Statistics?.EngineExecutionTimeInMillis !== undefined
          ? { engineExecutionTimeInMillis: execution.Statistics.EngineExecutionTimeInMillis }
          : {}),
      };
    },
    async results(queryExecutionId, nextToken) {
      const response = await client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: queryExecutionId,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      const columns = (response.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const rows = (response.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((d) => d.VarCharValue ?? null));
      return { columns, rows, ...(response.NextToken ? { nextToken: response.NextToken } : {}) };
    },
    async stop(queryExecutionId) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
    },
  };
}
