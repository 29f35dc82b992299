/**
 * Sync details (issue 4, item 5), shown when the user turns on "Sync details" in the room header:
 * each stream's measured presentation delay and applied jitter-buffer target, the current skews
 * between streams, and the session clock's error bound.
 */
import { useCallback, useState } from 'react';
import { formatMs, SYNC_LABEL } from './SyncIndicator';
import type { SyncStats } from './sync-contracts';

export const SYNC_OVERLAY_KEY = 'webinar.syncOverlay';

/** The "Sync details" setting, persisted in localStorage. */
export function useSyncOverlaySetting(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState<boolean>(() => {
    try {
      return localStorage.getItem(SYNC_OVERLAY_KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = useCallback((value: boolean) => {
    setOn(value);
    try {
      localStorage.setItem(SYNC_OVERLAY_KEY, value ? '1' : '0');
    } catch {
      /* storage unavailable: the setting lasts for this window */
    }
  }, []);
  return [on, set];
}

export function SyncOverlay({ stats }: { stats: SyncStats }) {
  return (
    <section className="panel sync-overlay" aria-label="Sync details" data-testid="sync-overlay">
      <h3>
        Sync: <span data-testid="sync-overlay-state">{SYNC_LABEL[stats.state]}</span>
      </h3>
      <p className="muted">Clock error ≤ {formatMs(stats.clockErrorBoundMs)}</p>
      {stats.streams.length === 0 ? (
        <p className="muted">No streams measured.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>stream</th>
              <th>delay</th>
              <th>path</th>
              <th>added</th>
            </tr>
          </thead>
          <tbody>
            {stats.streams.map((s) => (
              <tr key={s.key} data-testid="sync-stream" data-key={s.key} data-kind={s.kind}>
                <td>{s.key}</td>
                <td>{formatMs(s.delayMs)}</td>
                <td>{formatMs(s.arrivalMs)}</td>
                <td>{formatMs(s.targetMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {stats.skews.length > 0 && (
        <ul className="skews">
          {stats.skews.map((k) => (
            <li key={k.pair} data-testid="sync-skew" data-pair={k.pair}>
              {k.pair}: {k.skewMs >= 0 ? '+' : ''}
              {formatMs(k.skewMs)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
