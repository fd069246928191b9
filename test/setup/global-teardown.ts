import type { Background } from './global-setup';

/**
 * Stops what the global setup started if no test file waited for it (a run of a few files that
 * read no template), so that Jest exits at once; the caches then simply stay cold.
 */
export default async function globalTeardown(): Promise<void> {
  const background = (globalThis as { platformTestBackground?: Background }).platformTestBackground;
  if (!background) return;
  await Promise.all(background.stops.map((stop) => stop()));
  await background.work;
}
