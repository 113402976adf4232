/** PendingCount: waiting until no work is left in flight. */
import { describe, expect, it } from 'vitest';
import { PendingCount } from '../../../engine/run/pending.js';

describe('PendingCount', () => {
  it('is idle at once with nothing in flight, and once the last piece of work left', async () => {
    const pending = new PendingCount();
    const order: string[] = [];
    await pending.idle().then(() => order.push('idle at once'));
    pending.enter();
    pending.enter();
    const waited = pending.idle().then(() => order.push('idle after both'));
    pending.leave();
    await Promise.resolve();
    order.push('one left');
    expect(pending.size).toBe(1);
    pending.leave();
    await waited;
    expect(order).toEqual(['idle at once', 'one left', 'idle after both']);
    expect(pending.size).toBe(0);
  });
});
