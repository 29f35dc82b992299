/**
 * The real server (`src-server/main.ts`) in its own process, for the hardening tests: so we can read
 * its RSS from /proc, SIGKILL it, restart it on the same DATA_DIR, and see whether it ever crashed.
 * `LOG_REQUESTS=1` makes it log JSON lines to stdout; any line at level ≥ 50 (error, fatal) is kept
 * in `errors` so a test can assert the server never logged an internal failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const ROOT = path.join(__dirname, '..', '..', '..');

export interface ChildServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Log lines at level ≥ 50, and anything the process printed to stderr. */
  errors: string[];
  /** Exit code/signal once it exited (null while alive). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  rssBytes(): number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export function tempDataDir(tag = 'hardening'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `webinar-${tag}-`));
}

export async function startChildServer(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<ChildServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_REQUESTS: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  const server: ChildServer = {
    url: '',
    dataDir,
    process: child,
    errors,
    exit: null,
    rssBytes() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status);
      if (!kb) throw new Error('no VmRSS');
      return Number(kb[1]) * 1024;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (server.exit) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
    async stop() {
      await server.kill('SIGTERM');
    },
  };
  child.once('exit', (code, signal) => (server.exit = { code, signal }));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    // tsx/node warnings are not failures of the server.
    if (!/ExperimentalWarning|--trace-warnings/.test(s)) errors.push(s);
  });
  let buffered = '';
  server.url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
        if (line.startsWith('{')) {
          try {
            const level = (JSON.parse(line) as { level?: number }).level ?? 0;
            if (level >= 50) errors.push(line.slice(0, 2000));
          } catch {
            /* not a log line */
          }
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${errors.join('')}`)));
  });
  return server;
}

/** Open the server's database read-only from the test process (WAL: safe beside the live server). */
export function openDbReadOnly(dataDir: string): BetterSqlite3.Database {
  return new BetterSqlite3(path.join(dataDir, 'server.sqlite'), { readonly: true, fileMustExist: true });
}

export const TABLES = ['users', 'sessions', 'refresh_tokens', 'webinars', 'webinar_panelists', 'webinar_bans', 'chat_messages', 'questions'] as const;

export function tableCounts(dataDir: string): Record<(typeof TABLES)[number], number> {
  const db = openDbReadOnly(dataDir);
  try {
    return Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n])) as Record<
      (typeof TABLES)[number],
      number
    >;
  } finally {
    db.close();
  }
}
