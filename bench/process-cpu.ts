/**
 * CPU time of a process tree by kind of process, sampled from /proc (Linux): every `intervalMs`,
 * the user + system time of each live descendant of the root is recorded under the kind its
 * command line names. A process's last sample counts, so one that lives less than an interval is
 * missed: the caller prints the difference from its children's total as unattributed.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // clock ticks per second (USER_HZ) on Linux

/** Kinds by command line, first match wins; anything else is `other`. */
const KINDS: readonly [kind: string, pattern: RegExp][] = [
  ['Jest workers', /jest-worker|processChild/],
  ['cfn-guard', /cfn-guard/],
  ['cfn-lint', /cfn-lint|cfnlint/],
  ['moto_server', /moto_server/],
  ['PostgreSQL', /\/postgres |\/postgres$|^postgres: |initdb/],
  ['tsc', /\/tsc\b/],
  ['ESLint', /eslint/],
  ['oxfmt', /oxfmt/],
  ['esbuild', /esbuild/],
  ['CDK synth (app, validators)', /\bcdk\b|platform\.ts|background-work/],
  ['Jest main', /jest/],
];

interface Proc {
  readonly ppid: number;
  readonly ticks: number;
}

function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(pid, { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

export interface ProcessCpu {
  /** CPU seconds by kind, largest first. */
  stop(): [kind: string, seconds: number][];
}

export function sampleProcessCpu(rootPid: number, intervalMs = 500): ProcessCpu {
  const seen = new Map<number, { kind: string; ticks: number }>();
  const sample = () => {
    const all = processes();
    const children = new Map<number, number[]>();
    for (const [pid, { ppid }] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    const stack = [rootPid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      const proc = all.get(pid);
      if (proc) seen.set(pid, { kind: seen.get(pid)?.kind ?? kindOf(pid), ticks: proc.ticks });
      stack.push(...(children.get(pid) ?? []));
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const byKind = new Map<string, number>();
      for (const { kind, ticks } of seen.values())
        byKind.set(kind, (byKind.get(kind) ?? 0) + ticks / TICKS);
      return [...byKind].sort((a, b) => b[1] - a[1]);
    },
  };
}

function kindOf(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return KINDS.find(([, pattern]) => pattern.test(cmdline))?.[0] ?? 'other';
  } catch {
    return 'other';
  }
}
