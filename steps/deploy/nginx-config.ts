/**
 * The nginx include arq owns during a deployment: one upstream with A and B weighted for the
 * stage, the revision it belongs to (`$arq_revision`, sent back as a header and written into the
 * access log), and the JSON access-log format the canary watch reads.
 *
 * The user's server block includes this file at http level (before the server that uses it) and
 * says, in the location that proxies to the upstream:
 *
 *     proxy_pass http://arq_app;
 *     proxy_next_upstream off;
 *     add_header X-Arq-Revision $arq_revision always;
 *     add_header X-Arq-Upstream $upstream_addr always;
 *     access_log /var/log/nginx/arq-access.log arq_deploy;
 *
 * @example
 * renderUpstream({ upstream: 'arq_app', a: '127.0.0.1:8001', b: '127.0.0.1:8002', weightB: 10, revision: 3, label: 'stage 10%' })
 * // '# arq revision 3: stage 10% (A 90%, B 10%)\n...server 127.0.0.1:8001 weight=9 max_fails=0;...'
 */

/** What one rendering says. */
export interface UpstreamSpec {
  /** The upstream's name (`proxy_pass http://NAME`). */
  readonly upstream: string;
  /** host:port of A and of B. */
  readonly a: string;
  readonly b: string;
  /** B's share of the traffic in percent, 0 to 100. */
  readonly weightB: number;
  readonly revision: number;
  /** What the split is for (`baseline`, `stage 10%`, `rollback`), written as a comment. */
  readonly label: string;
}

/** nginx weight of a server, or `down` for 0 % (nginx refuses `weight=0`). */
export type ServerWeight = number | 'down';

/** The name of the JSON access-log format defined by the include. */
export const LOG_FORMAT = 'arq_deploy';

/**
 * One JSON object per request: the revision that served it, and every upstream attempt
 * (`$upstream_addr`, `$upstream_status` and `$upstream_response_time` list them in order).
 */
const LOG_FIELDS = [
  '"time":"$msec"', '"rev":"$arq_revision"', '"status":"$status"', '"request_time":"$request_time"',
  '"upstream_addr":"$upstream_addr"', '"upstream_status":"$upstream_status"',
  '"upstream_response_time":"$upstream_response_time"', '"probe":"$http_x_arq_probe"',
];

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

/**
 * The smallest integer weights of A and B for B's share, `down` for a side with no traffic.
 *
 * @example
 * splitWeights(10)  // { a: 9, b: 1 }
 * splitWeights(0)   // { a: 1, b: 'down' }
 */
export function splitWeights(weightB: number): { a: ServerWeight; b: ServerWeight } {
  if (weightB <= 0) return { a: 1, b: 'down' };
  if (weightB >= 100) return { a: 'down', b: 1 };
  const divisor = gcd(100 - weightB, weightB);
  return { a: (100 - weightB) / divisor, b: weightB / divisor };
}

function serverLine(address: string, weight: ServerWeight): string {
  // max_fails=0: nginx must not quietly take a failing B out of rotation, which would hide it from the watch.
  return `    server ${address} ${weight === 'down' ? 'down' : `weight=${weight}`} max_fails=0;`;
}

/** The include's text for one split. */
export function renderUpstream(spec: UpstreamSpec): string {
  const weights = splitWeights(spec.weightB);
  return [
    `# arq revision ${spec.revision}: ${spec.label} (A ${100 - spec.weightB}%, B ${spec.weightB}%)`,
    '# Written by arq traffic.split; the next split replaces this file whole.',
    `map $host $arq_revision { default "${spec.revision}"; }`,
    `log_format ${LOG_FORMAT} escape=json '{${LOG_FIELDS.join(',')}}';`,
    `upstream ${spec.upstream} {`,
    serverLine(spec.a, weights.a),
    serverLine(spec.b, weights.b),
    '}',
    '',
  ].join('\n');
}

/**
 * The revision a rendered include says it is, from its first line; undefined for any other text
 * (a file arq did not write, or none).
 *
 * @example
 * revisionOf('# arq revision 7: rollback (A 100%, B 0%)\n...') // 7
 */
export function revisionOf(text: string | undefined): number | undefined {
  const match = /^# arq revision (\d+):/.exec(text ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The servers an include arq wrote sends traffic to (those not marked `down`), in file order.
 *
 * @example
 * liveServers(renderUpstream({ ...spec, weightB: 10 })) // ['127.0.0.1:8001', '127.0.0.1:8002']
 */
export function liveServers(text: string): string[] {
  return [...text.matchAll(/^\s*server\s+(\S+)\s+(down|weight=\d+)/gm)].filter((m) => m[2] !== 'down').map((m) => m[1]!);
}
