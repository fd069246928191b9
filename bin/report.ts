#!/usr/bin/env node
// `npm run report [-- --in <validation-report.json> --out <dir>]`: the compliance report for
// reviewers, built from the validation report that `cdk synth` writes into cdk.out/.
import { checkedAnnexAControls, runReportCli } from '../lib/compliance/report';

process.exitCode = runReportCli(process.argv.slice(2), { controls: checkedAnnexAControls() });
