import type { SweepReport } from './run-sweep';

export const SWEEP_METRIC_NAMESPACE = 'Platform/Lifecycle';
export const SWEEP_METRIC_SERVICE = 'lifecycle-sweep';

/**
 * One CloudWatch Embedded Metric Format line, written to stdout after every finished sweep:
 * `SweepCompleted` = 1 (alarm: Sum < 1 over 1 day, missing data breaching = the sweep did not
 * run), plus `TenantsClaimed`, `ClaimConflicts`, `SweepErrors`, `TenantsFailed` (moved to a
 * failed state by this sweep), `TenantsInFailedState` (alarm: Maximum > 0) and `WriterRegion` (1 when
 * this region's cluster is the writer and the sweep claimed, 0 when it claimed nothing because
 * another region is the writer), dimension Service.
 */
export function sweepMetricsLine(report: SweepReport, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: SWEEP_METRIC_NAMESPACE,
          Dimensions: [['Service']],
          Metrics: [
            { Name: 'SweepCompleted', Unit: 'Count' },
            { Name: 'TenantsClaimed', Unit: 'Count' },
            { Name: 'ClaimConflicts', Unit: 'Count' },
            { Name: 'SweepErrors', Unit: 'Count' },
            { Name: 'TenantsFailed', Unit: 'Count' },
            { Name: 'TenantsInFailedState', Unit: 'Count' },
            { Name: 'SweepDuration', Unit: 'Milliseconds' },
            { Name: 'WriterRegion', Unit: 'Count' },
          ],
        },
      ],
    },
    Service: SWEEP_METRIC_SERVICE,
    SweepCompleted: 1,
    TenantsClaimed: report.claimed,
    ClaimConflicts: report.conflicts,
    SweepErrors: report.errors,
    TenantsFailed: report.failed,
    TenantsInFailedState: report.inFailedState,
    SweepDuration: report.durationMs,
    WriterRegion: report.writer ? 1 : 0,
  });
}
