/**
 * Half-open sockets (a peer that vanished without a FIN) look alive forever to TCP: every interval
 * each socket is pinged, and one that has not answered since the previous ping is terminated.
 */
import type { ConnectionIndex } from './connection';

export function startHeartbeat(connections: ConnectionIndex, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const conn of connections.list()) {
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.socket.ping();
      } catch {
        conn.socket.terminate();
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
