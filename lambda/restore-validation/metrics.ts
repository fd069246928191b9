/** CloudWatch namespace of the validation metrics; the failed-validation alarm reads it. */
export const METRIC_NAMESPACE = 'Platform/RestoreTesting';
/** 1 for every validation reported FAILED. */
export const FAILED_METRIC = 'ValidationFailed';

/**
 * A CloudWatch Embedded Metric Format line (printed to the log, turned into a metric by
 * CloudWatch Logs): no API call, no extra permission.
 */
export function failedValidationMetric(resourceType: string, now: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[]],
          Metrics: [{ Name: FAILED_METRIC, Unit: 'Count' }],
        },
      ],
    },
    [FAILED_METRIC]: 1,
    resourceType,
  });
}
