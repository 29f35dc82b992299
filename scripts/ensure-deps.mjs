// Installs dependencies when node_modules is missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone with no earlier step. Node built-ins only.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stampFile = join(root, 'node_modules', '.webinar-install-stamp');

function lockHash() {
  const lock = join(root, 'package-lock.json');
  const source = existsSync(lock) ? lock : join(root, 'package.json');
  return createHash('sha256').update(readFileSync(source)).digest('hex');
}

export function ensureDeps() {
  const want = lockHash();
  const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
  if (have === want) return;
  const useCi = existsSync(join(root, 'package-lock.json'));
  console.log(`[setup] installing dependencies (npm ${useCi ? 'ci' : 'install'}) …`);
  // The Electron binary is fetched separately by `npm start` (scripts/electron-binary.mjs): on
  // machines without access to its download host the package install must still succeed.
  const result = spawnSync('npm', [useCi ? 'ci' : 'install', '--no-fund', '--no-audit'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (result.status !== 0) {
    console.error('[setup] npm install failed. Native modules need python3, make, g++ and libsecret-1-dev (see .ci/run).');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, want + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();
