/**
 * Starts the real server on an ephemeral loopback port with a fresh temporary DATA_DIR.
 * Used by server integration tests, the SessionManager tests, the browser harness and benchmarks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src-shared/clock';
import { createServer } from '../../src-server/app';
import { loadConfig } from '../../src-server/config';

export interface TestServer {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestServer> {
  const dataDir = opts.env?.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'webinar-server-'));
  const ownsDir = opts.env?.DATA_DIR === undefined;
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', ...opts.env, DATA_DIR: dataDir });
  const server = await createServer(config, opts.clock ? { clock: opts.clock } : {});
  const { url } = await server.listen();
  return {
    url,
    dataDir,
    async close() {
      await server.close();
      if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
