/**
 * Finding the processes of a browser session in the process table, as a user would with `ps`:
 * its Chromium is started with a marker flag (`--arq-test-marker=...`), its parent is the
 * chromedriver, whose process group holds the browser's processes, and its profile folder
 * names the session's folder (which Chromium's crash handler has in its command line too).
 */
import { dirname } from 'node:path';
import { groupMembers, liveProcesses, processInfo } from './processes.js';

let counter = 0;

/** A Chromium flag no other test (file, worker or run) uses. */
export function uniqueMarker(): string {
  counter += 1;
  return `--arq-test-marker=${process.pid}-${counter}-${Math.floor(Math.random() * 1e6)}`;
}

export interface SessionProcesses {
  readonly browser: number;
  readonly driver: number;
  readonly group: number;
  readonly folder: string;
}

/** The session whose Chromium has `marker`, or undefined when no such browser runs. */
export function sessionProcesses(marker: string): SessionProcesses | undefined {
  // The browser process is the one without --type= (renderers, GPU and utilities have one).
  const browser = liveProcesses(marker).find((pid) => !processInfo(pid)?.cmdline.includes('--type='));
  const info = browser === undefined ? undefined : processInfo(browser);
  const profile = /--user-data-dir=(\S+)/.exec(info?.cmdline ?? '')?.[1];
  if (browser === undefined || !info || !profile) return undefined;
  return { browser, driver: info.ppid, group: info.pgrp, folder: dirname(profile) };
}

/** Every process of the session still alive: the driver, its group, anything with the session's folder. */
export function survivors(session: SessionProcesses): number[] {
  const driverAlive = processInfo(session.driver)?.cmdline.includes('chromedriver') ? [session.driver] : [];
  return [...new Set([...driverAlive, ...groupMembers(session.group), ...liveProcesses(session.folder)])].sort();
}
