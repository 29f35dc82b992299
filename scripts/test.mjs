// `npm test`: install what is missing, then run the whole suite inside a private D-Bus session
// with an unlocked gnome-keyring, so keytar talks to a real Secret Service.
import { ensureDeps } from './ensure-deps.mjs';
import { runWithKeyring } from './with-keyring.mjs';

ensureDeps();
process.exit(runWithKeyring('node scripts/test-all.mjs'));
