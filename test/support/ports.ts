import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

/** A loopback port held for the whole test, on which no service answers. */
export interface DeadPort {
  port: number;
  close(): Promise<void>;
}

/**
 * A port where a peer is down: bound here (port 0, the kernel's choice) and kept bound until close(), every connection
 * dropped at once. "Find a free port, use it later" let any other process of a parallel run take the port meanwhile
 * and answer in the peer's place.
 */
export async function deadPort(): Promise<DeadPort> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address for the dead port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let nextQuiet = 0;

/**
 * A port for a peer that a test starts later on a known address (an SMTP server that comes back, a server restarted
 * on its old port). "Bind port 0, close, use the number later" races with every other process of a parallel run, whose
 * own port-0 binds draw from the same ephemeral range. This draws from below that range instead (the kernel never
 * hands those out for port 0), spread by process id so parallel workers start far apart, and checks the port is free.
 */
export async function quietPort(): Promise<number> {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const top = Math.min(low ?? 32768, 32768);
  const span = top - 20000;
  for (let tries = 0; tries < 200; tries++) {
    const port = 20000 + ((process.pid * 97 + nextQuiet++ * 13) % span);
    if (await isFree(port)) return port;
  }
  throw new Error('no quiet port below the ephemeral range');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
