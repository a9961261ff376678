// Fails when CDK's built-in CloudFormation validator reported anything of warning level or above.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(process.argv[2] || 'cdk.out', 'validation-report.json');
if (!fs.existsSync(file)) {
  console.error(`${file} is missing: the built-in CloudFormation validator did not run`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const reports = report.pluginReports || [];
// The validator adds a report only when it has findings; no report means a clean run.
const validator = reports.filter((r) => /cloudformation/i.test(r.pluginName || ''));
const findings = validator.flatMap((r) =>
  (r.violations || []).filter((v) => ['warning', 'error', 'fatal'].includes(String(v.severity).toLowerCase())),
);
for (const finding of findings) {
  const where = (finding.violatingConstructs || finding.violatingResources || [])
    .map((c) => c.constructPath || `${c.templatePath}#${c.resourceLogicalId}`)
    .join(', ');
  console.error(`${finding.severity}: ${finding.ruleName}: ${finding.description} (${where})`);
}
console.log(
  `CloudFormation validator: ${validator.length} report(s), ${findings.length} finding(s) of warning level or above`,
);
process.exit(findings.length > 0 ? 1 : 0);
