import { describe, expect, it } from 'vitest';
import { liveServers, renderUpstream, revisionOf, splitWeights } from '../../../steps/deploy/nginx-config.js';
import { durationMs, normalizePhases, normalizeStages } from '../../../steps/deploy/settings.js';

describe('the nginx include arq renders', () => {
  it('reduces B\'s share to the smallest weights and marks a side without traffic down (nginx refuses weight=0)', () => {
    expect([0, 10, 25, 33, 50, 90, 100].map(splitWeights)).toEqual([
      { a: 1, b: 'down' }, { a: 9, b: 1 }, { a: 3, b: 1 }, { a: 67, b: 33 }, { a: 1, b: 1 }, { a: 1, b: 9 }, { a: 'down', b: 1 },
    ]);
  });

  it('writes the revision, the log format and the upstream, every server with max_fails=0', () => {
    const text = renderUpstream({ upstream: 'arq_app', a: '127.0.0.1:8001', b: '127.0.0.1:8002', weightB: 10, revision: 3, label: 'stage 10%' });
    expect(text).toBe([
      '# arq revision 3: stage 10% (A 90%, B 10%)',
      '# Written by arq traffic.split; the next split replaces this file whole.',
      'map $host $arq_revision { default "3"; }',
      'log_format arq_deploy escape=json \'{"time":"$msec","rev":"$arq_revision","status":"$status","request_time":"$request_time","upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","upstream_response_time":"$upstream_response_time","probe":"$http_x_arq_probe"}\';',
      'upstream arq_app {',
      '    server 127.0.0.1:8001 weight=9 max_fails=0;',
      '    server 127.0.0.1:8002 weight=1 max_fails=0;',
      '}',
      '',
    ].join('\n'));
    expect(revisionOf(text)).toBe(3);
    expect(liveServers(text)).toEqual(['127.0.0.1:8001', '127.0.0.1:8002']);
  });

  it('reads which servers get traffic, and no revision from a file arq did not write', () => {
    const rollback = renderUpstream({ upstream: 'app', a: '10.0.0.1:80', b: '10.0.0.2:80', weightB: 0, revision: 12, label: 'rollback' });
    expect(rollback).toContain('    server 10.0.0.2:80 down max_fails=0;\n');
    expect(liveServers(rollback)).toEqual(['10.0.0.1:80']);
    expect(revisionOf(rollback)).toBe(12);
    expect(revisionOf('upstream app { server 10.0.0.1:80; }')).toBeUndefined();
    expect(revisionOf(undefined)).toBeUndefined();
  });
});

describe('deployment settings', () => {
  it('names the stages by weight and turns their watch times into milliseconds', () => {
    expect(normalizeStages([{ weight: 10, watch: '1.5s' }, { weight: 50 }, { weight: 100, watch: 60000 }])).toEqual([
      { index: 1, name: '10%', label: 'stage 10%', weight: 10, watch_ms: 1500 },
      { index: 2, name: '50%', label: 'stage 50%', weight: 50, watch_ms: 30000 },
      { index: 3, name: '100%', label: 'stage 100%', weight: 100, watch_ms: 60000 },
    ]);
    expect([durationMs('250ms'), durationMs('2m'), durationMs('1h'), durationMs(7)]).toEqual([250, 120000, 3600000, 7]);
  });

  it('refuses stages that do not rise, or do not end at 100, with what to change', () => {
    expect(() => normalizeStages([{ weight: 50 }, { weight: 50 }, { weight: 100 }])).toThrow("stages[1] has weight 50, not above the 50 of the stage before: B's share must rise from stage to stage");
    expect(() => normalizeStages([{ weight: 10 }, { weight: 60 }])).toThrow('The last stage has weight 60: it must be 100, where B takes all the traffic');
    expect(() => durationMs('ten seconds')).toThrow('"ten seconds" is not a duration: write e.g. 500ms, 30s or 5m');
  });

  it('gives phases their order and timeout, each with one command or one workflow', () => {
    expect(normalizePhases([{ name: 'migrate', command: './migrate.sh', timeout: '1m' }, { name: 'seed', workflow: 'seed.yaml', inputs: { n: 1 } }])).toEqual([
      { index: 1, name: 'migrate', command: './migrate.sh', timeout_ms: 60000 },
      { index: 2, name: 'seed', workflow: 'seed.yaml', inputs: { n: 1 }, timeout_ms: 600000 },
    ]);
    expect(() => normalizePhases([{ name: 'x' }])).toThrow('Phase "x" needs exactly one of command (a shell command) or workflow (a workflow file)');
    expect(() => normalizePhases([{ name: 'x', command: 'a', workflow: 'b.yaml' }])).toThrow('Phase "x" needs exactly one of command');
    expect(() => normalizePhases([{ name: 'x', command: 'a' }, { name: 'x', command: 'b' }])).toThrow('Two phases are named "x": give each its own name');
  });
});
