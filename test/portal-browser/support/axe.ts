/** Accessibility checks with axe-core, injected into the page from node_modules (no network). */
import type { Page } from 'playwright-core';

export interface AxeFinding {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements (the first few). */
  readonly targets: string[];
}

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** Violations of impact serious or critical on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
}
