/** Data quality: rules compiled to SQL (Athena/Trino and DuckDB), run on Athena or local files, and judged. */
export * from './athena-client';
export * from './athena-cost';
export * from './athena-query';
export * from './athena-runner';
export * from './checks';
export * from './compile';
export * from './evaluate';
export * from './local-runner';
export * from './local-source';
export * from './measure-text';
export * from './named-query';
export * from './regex-sampler';
export * from './sample-data';
export * from './sql-text';
export * from './threshold';
