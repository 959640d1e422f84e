import { type ComposedServices, composeServices } from '../compose.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../http/logger.js';
import { AppError } from '../lib/errors.js';

/** What a one-shot command works with: the modules on the database, no HTTP server and no workers. */
export type CommandApp = Pick<ComposedServices, 'services'>;

/**
 * Run a one-shot command against the app's modules on the configured database, with logs silenced: a refusal
 * (AppError) prints its code and message and exits 1; the app is always closed.
 */
export async function withQuietApp(
  databaseUrl: string | undefined,
  run: (app: CommandApp) => Promise<number>,
): Promise<number> {
  const config = loadConfig(process.env, { databaseUrl });
  const app = await composeServices(config, { log: createLogger({ level: 'silent' }) });
  try {
    return await run(app);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}
