#!/usr/bin/env node
// `npm run report [-- --in <validation-report.json> --out <dir> --config <platform.json>]`: the
// compliance report for reviewers, built from the validation report that `cdk synth` writes into
// cdk.out/. `--config` names the config file the synth used (default: the embedded default); the
// report states it with the sha256 of the effective config.
import { loadConfig } from '../lib/config';
import { checkedAnnexAControls, runReportCli } from '@logistics-platform/cdk-iso27001/report';

const argv = process.argv.slice(2);
const at = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
let configFile: string | undefined;
if (at >= 0) {
  const [flag, inline] = argv[at].split(/=(.*)/s, 2);
  configFile = inline ?? argv[at + 1];
  argv.splice(at, inline === undefined ? 2 : 1);
  if (!configFile) {
    console.error(`report: ${flag} needs a value.`);
    process.exit(2);
  }
}
process.exitCode = runReportCli(argv, {
  controls: checkedAnnexAControls(),
  configFile,
  config: loadConfig(configFile),
});
