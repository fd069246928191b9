import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LifecycleAlarms } from '../../../lib/constructs/lifecycle/lifecycle-alarms';
import { SWEEP_METRIC_NAMESPACE } from '../../../lambda/lifecycle-sweep/sweep-metrics';
import { bareStack } from '../../support/bare-stack';

test('a tenant in a failed state raises an alarm for as long as the sweep counts one', () => {
  const stack = bareStack();
  new LifecycleAlarms(stack, 'Alarms', {
    topic: new sns.Topic(stack, 'Topic'),
    functions: {},
    deadLetterQueues: {},
    namePrefix: 'logi-test-lifecycle',
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'logi-test-lifecycle-tenants-failed',
    Namespace: SWEEP_METRIC_NAMESPACE,
    MetricName: 'TenantsInFailedState',
    Dimensions: [{ Name: 'Service', Value: 'lifecycle-sweep' }],
    Statistic: 'Maximum',
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    Period: 86400,
  });
  const [alarm] = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'TenantsInFailedState' },
    }),
  );
  expect(alarm!.Properties.AlarmActions).toHaveLength(1);
});
