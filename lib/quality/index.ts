/**
 * Data quality: rules compiled to SQL (Athena/Trino and DuckDB) and judged — plain functions only, safe to
 * import from the CDK app. The runners load DuckDB or the AWS SDK and are imported from their own modules:
 * `./athena-runner` (with `./athena-client`), `./local-runner`, `./sample-data`.
 */
export * from './athena-cost';
export * from './checks';
export * from './compile';
export * from './evaluate';
export * from './measure-text';
export * from './named-query';
export * from './sql-text';
export * from './threshold';
