import { runSweep } from './run-sweep';
import type { SweepDeps, SweepReport } from './run-sweep';
import { sweepMetricsLine } from './sweep-metrics';

/**
 * The scheduled invocation: any event is accepted (EventBridge Scheduler sends its own payload);
 * the sweep runs, its metrics are emitted, and errors make the invocation fail afterwards
 * (Lambda Errors alarm; a scheduler retry is safe because every claim is conditional).
 */
export async function handleSweep(
  deps: SweepDeps & { readonly emit: (line: string) => void },
  event: unknown,
): Promise<SweepReport> {
  deps.logger.info('sweep started', {
    eventKind: event === null || typeof event !== 'object' ? typeof event : 'object',
  });
  const report = await runSweep(deps);
  deps.emit(sweepMetricsLine(report, deps.clock()));
  deps.logger.info('sweep finished', { ...report });
  if (report.errors > 0) {
    throw new Error(
      `sweep finished with ${report.errors} failed claim(s) or send(s); claimed ${report.claimed}. Unsent jobs are re-sent after their lease.`,
    );
  }
  return report;
}
