/**
 * CPU time of one command by kind of process (the kinds of process-cpu.ts): where a test file or
 * a script spends its CPU, moto_server and PostgreSQL backends included.
 *
 *   npx tsx bench/cpu-of.ts npx jest test/lambda/shared/archive/archive-faults.test.ts
 *
 * Sampled every 0.2 s from /proc, so a process shorter than that is missed.
 */
import { spawn } from 'node:child_process';
import { sampleProcessCpu } from './process-cpu';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: npx tsx bench/cpu-of.ts <command> [args...]');
  process.exit(2);
}
const start = Date.now();
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const sampler = sampleProcessCpu(child.pid!, 200);
child.on('close', (code) => {
  const byKind = sampler.stop();
  console.log(`${command} ${args.join(' ')}`);
  console.log(`  exit status ${code}, wall ${((Date.now() - start) / 1000).toFixed(1)} s`);
  for (const [kind, seconds] of byKind)
    console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${kind}`);
});
