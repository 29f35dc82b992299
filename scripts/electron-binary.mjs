// Finds the Electron binary, trying one download if the install skipped it.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from './run.mjs';

const require = createRequire(join(root, 'package.json'));

function locate() {
  try {
    // node_modules/electron/index.js throws when path.txt is missing (binary not downloaded).
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function electronBinary() {
  const found = locate();
  if (found) return found;
  console.log('[start] the Electron binary is not installed; trying to download it once …');
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const attempt = spawnSync(process.execPath, [installer], { cwd: root, env, timeout: 120_000, encoding: 'utf8' });
  const found2 = locate();
  if (!found2) {
    // One line of why, not the installer's stack trace.
    const why = `${attempt.stderr ?? ''}`.split('\n').find((line) => /Error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|timed out/i.test(line));
    console.log(`[start] download failed${why ? `: ${why.trim()}` : ''}`);
  }
  return found2;
}
