/**
 * A product removed before it was retired fails its own domain's stack at synth, and only that stack: the
 * MESH-CON-005 finding has no product, so the policy engine attaches it to the domain.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMesh } from '../../lib/mesh/load';
import { contractsSource, governanceOf } from '../../lib/policies';
import { governedApp, messagesOf, text } from '../policies/support/apps';
import { copyExampleProject } from '../support/temp-project';

const REPORT = 'domains/marketing/products/campaign_roi_report.ts';
const REPORT_LOCK = 'domains/marketing/products/campaign_roi_report.contract.lock.json';

let root: string;
beforeAll(() => {
  root = copyExampleProject();
  fs.rmSync(path.join(root, REPORT));
});
afterAll(() => {
  // Unlink first so removing the copy can never reach the real folders behind the links.
  for (const entry of fs.readdirSync(root)) {
    if (fs.lstatSync(path.join(root, entry)).isSymbolicLink()) fs.unlinkSync(path.join(root, entry));
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('only the stack of the domain that removed the product fails, at its domain construct', () => {
  const { app, stacks } = governedApp(loadMesh({ root }), { sources: [contractsSource], root, today: '2026-11-22' });
  app.synth();
  const marketing = stacks.get('marketing')!;
  const errors = messagesOf(marketing, 'error', 'MESH-CON-005');
  expect(errors.map((m) => m.id)).toEqual(['/Mesh-Marketing/Domain']);
  expect(text(errors[0])).toContain(`${REPORT} was removed, but ${REPORT_LOCK} records the published contract`);

  const reports = governanceOf(app)!.stackReports();
  const failing = reports.filter((r) => r.findings.some((f) => f.status === 'fail' && f.severity === 'error'));
  expect(failing.map((r) => r.stack)).toEqual(['Mesh-Marketing']);
  for (const other of ['customers', 'fulfillment', 'sales']) {
    expect(messagesOf(stacks.get(other)!, 'error', 'MESH-CON-005')).toEqual([]);
  }
});
