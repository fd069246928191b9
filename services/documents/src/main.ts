import { readConfig } from './config';
import { ROUTES } from './routes';
import { createServer } from './server';

/** Composition root: validate the configuration, listen, stop cleanly on SIGTERM (ECS stop). */
function main(): void {
  const config = readConfig(process.env);
  const server = createServer(config, ROUTES);
  server.listen(config.port, () => {
    const scheme = config.tls ? 'https' : 'http';
    console.log(
      JSON.stringify({ level: 'info', message: `listening on ${scheme} :${config.port}` }),
    );
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
