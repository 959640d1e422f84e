// Logs never hold a secret (docs/security.md "Secrets at rest"): the product logger's one-walk redaction censors
// exactly what pino's path redaction of REDACT_PATHS censored, on any object, so replacing it for speed lost nothing.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACT_PATHS, redactSecrets } from './logger.js';

function capture(make: (sink: pino.DestinationStream) => pino.Logger) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }) as unknown as pino.DestinationStream;
  return { log: make(sink), lines };
}

const withoutTime = (line: string) => {
  const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
};

const KEYS = [
  'password',
  'refund_key',
  'token',
  'number',
  'pan',
  'secret',
  'code',
  'body',
  'input',
  'req',
  'res',
  'headers',
  'authorization',
  'cookie',
  'x-operator-session',
  'set-cookie',
  'card',
  'amount',
  'id',
  'nested',
];
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 4, noNullPrototype: true }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

describe('log redaction', () => {
  it('censors exactly what pino redact with REDACT_PATHS censors, in lines and bindings', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 5, noNullPrototype: true }), (fields) => {
        const ours = capture((sink) => createLogger({ destination: sink, level: 'info' }));
        const oracle = capture((sink) => pino({ redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } }, sink));
        const before = JSON.stringify(fields);
        ours.log.info(fields, 'line');
        ours.log.child(fields).info('child');
        expect(JSON.stringify(fields)).toBe(before); // never modifies the caller's object (pino's redact did, in arrays)
        oracle.log.info(structuredClone(fields), 'line');
        oracle.log.child(structuredClone(fields)).info('child');
        expect(ours.lines.map(withoutTime)).toEqual(oracle.lines.map(withoutTime));
      }),
      { numRuns: 400 },
    );
  });

  it('redacts a secret field of an error and keeps its type; returns a line without secrets unchanged', () => {
    const ours = capture((sink) => createLogger({ destination: sink }));
    const error = Object.assign(new TypeError('boom'), { password: 'Hunter-2-secret' });
    ours.log.error({ err: error }, 'failed');
    const line = JSON.parse(ours.lines[0] ?? '{}') as { err: Record<string, unknown> };
    expect(line.err.password).toBe('[REDACTED]');
    expect(line.err.type).toBe('TypeError');
    expect(line.err.message).toBe('boom');
    const plain = { method: 'POST', path: '/v1/sales', status: 201 };
    expect(redactSecrets(plain)).toBe(plain);
  });
});
