#!/usr/bin/env node
// A small CDK app that adopts the ISO 27001 pack. The two marked lines are all it takes; the rest
// is an ordinary quick app with the mistakes such apps have: a log group kept one week and not
// encrypted with a customer managed key, a VPC without flow logs, PostgreSQL open to the internet,
// a stack without termination protection. The pack's defaults find them all, so synth fails, and
// the report in cdk.out/compliance/ shows each with its Annex A control.
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Iso27001Checks } from '@logistics-platform/cdk-iso27001';
import { synthWithComplianceReport } from '@logistics-platform/cdk-iso27001/report';

const app = new App();
const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-central-1' } });
Tags.of(app).add('Owner', 'shop-team');
Tags.of(app).add('Environment', 'dev');
Tags.of(app).add('DataClassification', 'internal');

new logs.LogGroup(stack, 'OrdersLog', { retention: logs.RetentionDays.ONE_WEEK });

const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.10.0.0/16' });
new ec2.CfnSecurityGroup(stack, 'DatabaseAccess', {
  groupDescription: 'Orders database',
  vpcId: vpc.ref,
  securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, cidrIp: '0.0.0.0/0' }],
});

Validations.of(app).addPlugins(new Iso27001Checks(app)); // 1: the pack, with its secure defaults
synthWithComplianceReport(app); // 2: synth, and the report in cdk.out/compliance/
