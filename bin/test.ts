/**
 * `npm test`: the type check, ESLint, the formatting check (oxfmt) and Jest, run at the same time, so that Jest's
 * background synth starts at once and the static checks use the cores Jest leaves idle while its
 * files wait for that synth. Jest's output streams as usual; each static check's output is printed
 * when it ends. The exit status is non-zero if any of the four failed, and a summary names them.
 *
 *   npm test                 (CI runs exactly this)
 *   npm test -- <jest args>  (arguments go to Jest only)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

interface Check {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Stream the output (Jest) instead of printing it at the end. */
  readonly stream?: boolean;
}

const CHECKS: readonly Check[] = [
  {
    // TypeScript 7 (the native compiler, `typescript-7`), about a third of TypeScript 5.9's CPU
    // time on this project; typescript-eslint and the ISO pack's build keep TypeScript 5.9.
    name: 'type check (TypeScript 7 tsc --noEmit)',
    command: process.execPath,
    args: [join(ROOT, 'node_modules', 'typescript-7', 'bin', 'tsc'), '--noEmit'],
  },
  { name: 'ESLint', command: bin('eslint'), args: ['.'] },
  // oxfmt: Prettier's formatting (same options, `.oxfmtrc.json`), in Rust: 0.3 s of CPU for the
  // whole tree where Prettier took 15 s.
  { name: 'formatting (oxfmt --check)', command: bin('oxfmt'), args: ['--check'] },
  { name: 'Jest', command: bin('jest'), args: process.argv.slice(2), stream: true },
];

function run(check: Check): Promise<{ check: Check; status: number; seconds: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(check.command, [...check.args], {
      cwd: ROOT,
      stdio: check.stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', (error) => {
      output += `${error.message}\n`;
    });
    child.on('close', (code) => {
      const seconds = (Date.now() - start) / 1000;
      if (!check.stream) {
        process.stdout.write(`\n── ${check.name} (${seconds.toFixed(1)} s) ──\n${output}`);
      }
      resolve({ check, status: code ?? 1, seconds });
    });
  });
}

async function main(): Promise<void> {
  const results = await Promise.all(CHECKS.map(run));
  const failed = results.filter((r) => r.status !== 0);
  console.log('');
  for (const r of results) {
    console.log(
      `${r.status === 0 ? 'ok    ' : 'FAILED'}  ${r.check.name}  ${r.seconds.toFixed(1)} s`,
    );
  }
  if (failed.length > 0) {
    console.error(`\nnpm test failed: ${failed.map((r) => r.check.name).join(', ')}`);
    process.exit(1);
  }
}

void main();
