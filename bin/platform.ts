#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../lib/config';
import { buildPlatform } from '../lib/platform';

// The app reads context only here: `-c config=path/to/platform.json` selects a config file.
const app = new App();
const configPath = app.node.tryGetContext('config') as string | undefined;

try {
  const config = loadConfig(configPath);
  buildPlatform(app, config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
