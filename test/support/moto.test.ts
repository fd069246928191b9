import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startMotoServer } from './moto';

describe('startMotoServer', () => {
  // A run whose files need no AWS emulator stops the shared server before it has booted: the wait
  // for it must end with the server, not at its 30 s deadline with Jest held open meanwhile.
  test('a server stopped before it answers ends the wait for it as exited', async () => {
    const server = await startMotoServer();
    expect(server.missing).toBe(false);
    await server.stop();
    await expect(server.ready).rejects.toThrow(/moto_server exited early/);
  });
});

describe('moto-python/sitecustomize.py', () => {
  // The list is read once and is the list moto itself computes; requests still route (every moto
  // test file does that through the shared server).
  test('moto lists its modules once, with the same result', () => {
    const script = [
      'import os, moto.backends as b',
      'calls = []',
      'real = os.listdir',
      'os.listdir = lambda p: (calls.append(p), real(p))[1]',
      'first = list(b.list_of_moto_modules()); second = list(b.list_of_moto_modules())',
      'os.listdir = real',
      'print(len(calls), first == second, "s3" in first, first == sorted(first))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: join(__dirname, 'moto-python') },
    });
    expect(run.stderr).toBe('');
    // one listing for both calls (without the file: two)
    expect(run.stdout.trim()).toBe('1 True True True');
  });
});
