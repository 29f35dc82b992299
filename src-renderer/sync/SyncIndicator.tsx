/**
 * The synchronizer's state in the room header (issue 4, item 5): in sync / aligning / degraded / off.
 * `stats` comes from the media side (RoomController.syncStats(), polled by useSyncStats); without
 * one it reads 'off'.
 */
import { useEffect, useState } from 'react';
import type { SyncIndicatorState, SyncStats } from './sync-contracts';

export const SYNC_LABEL: Record<SyncIndicatorState, string> = {
  inSync: 'In sync',
  aligning: 'Aligning…',
  degraded: 'Sync degraded',
  off: 'Sync off',
};

const OFF: SyncStats = { state: 'off', streams: [], skews: [], clockErrorBoundMs: Number.POSITIVE_INFINITY };

/** Polls a stats source (cheap) every `intervalMs`; null source → 'off'. */
export function useSyncStats(source: (() => SyncStats) | null, intervalMs = 500): SyncStats {
  const [stats, setStats] = useState<SyncStats>(() => read(source));
  useEffect(() => {
    if (!source) return undefined;
    const h = window.setInterval(() => setStats(read(source)), intervalMs);
    return () => window.clearInterval(h);
  }, [source, intervalMs]);
  return stats;
}

function read(source: (() => SyncStats) | null): SyncStats {
  if (!source) return OFF;
  try {
    return source();
  } catch {
    return OFF;
  }
}

export const formatMs = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '—' : `${Math.round(ms)} ms`);

export function SyncIndicator({ stats }: { stats: SyncStats }) {
  const title = `Audio, video, screen share and chat alignment. Clock error ≤ ${formatMs(stats.clockErrorBoundMs)}`;
  return (
    <span className={`badge sync-${stats.state}`} data-testid="sync-indicator" data-state={stats.state} role="status" title={title}>
      {SYNC_LABEL[stats.state]}
    </span>
  );
}
