/**
 * Preloaded into every Node process of a measured run (NODE_OPTIONS=--require): on exit, writes the
 * process's peak resident memory to MESH_BENCH_RSS_DIR, so the benchmark can report the app's peak apart
 * from the CDK CLI's.
 */
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.MESH_BENCH_RSS_DIR;
if (dir) {
  process.on('exit', () => {
    try {
      const record = { argv: process.argv.slice(1).join(' '), maxRssKb: process.resourceUsage().maxRSS };
      fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
    } catch {
      // A measurement that cannot be written is missing from the report, not a failed run.
    }
  });
}
