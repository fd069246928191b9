import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readListenConfig } from './config';

/**
 * The container health check: GET /health on this task's own port; exit 0 on 200, 1 otherwise.
 * The certificate is the task's own self-signed one, so it is not verified on this loopback call.
 */
const config = readListenConfig(process.env);
const request = config.tls ? httpsRequest : httpRequest;
const call = request(
  {
    host: '127.0.0.1',
    port: config.port,
    path: '/health',
    timeout: 2000,
    rejectUnauthorized: false,
  },
  (response) => process.exit(response.statusCode === 200 ? 0 : 1),
);
call.on('error', () => process.exit(1));
call.on('timeout', () => call.destroy());
call.end();
