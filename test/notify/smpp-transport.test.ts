import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmppTransport } from '../../src/modules/notify/transports/smpp-transport.js';
import { splitUcs2 } from '../../src/modules/notify/transports/sms-parts.js';
import { DeliveryError } from '../../src/modules/notify/transports/transport.js';
import { eventually } from './support/notify-app.js';
import { FakeSmsc } from './support/smsc.js';

const silent = pino({ level: 'silent' });
const settings = (smsc: FakeSmsc, password = 'secret12') => ({
  smppUrl: `smpp://refundkey:${password}@127.0.0.1:${smsc.port}`,
  smppSourceAddr: 'refundkey',
});
const message = {
  id: 'msg_test',
  channel: 'sms' as const,
  recipient: '+8613800001234',
  template: 'refund_key_changed',
  locale: 'zh-CN',
  params: { at: 0 },
  attempt: 1,
};

// Issue 4: SMPP 3.4 transceiver session with enquire_link keep-alive; a refused bind is an error the outbox retries.
describe('SMPP transport', () => {
  let smsc: FakeSmsc;
  let transport: SmppTransport | undefined;
  beforeEach(async () => {
    smsc = new FakeSmsc();
    await smsc.start();
  });
  afterEach(async () => {
    await transport?.close();
    await smsc.stop();
  });

  it('keeps the session alive with enquire_link and submits to an international number without the plus sign', async () => {
    transport = new SmppTransport(settings(smsc), silent, 50);
    transport.warm();
    await eventually(() => smsc.enquireLinks >= 2);
    const result = await transport.send(message);
    expect(result.providerRefs).toEqual([smsc.parts[0]?.messageId]);
    expect(smsc.parts[0]).toMatchObject({ destination: '8613800001234', dataCoding: 8, concat: null });
    expect(smsc.parts[0]?.text).toMatch(/^【refundkey】您的退款密钥已于/);
  });

  // Issue 10 point 8: the smpp package binds with interface_version 0x50 (SMPP 5.0) unless told; we speak 3.4.
  it('binds as SMPP 3.4: interface_version 0x34 in the bind_transceiver PDU', async () => {
    transport = new SmppTransport(settings(smsc), silent);
    await transport.send(message);
    expect(smsc.bindVersions).toEqual([0x34]);
  });

  // Issue 10 point 10: while a reconnect is pending the send fails at once (the bind wakes the message), instead of
  // holding a delivery lane; the bind then announces itself to whoever listens.
  it('fails fast while the SMSC is down, and announces the bind when it is back', async () => {
    const port = smsc.port;
    await smsc.stop();
    transport = new SmppTransport(settings(smsc), silent);
    let ready = 0;
    transport.onReady(() => {
      ready += 1;
    });
    await expect(transport.send(message)).rejects.toThrow(/not reachable or not bound/);
    // "At once" without a stopwatch: the refusal must settle before the event loop turns once, i.e. before any timer
    // (the bind wait, a backoff) fires and before any socket answers. A send that waits for the reconnect, however
    // briefly, is still pending when the setImmediate callback runs, whatever the load on the machine.
    const settled = await Promise.race([
      transport.send(message).then(
        () => 'sent',
        (error: unknown) => error,
      ),
      new Promise<string>((resolve) => setImmediate(() => resolve('still waiting after one turn of the event loop'))),
    ]);
    expect(settled).toBeInstanceOf(DeliveryError);
    // A transient failure, so the outbox retries it (the bind wakes it).
    expect(settled).toMatchObject({
      permanent: false,
      message: expect.stringMatching(/not reachable; reconnecting in \d+ s/),
    });
    await smsc.start(port);
    await eventually(() => ready === 1);
    await transport.send(message);
    expect(smsc.parts).toHaveLength(1);
  });

  it('fails the send when the SMSC refuses the bind', async () => {
    transport = new SmppTransport(settings(smsc, 'wrong-pass'), silent);
    await expect(transport.send(message)).rejects.toThrow(/not reachable or not bound/);
    expect(smsc.binds).toBe(0);
    expect(smsc.parts).toHaveLength(0);
  });
});

describe('UCS-2 splitting', () => {
  it('never cuts a surrogate pair in two', () => {
    const text = `${'字'.repeat(66)}😀${'字'.repeat(70)}`;
    const parts = splitUcs2(text, 7);
    const joined = parts.map((p) => p.body.swap16().toString('utf16le')).join('');
    expect(joined).toBe(text);
    expect(parts[0]?.body.length).toBe(66 * 2);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.udh?.[3] === 7 && p.udh?.[4] === parts.length)).toBe(true);
  });

  it('sends up to 70 characters as one SMS without a header', () => {
    const parts = splitUcs2('字'.repeat(70), 1);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.udh).toBeNull();
  });
});
