/**
 * The tables of the deployment's summary report: one row per stage with B's and A's figures,
 * and the timeline in words.
 *
 * @example
 * stageTable([{ name: '10%', revision: 5, status: 'breach', verdict, extensions: 0 }]).join('\n')
 */
import type { TimelineEvent } from './evidence.js';
import type { Verdict } from './judge.js';

/** What the report shows of a stage. */
export interface StageRow {
  readonly name: string;
  readonly revision: number;
  readonly status: string;
  readonly verdict?: Pick<Verdict, 'a' | 'b' | 'b_resources'>;
  readonly extensions: number;
}

const dash = (value: number | null | undefined, unit = '') => (value === null || value === undefined ? '-' : `${value}${unit}`);

/** One row per stage watched. */
export function stageTable(rows: readonly StageRow[]): string[] {
  if (rows.length === 0) return ['No stage was watched: no traffic reached B.'];
  const lines = [
    '| stage | revision | verdict | B requests | B errors | B p95 | A requests | A errors | A p95 | B max RSS | B CPU | extensions |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const v = row.verdict;
    lines.push(`| ${row.name} | ${row.revision} | ${row.status} | ${dash(v?.b.requests)} | ${dash(v?.b.errors)} | ${dash(v?.b.p95_ms, ' ms')} | ${dash(v?.a.requests)} | ${dash(v?.a.errors)} | ${dash(v?.a.p95_ms, ' ms')} | ${dash(v?.b_resources.max_rss_mb, ' MB')} | ${dash(v?.b_resources.cpu_percent, '%')} | ${row.extensions} |`);
  }
  return lines;
}

function describeEvent(e: TimelineEvent): string {
  switch (e.kind) {
    case 'plan': return `plan: stages ${(e['stages'] as string[]).join(', ')}${e['rehearse'] ? ` (rehearsal: ${e['rehearsal']})` : ''}`;
    case 'split': return `${e['label']}: revision ${e['revision']} live, B ${e['weight']}%${e['breach_to_a_ms'] !== undefined ? `, ${e['breach_to_a_ms']} ms after the trigger` : ''}`;
    case 'split.failed': return `${e['label']}: split failed: ${e['error']}`;
    case 'phase': return `phase ${e['name']}: ${e['outcome']}${e['error'] ? ` (${e['error']})` : ''}`;
    case 'stage': return `stage ${e['stage']}: ${e['status']}${(e['reasons'] as string[]).length ? `: ${(e['reasons'] as string[]).join('; ')}` : ''}`;
    case 'trigger': return `rollback triggered (${e['source']}): ${e['reason']}`;
    default: return e.kind;
  }
}

/** The timeline as a table, in order; the report's own event is left out. */
export function timelineRows(timeline: readonly TimelineEvent[]): string[] {
  const rows = timeline.filter((e) => e.kind !== 'report');
  return ['| time | what |', '| --- | --- |', ...rows.map((e) => `| ${new Date(e.at ?? 0).toISOString().slice(11, 23)} | ${describeEvent(e).replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)];
}
