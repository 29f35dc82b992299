// Runs a command inside a private D-Bus session with an unlocked throwaway gnome-keyring, so
// keytar talks to a real Secret Service. Usage: node scripts/with-keyring.mjs <command> [args…]
import { hasCommand, run } from './run.mjs';

export function runWithKeyring(command) {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !hasCommand(c));
  if (missing.length > 0) {
    console.error(
      `Cannot run: ${missing.join(', ')} not found. They provide the OS keychain (Secret Service) this needs.\n` +
        'Fix (Debian/Ubuntu, as root): apt-get update && apt-get install -y dbus dbus-x11 gnome-keyring libsecret-1-dev chromium\n' +
        '(.ci/run does exactly this).',
    );
    return 1;
  }
  // A fixed password unlocks a keyring that lives only as long as this D-Bus session.
  const inner = `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${command}`;
  return run('dbus-run-session', ['--', 'sh', '-c', inner]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quoted = process.argv.slice(2).map((a) => `'${a.replaceAll("'", "'\\''")}'`);
  process.exit(runWithKeyring(quoted.join(' ')));
}
