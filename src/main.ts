import type { FastifyInstance } from 'fastify';
import type { AppServices } from './app-services.js';
import { composeServices, type Overrides } from './compose.js';
import type { Config } from './config.js';
import { buildServer } from './http/server.js';
import { Workers } from './workers.js';

export type { Overrides } from './compose.js';

export interface Refundkey {
  services: AppServices;
  server: FastifyInstance;
  workers: Workers;
  close(): Promise<void>;
}

/** The composition root: config → database → modules (compose.ts) → HTTP server → workers. */
export async function createRefundkey(config: Config, overrides: Overrides = {}): Promise<Refundkey> {
  const composed = await composeServices(config, overrides);
  const { services } = composed;
  const server = await buildServer(services);
  const workers = new Workers(services);
  return {
    services,
    server,
    workers,
    async close() {
      workers.stop();
      await server.close();
      await composed.close();
    },
  };
}
