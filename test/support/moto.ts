import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port';

/**
 * The AWS emulator for integration tests: `moto_server` from Python's `moto[server]` on a loopback
 * port. One server serves the whole Jest run: the global setup starts it (a Python start costs
 * about a second and a half of CPU, once instead of once per test file) and names it in
 * PLATFORM_TEST_MOTO; test files share it and keep apart by giving their buckets, tables and
 * queues names of their own (a random suffix), as they do on a real account. Run outside Jest's
 * setup (a single file in an editor), startMoto() starts a server of its own. Tests fail (never
 * skip) with the install command when moto_server is missing.
 */
export const MOTO_INSTALL = 'pip install "moto[server]"';
/** The endpoint of the run's shared server, set by the global setup. */
export const SHARED_MOTO = 'PLATFORM_TEST_MOTO';

export interface TestMoto {
  readonly endpoint: string;
  /** SDK v3 client settings pointing at the emulator (fake credentials, path-style S3). */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /**
   * Forgets every resource (moto's reset API): only on a server of the caller's own (benchmarks),
   * never on the run's shared one, which other test files are using.
   */
  reset(): Promise<void>;
  /** Stops a server of the test file's own; the run's shared one stays for the other files. */
  stop(): Promise<void>;
}

export interface MotoServer {
  readonly endpoint: string;
  /** moto_server is not on the PATH (known as soon as the start returns). */
  readonly missing: boolean;
  /** Resolves when the server answers, rejects with the reason it cannot. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * moto-python/sitecustomize.py first on the server's PYTHONPATH: it reads moto's list of its own
 * modules once instead of on every request (see the file).
 */
function pythonPath(): string {
  const own = join(__dirname, 'moto-python');
  return [own, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
}

/** Starts a moto_server process; `ready` tells when it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPATH: pythonPath() },
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  // A missing executable shows here (asking `moto_server --help` first would cost a Python start).
  let missing = false;
  child.on('error', () => (missing = true));
  // Set on exit by any cause: a server stopped before it answered has a signal, not an exit code,
  // and the wait below must end then too (not at its 30 s deadline, holding Jest open).
  let exited = false;
  child.once('exit', () => (exited = true));
  await new Promise((resolve) => {
    child.once('spawn', resolve);
    child.once('error', resolve);
  });
  const ready = waitUntilAnswering(endpoint, () => {
    if (missing) return `moto_server is not installed. Install it with: ${MOTO_INSTALL}`;
    if (exited) return `moto_server exited early:\n${output}`;
    return undefined;
  });
  ready.catch(() => undefined); // the caller decides; no unhandled rejection meanwhile
  return {
    endpoint,
    missing,
    ready,
    async stop() {
      if (!exited && !missing) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function waitUntilAnswering(
  endpoint: string,
  failure: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reason = failure();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`moto_server at ${endpoint} did not answer within 30 s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function handle(endpoint: string, stop: () => Promise<void>, own: boolean): TestMoto {
  return {
    endpoint,
    clientConfig: (region = 'ap-southeast-2') => ({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
    async reset() {
      if (!own)
        throw new Error("the run's shared moto_server is never reset: other test files use it");
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop,
  };
}

export async function startMoto(): Promise<TestMoto> {
  const shared = process.env[SHARED_MOTO];
  if (shared === 'missing') {
    throw new Error(`moto_server is not installed. Install it with: ${MOTO_INSTALL}`);
  }
  if (shared) {
    await waitUntilAnswering(shared);
    return handle(shared, async () => undefined, false);
  }
  const server = await startMotoServer();
  await server.ready;
  return handle(server.endpoint, () => server.stop(), true);
}
