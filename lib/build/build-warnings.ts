/**
 * What a build does that works but is likely a mistake: inputs it is granted but never reads, and a schedule
 * that runs more often than the SLA needs (each run is billed) or less often than it promises.
 */
import type { Sla } from '../definition/schema';
import type { MeshProduct } from '../mesh/model';
import type { DefinitionProblem } from '../mesh/problems';
import { parsePlaceholders } from './placeholders';
import { describeMinutes, parseSchedule, runGaps } from './schedule';

/** Time between runs an update frequency asks for, in minutes: the shortest that is needed, the longest allowed. */
const NEEDED: Partial<Record<Sla['updateFrequency'], { readonly least: number; readonly most: number }>> = {
  hourly: { least: 60, most: 60 },
  daily: { least: 1440, most: 1440 },
  weekly: { least: 7 * 1440, most: 7 * 1440 },
  monthly: { least: 28 * 1440, most: 31 * 1440 },
};

/** Warnings on a product's build; none when it has no build or its build has errors the checks report. */
export function buildWarnings(product: MeshProduct): DefinitionProblem[] {
  const build = product.definition.build;
  if (!build) return [];
  const warnings: DefinitionProblem[] = [];
  const warn = (path: string, message: string) => warnings.push({ file: product.file, path, message });

  const read = new Set(parsePlaceholders(build.sql).flatMap((p) => (p.kind === 'input' ? [p.reference] : [])));
  product.definition.inputs.forEach((input, i) => {
    if (!read.has(input)) {
      warn(
        `inputs[${i}]`,
        `input "${input}" is declared but the build SQL never reads it; use {input:${input}} or remove it (the build's role is granted read access to every input)`,
      );
    }
  });

  const frequency = product.definition.sla?.updateFrequency;
  const needed = frequency ? NEEDED[frequency] : undefined;
  const parsed = parseSchedule(build.schedule);
  const gaps = 'schedule' in parsed ? runGaps(parsed.schedule) : undefined;
  if (needed && gaps) {
    if (gaps.shortest < needed.least) {
      warn(
        'build.schedule',
        `${build.schedule} runs every ${describeMinutes(gaps.shortest)}, more often than sla.updateFrequency "${frequency}" needs (every ${describeMinutes(needed.least)}); each run is billed for the Athena bytes it scans`,
      );
    } else if (gaps.longest > needed.most) {
      warn(
        'build.schedule',
        `${build.schedule} leaves up to ${describeMinutes(gaps.longest)} between runs, but sla.updateFrequency "${frequency}" promises an update every ${describeMinutes(needed.most)}`,
      );
    }
  }
  return warnings;
}
