import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { freePort } from './free-port';

/**
 * The AWS emulator for integration tests: `moto_server` from Python's `moto[server]`, started on a
 * random loopback port. Tests fail (never skip) with the install command when it is missing.
 */
export const MOTO_INSTALL = 'pip install "moto[server]"';

export interface TestMoto {
  readonly endpoint: string;
  /** SDK v3 client settings pointing at the emulator (fake credentials, path-style S3). */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Forget every resource (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<TestMoto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  // A missing executable shows here (asking `moto_server --help` first would cost a Python start).
  let missing = false;
  child.on('error', () => (missing = true));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (missing) throw new Error(`moto_server is not installed. Install it with: ${MOTO_INSTALL}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited early:\n${output}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not start within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    endpoint,
    clientConfig: (region = 'ap-southeast-2') => ({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
