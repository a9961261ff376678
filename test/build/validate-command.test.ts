/** `mesh validate` reports build problems like every other definition problem, and build warnings apart. */
import { registerValidateCommand } from '../../bin/commands/validate';
import { runCommand } from '../cli/support/run-command';
import { makeTempProject, validDomain } from '../support/temp-project';
import { DAILY_REVENUE_SQL, dailyRevenue, ORDERS } from './support';

const root = makeTempProject({
  domains: {
    sales: {
      domain: validDomain('sales'),
      products: {
        orders: ORDERS,
        daily_revenue: dailyRevenue({}, { sql: DAILY_REVENUE_SQL.replace('sum(o.net_amount)', 'sum(o.amount)') }),
      },
    },
    marketing: {
      domain: validDomain('marketing'),
      products: { campaign_revenue: dailyRevenue({ name: 'campaign_revenue' }, { schedule: 'rate(1 hour)' }) },
    },
  },
});
const validate = (...args: string[]) => runCommand([registerValidateCommand], ['-C', root, 'validate', ...args]);

describe('mesh validate with builds', () => {
  test('a build problem is a definition problem of its domain only; a build warning blocks nothing', async () => {
    const { stderr, exitCode } = await validate();
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /^domains\/sales\/products\/daily_revenue\.ts:\d+:\d+: build\.sql: DuckDB cannot run the build SQL over its inputs' schemas: Binder Error: Table "o" does not have a column named "amount" \(SQL line 3, column 12\)$/m,
    );
    expect(stderr).toMatch(
      /^warning domains\/marketing\/products\/campaign_revenue\.ts:\d+:\d+: build\.schedule: rate\(1 hour\) runs every 1 hour, more often than sla\.updateFrequency "daily" needs/m,
    );
    // Marketing's build is sound: its only build line is the warning (its other findings are about files a
    // temporary project lacks, such as contract locks).
    expect(stderr).not.toMatch(/^domains\/marketing\/.*: build\./m);
    expect(stderr).toMatch(/^✖ 1 definition problem, .*; synth would fail for .*sales/m);
  });

  test('--json lists the build problem among the problems and the warnings apart', async () => {
    const { stdout } = await validate('--json');
    const verdict = JSON.parse(stdout);
    expect(verdict.valid).toBe(false);
    expect(verdict.problems).toEqual([
      expect.objectContaining({ file: 'domains/sales/products/daily_revenue.ts', path: 'build.sql' }),
    ]);
    expect(verdict.warnings).toEqual([
      expect.objectContaining({ file: 'domains/marketing/products/campaign_revenue.ts', path: 'build.schedule' }),
    ]);
  });
});
