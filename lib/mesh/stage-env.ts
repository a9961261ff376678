/** Environment variable the `mesh` CLI's `--stage` sets, and the CDK app reads when `-c stage` is not given. */
export const STAGE_ENV = 'MESH_STAGE';
