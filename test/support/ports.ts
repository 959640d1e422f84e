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
