import { useEffect, useState } from 'react';
import type { ScreenSource } from '../../../src-shared/ipc-contract';
import { getBridge } from '../../bridge';

/** Our own source picker: sources come from desktopCapturer in main via the preload API. */
export function ScreenPicker({ onPick, onCancel }: { onPick(sourceId: string): void; onCancel(): void }) {
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void getBridge()
      .screenShare.listSources()
      .then((r) => {
        if (!live) return;
        if (r.ok) setSources(r.value);
        else setError(r.error.message);
      });
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="modal-backdrop">
      <section className="modal card" role="dialog" aria-label="Choose what to share" data-testid="screen-picker">
        <h3>Choose what to share</h3>
        {error && <p className="form-error">{error}</p>}
        {!sources && !error && <p className="muted">Loading sources…</p>}
        <ul className="sources">
          {sources?.map((s) => (
            <li key={s.id}>
              <button type="button" className="source" data-testid="screen-source" onClick={() => onPick(s.id)}>
                <img src={s.thumbnail} alt="" />
                <span>{s.name}</span>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </section>
    </div>
  );
}
