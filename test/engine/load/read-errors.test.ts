import { describe, expect, test, vi } from 'vitest';

import { WorkflowError, type Problem } from '../../../engine/errors.js';
import { loadWorkflowFile } from '../../../engine/load/load.js';

/** Tests run as root here, where chmod cannot deny a read: the system call's failure is faked. */
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const failures: Record<string, string> = {
    'denied.yaml': "EACCES: permission denied, open 'denied.yaml'",
    'broken.yaml': "EIO: i/o error, open 'broken.yaml'",
  };
  return {
    ...actual,
    open: async (path: string, flags?: string) => {
      const message = failures[path];
      if (message) throw Object.assign(new Error(message), { code: message.split(':')[0] });
      return actual.open(path, flags);
    },
  };
});

async function rejectionOf(promise: Promise<unknown>): Promise<Problem[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkflowError) return [...error.problems];
    throw error;
  }
  throw new Error('expected loading to fail');
}

describe('loadWorkflowFile when the system refuses to open the file', () => {
  test('reports permission denied', async () => {
    expect(await rejectionOf(loadWorkflowFile('denied.yaml'))).toEqual([
      { code: 'load.unreadable', message: 'Cannot read file: permission denied', location: { file: 'denied.yaml', line: 1, column: 1 } },
    ]);
  });

  test("reports any other failure in the system's words", async () => {
    expect(await rejectionOf(loadWorkflowFile('broken.yaml'))).toEqual([
      { code: 'load.unreadable', message: 'Cannot read file: i/o error', location: { file: 'broken.yaml', line: 1, column: 1 } },
    ]);
  });
});
