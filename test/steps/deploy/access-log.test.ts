import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogTail, parseLogLine, samplesOf } from '../../../steps/deploy/access-log.js';
import { tempDir } from '../../helpers/workflow.js';

const who = { a: '127.0.0.1:8001', b: '127.0.0.1:8002', revision: 5 };
const line = (fields: Record<string, string>) => JSON.stringify({ time: '1700000000.250', rev: '5', status: '200', request_time: '0.010', upstream_addr: '127.0.0.1:8001', upstream_status: '200', upstream_response_time: '0.009', probe: '', ...fields });

describe('the access log, per variant', () => {
  it('turns each upstream attempt into a sample of the side it reached', () => {
    const entries = [
      line({}),
      line({ upstream_addr: '127.0.0.1:8002', upstream_status: '503', upstream_response_time: '0.412', status: '503' }),
      line({ upstream_addr: '127.0.0.1:8002', upstream_status: '200', upstream_response_time: '0.020', probe: 'watch' }),
    ].map(parseLogLine);
    expect(samplesOf(entries, who)).toEqual([
      { at: 1700000000250, variant: 'A', status: 200, ms: 9, error: false, probe: false },
      { at: 1700000000250, variant: 'B', status: 503, ms: 412, error: true, probe: false },
      { at: 1700000000250, variant: 'B', status: 200, ms: 20, error: false, probe: true },
    ]);
  });

  it('charges B with its failure when nginx retried on A ("502, 200"), and a refused connection as a 502 without latency', () => {
    const retried = parseLogLine(line({ upstream_addr: '127.0.0.1:8002, 127.0.0.1:8001', upstream_status: '502, 200', upstream_response_time: '0.001, 0.004' }));
    const refused = parseLogLine(line({ upstream_addr: '127.0.0.1:8002', upstream_status: '-', upstream_response_time: '-', status: '502' }));
    const redirected = parseLogLine(line({ upstream_addr: '127.0.0.1:8002 : 127.0.0.1:8001', upstream_status: '404 : 200', upstream_response_time: '0.002 : 0.003' }));
    expect(samplesOf([retried, refused, redirected], who).map((s) => `${s.variant} ${s.status} ${s.ms} ${s.error}`)).toEqual([
      'B 502 1 true', 'A 200 4 false', 'B 502 null true', 'B 404 2 false', 'A 200 3 false',
    ]);
  });

  it('counts only the revision being watched, never proof probes, and skips lines of other formats', () => {
    const entries = [line({ rev: '4' }), line({ probe: 'proof' }), 'not json', '{"other":"format"}', line({ upstream_addr: '10.9.9.9:80' })].map(parseLogLine);
    expect(samplesOf(entries, who)).toEqual([]);
  });

  it('tails a file: only complete lines appended after the start, a half-written line once it is whole', async () => {
    const file = join(tempDir('arq-access-'), 'access.log');
    writeFileSync(file, `${line({ rev: '1' })}\n`);
    const tail = new LogTail(file);
    await tail.skipToEnd();
    expect(await tail.read()).toEqual([]);
    appendFileSync(file, `${line({})}\n${line({ status: '201' }).slice(0, 20)}`);
    expect(await tail.read()).toEqual([line({})]);
    appendFileSync(file, `${line({ status: '201' }).slice(20)}\n`);
    expect(await tail.read()).toEqual([line({ status: '201' })]);
    expect(await new LogTail(join(file, '..', 'missing.log')).read()).toEqual([]);
  });
});
