// Baselines for `npm run bench`: the cheapest useful Fastify servers on this machine, run as their own process.
//   hello:  a bare POST route answering JSON (the HTTP stack's limit)
//   insert: a POST route doing one INSERT per request, opened with the product's openDatabase (same SQLite pragmas
//           WAL + synchronous=NORMAL, same PostgreSQL pool size), so the gap to the product is the product's own work.
// Usage: node --import tsx bench/baseline-server.ts <hello|insert> <port> [database-url]
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';

const [mode = 'hello', portText = '0', databaseUrl] = process.argv.slice(2);
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));

if (mode === 'hello') {
  app.post('/hello', async (request) => ({ hello: 'world', received: request.body }));
} else {
  if (!databaseUrl) throw new Error('insert baseline needs a database url');
  const { db } = openDatabase(databaseUrl);
  await sql`create table if not exists bench_rows (id text primary key, amount bigint not null, body text not null, created_at bigint not null)`.execute(
    db,
  );
  app.post('/insert', async (request) => {
    const id = randomUUID();
    const body = JSON.stringify(request.body);
    await sql`insert into bench_rows (id, amount, body, created_at) values (${id}, ${1234}, ${body}, ${Date.now()})`.execute(
      db,
    );
    return { id };
  });
  process.once('SIGTERM', () => void db.destroy().finally(() => process.exit(0)));
}

await app.listen({ host: '127.0.0.1', port: Number(portText) });
