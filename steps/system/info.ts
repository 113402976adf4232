/**
 * The `system.info` step: describes this machine (OS, CPU, memory, disks).
 *
 * @example
 * - id: machine
 *   uses: system.info
 * - run: echo "${{ steps.machine.outputs.os.hostname }} has ${{ steps.machine.outputs.cpu.cores }} cores"
 */
import type { StepType } from '../contract.js';
import { GB, loadSi, MB, round1 } from './probe.js';

export interface SystemInfoOutputs extends Record<string, unknown> {
  readonly os: { platform: string; distro: string; release: string; arch: string; hostname: string };
  readonly cpu: { manufacturer: string; brand: string; cores: number; physical_cores: number; speed_ghz: number };
  readonly memory: { total_mb: number };
  readonly disks: Array<{ mount: string; size_gb: number; used_gb: number }>;
}

export const systemInfo: StepType<Record<string, never>, SystemInfoOutputs> = {
  type: 'system.info',
  description: "Describes this machine: operating system, CPU, total memory and mounted disks.",
  input: { type: 'object', additionalProperties: false, properties: {} },
  output: {
    type: 'object',
    properties: {
      os: { type: 'object', description: 'platform, distro, release, arch and hostname.' },
      cpu: { type: 'object', description: 'manufacturer, brand, cores (logical), physical_cores and speed_ghz.' },
      memory: { type: 'object', description: 'total_mb: the installed memory in MiB.' },
      disks: { type: 'array', description: 'One { mount, size_gb, used_gb } per mounted filesystem.' },
    },
  },
  async run() {
    const si = await loadSi();
    const [os, cpu, mem, disks] = await Promise.all([si.osInfo(), si.cpu(), si.mem(), si.fsSize()]);
    return {
      os: { platform: os.platform, distro: os.distro, release: os.release, arch: os.arch, hostname: os.hostname },
      cpu: {
        manufacturer: cpu.manufacturer,
        brand: cpu.brand,
        cores: cpu.cores,
        physical_cores: cpu.physicalCores,
        speed_ghz: cpu.speed,
      },
      memory: { total_mb: Math.round(mem.total / MB) },
      disks: disks.map((d) => ({ mount: d.mount, size_gb: round1(d.size / GB), used_gb: round1(d.used / GB) })),
    };
  },
};
