import { ALERT_SEVERITIES } from './alerts-schema';
import type { ConfigProblem } from './problems';
import type { PlatformConfig } from './schema';

/**
 * Alerts reach people: in production every severity has at least one subscriber (an alarm on a
 * topic no one is subscribed to pages no one), and no environment subscribes the same endpoint
 * twice (CloudFormation would refuse the duplicate).
 */
export function checkAlerts(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}.alerts.subscriptions`;
    const { subscriptions } = env.alerts;
    if (env.production) {
      for (const severity of ALERT_SEVERITIES) {
        if (subscriptions.some((s) => s.severities.includes(severity))) continue;
        problems.push({
          path: base,
          message: `production has no subscriber for ${severity} alerts; they would reach no one`,
          fix: `add { "protocol": "email", "endpoint": "<on-call address>", "severities": ["${severity}"] } (or an https endpoint) to ${base}`,
        });
      }
    }
    const seen = new Set<string>();
    subscriptions.forEach((s, i) => {
      const key = `${s.protocol}:${s.endpoint.toLowerCase()}`;
      if (seen.has(key)) {
        problems.push({
          path: `${base}[${i}].endpoint`,
          message: `${s.endpoint} is subscribed twice`,
          fix: 'list each endpoint once, with every severity it receives in its "severities"',
        });
      }
      seen.add(key);
    });
  }
  return problems;
}
