// `npm test`: install what is missing, then run the whole suite inside a private D-Bus session
// with an unlocked gnome-keyring, so keytar talks to a real Secret Service.
import { ensureDeps } from './ensure-deps.mjs';
import { hasCommand, run } from './run.mjs';

ensureDeps();

const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !hasCommand(c));
if (missing.length > 0) {
  console.error(
    `Cannot run the tests: ${missing.join(', ')} not found. They provide the OS keychain the tests use.\n` +
      'Fix (Debian/Ubuntu, as root): apt-get update && apt-get install -y dbus dbus-x11 gnome-keyring libsecret-1-dev chromium\n' +
      '(.ci/run does exactly this).',
  );
  process.exit(1);
}

// A fixed password unlocks a throwaway login keyring that lives only as long as this D-Bus session.
const inner = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node scripts/test-all.mjs';
process.exit(run('dbus-run-session', ['--', 'sh', '-c', inner], { env: { ...process.env, WEBINAR_TEST_KEYRING: '1' } }));
