import { Template } from 'aws-cdk-lib/assertions';
import { AccessAnalyzer } from '../../../lib/constructs/security/access-analyzer';
import { bareStack } from '../../support/bare-stack';

test('one account analyzer with its deterministic name', () => {
  const stack = bareStack();
  new AccessAnalyzer(stack, 'Analyzer', {
    analyzerName: 'logi-prod-ap-southeast-2-access-analyzer',
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
  template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
    Type: 'ACCOUNT',
    AnalyzerName: 'logi-prod-ap-southeast-2-access-analyzer',
  });
});
