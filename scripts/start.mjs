// `npm start`: install what is missing, build, start the embedded server on loopback with its
// SQLite data in the app's user data dir, and launch the app pointed at it.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { electronBinary } from './electron-binary.mjs';
import { root, run } from './run.mjs';

ensureDeps();
if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);

const electron = electronBinary();
if (!electron) {
  console.error(
    [
      '',
      'Cannot start: no Electron binary is available on this machine.',
      'npm installs the electron package without its binary here (ELECTRON_SKIP_BINARY_DOWNLOAD), and the',
      'download from the Electron release host failed.',
      'Fix: on a machine that can reach the release host run `node node_modules/electron/install.js`,',
      'or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron build, then `npm start` again.',
      'The server alone runs with `npm run server`; the UI is exercised by `npm test` in Chromium.',
    ].join('\n'),
  );
  process.exit(1);
}

// Same place Electron's app.getPath('userData') points to for productName "Webinar".
function userDataDir() {
  const name = 'Webinar';
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

const port = process.env.PORT ?? '8787';
const serverUrl = `http://127.0.0.1:${port}`;
const server = spawn('npx', ['tsx', 'src-server/main.ts'], {
  cwd: root,
  env: { ...process.env, HOST: '127.0.0.1', PORT: port, DATA_DIR: process.env.DATA_DIR ?? join(userDataDir(), 'server') },
  stdio: ['ignore', 'pipe', 'inherit'],
});
server.stdout.pipe(process.stdout);
await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve());
  server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
});

const appProcess = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, WEBINAR_SERVER_URL: serverUrl } });
appProcess.on('exit', (code) => {
  server.kill('SIGTERM');
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => appProcess.kill(signal));
