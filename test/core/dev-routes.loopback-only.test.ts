// Issue 10 "Operations" 4: the /dev routes show one-time codes, so they exist only in development AND when the server
// listens on a loopback address; a development server bound to another address says that it has turned them off.
// Regression: NODE_ENV=development HOST=0.0.0.0 served every one-time code to the whole network at /dev/outbox.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../bench/lib/processes.js';
import { isLoopback } from '../../src/http/server.js';
import { bundledCli } from '../support/server-process.js';
import { TestApp } from '../support/test-app.js';

const OFF_LINE = '/dev routes (one-time codes) are off: HOST=0.0.0.0 is not a loopback address';

describe('/dev routes only in development and on loopback', () => {
  it('loopback is 127.0.0.0/8, ::1 and localhost; the wildcard addresses are not', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.nip.io']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  for (const [env, status] of [
    [{ NODE_ENV: 'development', HOST: '127.0.0.1' }, 200],
    [{ NODE_ENV: 'development', HOST: '0.0.0.0' }, 404],
    [{ NODE_ENV: 'development', HOST: '192.168.1.10' }, 404],
    [{ NODE_ENV: 'production', HOST: '127.0.0.1', REFUNDKEY_SECRET: 's'.repeat(40) }, 404],
  ] as const) {
    it(`${env.NODE_ENV} on ${env.HOST}: GET /dev/outbox → ${status}`, async () => {
      const t = await TestApp.start('sqlite', { env, allowSecretsInLogs: true });
      try {
        const answer = await t.request('GET', '/dev/outbox?to=13800000000');
        expect(answer.status).toBe(status);
        const warned = t.logs.some((line) => line.includes('/dev routes (one-time codes) are off'));
        expect(warned).toBe(env.NODE_ENV === 'development' && status === 404);
      } finally {
        await t.close();
      }
    });
  }

  describe('a development server on 0.0.0.0, as a user starts it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refundkey-devroutes-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('says that it has turned them off, and /dev/outbox is 404', async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [...bundledCli(), 'serve', '--host', '0.0.0.0', '--port', String(port)], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'silent',
          DATABASE_URL: `sqlite:${join(dir, 'refundkey.db')}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      child.stderr.resume();
      try {
        for (const until = Date.now() + 30_000; !stdout.includes(OFF_LINE) && Date.now() < until; ) await sleep(100);
        expect(stdout).toContain(`${OFF_LINE}; use HOST=127.0.0.1 to have them`);
        const outbox = await fetch(`http://127.0.0.1:${port}/dev/outbox?to=13800000000`);
        expect(outbox.status).toBe(404);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
