// Runs the test files that read the shared synth of the default platform last, so that on a cold
// cache the other files run while the global setup synthesizes in the background (instead of
// both workers waiting for it). Otherwise Jest's default order (failed first, then slowest).
// It also tells the global setup (which Jest runs after sorting, in this process) whether any
// selected file reads the synth at all: a run of construct or handler tests starts no synth.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

// (the isolation suite reads it through its own support/templates)
const READS_SYNTH = /support\/(cloud-assembly|default-platform|stack-snapshots|templates)'/;

class SynthLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const needsSynth = (test) => READS_SYNTH.test(readFileSync(test.path, 'utf8'));
    const readers = sorted.filter(needsSynth);
    process.env.PLATFORM_TEST_SYNTH_READERS = String(readers.length);
    return [...sorted.filter((t) => !needsSynth(t)), ...readers];
  }
}

module.exports = SynthLastSequencer;
