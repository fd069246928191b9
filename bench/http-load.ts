import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** What one load run measured: requests answered 200, the others, and the latency percentiles. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection sending one request at a time (no pipelining), as a browser
 * or the load balancer does: the next request is written once the previous answer has arrived
 * whole. Answers the status of each response; the body is read to its Content-Length and dropped.
 */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending?: { resolve: (status: number) => void; reject: (error: Error) => void };

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf(HEADERS_END);
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined) return this.fail(new Error('response without Content-Length'));
    const total = end + HEADERS_END.length + Number(length);
    if (this.buffer.length < total) return;
    this.buffer = this.buffer.subarray(total);
    const status = Number(head.slice(9, 12));
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(status);
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

/**
 * Sends `GET path` with each token of `tokens` in turn (one token a request, round robin) over
 * `connections` keep-alive connections for `seconds`, each connection one request at a time.
 * A lean client on purpose: the figures are the service's, not the load generator's.
 */
export async function load(options: {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly tokens: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}): Promise<LoadResult> {
  const requests = options.tokens.map((token) =>
    Buffer.from(
      `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\n` +
        `Authorization: Bearer ${token}\r\nConnection: keep-alive\r\n\r\n`,
      'latin1',
    ),
  );
  const sockets = await Promise.all(
    Array.from({ length: options.connections }, () => Connection.open(options.host, options.port)),
  );
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    sockets.map(async (socket) => {
      while (performance.now() < deadline) {
        const request = requests[next++ % requests.length];
        const sent = performance.now();
        try {
          const status = await socket.send(request);
          if (status === 200) latencies.push(performance.now() - sent);
          else errors += 1;
        } catch {
          errors += 1;
          return;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
