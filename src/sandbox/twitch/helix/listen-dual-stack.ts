import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';

/** Servers bound to 127.0.0.1 (and ::1 when the host has IPv6) on one port. */
export interface DualStackServers {
  port: number;
  servers: Server[];
  /** Closes every server and drops open (keep-alive) connections; resolves once all are gone. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, ipv6Only: host === '::1' });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const noIpv6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'EINVAL']);

/**
 * Listens on 127.0.0.1 with a free port, then on ::1 with the same port, so that clients using
 * the literal host `localhost` reach it whichever address they resolve. Retries with a new port
 * when ::1 is taken; stays IPv4-only on hosts without IPv6.
 *
 * @example
 * ```ts
 * const { port, close } = await listenDualStack((req, res) => res.end('ok'));
 * await fetch(`http://localhost:${port}/`);
 * await close();
 * ```
 */
export async function listenDualStack(
  handler: RequestListener,
  attempts = 10,
): Promise<DualStackServers> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const v4 = createServer(handler);
    await listen(v4, '127.0.0.1', 0);
    const address = v4.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const servers = [v4];
    const v6 = createServer(handler);
    try {
      await listen(v6, '::1', port);
      servers.push(v6);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EADDRINUSE') {
        lastError = err;
        await closeServer(v4);
        continue;
      }
      if (!noIpv6.has(code)) {
        await closeServer(v4);
        throw err;
      }
    }
    return {
      port,
      servers,
      close: async () => {
        await Promise.all(servers.map(closeServer));
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error('could not find a free dual-stack port');
}
