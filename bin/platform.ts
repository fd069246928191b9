#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../lib/config';
import { synthWithComplianceReport } from '@logistics-platform/cdk-iso27001/report';
import { buildPlatform } from '../lib/platform';

// The app reads context only here, and passes typed values down:
//   -c config=path/to/platform.json    a config file instead of the embedded default
//   -c environments=prod               build only these environments (comma-separated)
//   -c regions=ap-southeast-2          build only these regions (comma-separated)
const app = new App();
const list = (key: string) =>
  (app.node.tryGetContext(key) as string | undefined)?.split(',').map((s) => s.trim());

try {
  const configFile = app.node.tryGetContext('config') as string | undefined;
  const config = loadConfig(configFile);
  buildPlatform(app, config, { environments: list('environments'), regions: list('regions') });
  // the compliance report in <outdir>/compliance/, on every synth, also when findings fail it
  synthWithComplianceReport(app, { configFile, config });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
