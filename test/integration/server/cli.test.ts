import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src-server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm run server (tsx src-server/main.ts)', () => {
  it('prints "listening on http://HOST:PORT", serves, and exits cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webinar-cli-'));
    const s = runServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
    try {
      await waitFor(() => /listening on /.test(s.out()), 20_000);
      const line = s.out().split('\n').find((l) => l.startsWith('listening on '))!;
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice('listening on '.length);
      const r = await fetch(`${url}/.well-known/jwks.json`);
      expect(r.status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'server.sqlite'))).toBe(true);
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
      expect(s.out().match(/listening on/g)).toHaveLength(1);
    } finally {
      s.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a bad env value fails fast naming the variable', async () => {
    const s = runServer({ PORT: 'eighty', DATA_DIR: os.tmpdir() });
    expect(await s.exited).not.toBe(0);
    expect(s.err()).toMatch(/PORT/);
  });
});
