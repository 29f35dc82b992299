import { useState } from 'react';
import type { SessionState } from '../../../src-shared/session/session-state';
import { getBridge } from '../../bridge';
import { StatusBadge } from './StatusBadge';
import { DevicesPanel } from './DevicesPanel';
import { LobbyScreen } from '../lobby/LobbyScreen';

export function HomeScreen({ state, onJoin }: { state: SessionState; onJoin(webinarId: string): void }) {
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<'webinars' | 'devices'>('webinars');
  const user = state.user;
  const online = state.status === 'signedIn';
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
      <nav className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'webinars'} onClick={() => setTab('webinars')}>
          Webinars
        </button>
        <button type="button" role="tab" aria-selected={tab === 'devices'} onClick={() => setTab('devices')}>
          Devices
        </button>
      </nav>
      {tab === 'webinars' ? <LobbyScreen onJoin={onJoin} online={online} /> : <DevicesPanel online={online} />}
    </main>
  );
}
