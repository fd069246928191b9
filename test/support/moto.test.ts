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
