import type { SessionState } from '../../../src-shared/session/session-state';

const LABELS: Record<SessionState['status'], string> = {
  signedOut: 'Signed out',
  signingIn: 'Signing in…',
  signedIn: 'Connected',
  refreshing: 'Renewing session…',
  offline: 'Offline — reconnecting',
  error: 'Problem',
};

export function StatusBadge({ state }: { state: SessionState }) {
  return (
    <span className={`badge badge-${state.status}`} data-testid="session-status" data-status={state.status}>
      {LABELS[state.status]}
    </span>
  );
}
