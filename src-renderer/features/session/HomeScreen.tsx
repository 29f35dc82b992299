import { useState } from 'react';
import type { SessionState } from '../../../src-shared/session/session-state';
import { getBridge } from '../../bridge';
import { StatusBadge } from './StatusBadge';
import { DevicesPanel } from './DevicesPanel';

export function HomeScreen({ state }: { state: SessionState }) {
  const [busy, setBusy] = useState(false);
  const user = state.user;
  return (
    <main className="home">
      <header className="topbar">
        <div>
          <strong data-testid="signed-in-user">{user?.displayName}</strong>
          <span className="muted"> {user?.email}</span>
        </div>
        <div className="row">
          <StatusBadge state={state} />
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await getBridge().session.signOut();
              setBusy(false);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {state.status === 'offline' && (
        <p className="banner" role="status">
          Can’t reach {state.serverUrl}. You stay signed in; we retry automatically
          {state.nextRetryAt ? ` (next try ${new Date(state.nextRetryAt).toLocaleTimeString()})` : ''}.
        </p>
      )}
      <section className="card wide">
        <h2>Welcome, {user?.displayName}</h2>
        <p className="muted">Signed in to {state.serverUrl}</p>
      </section>
      <DevicesPanel online={state.status === 'signedIn'} />
    </main>
  );
}
