import { useEffect, useState } from 'react';
import type { WebinarResponse } from '../../../src-shared/signaling-protocol';
import { getBridge } from '../../bridge';
import { FormError } from '../session/FormError';
import { CreateWebinarForm } from './CreateWebinarForm';
import { JoinByLinkForm } from './JoinByLinkForm';
import { WebinarList } from './WebinarList';

type Listed = WebinarResponse & { role?: 'host' | 'panelist' | 'attendee' };

export function LobbyScreen({ onJoin, online }: { onJoin(webinarId: string): void; online: boolean }) {
  const [webinars, setWebinars] = useState<Listed[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (!online) return;
    let live = true;
    void getBridge()
      .webinars.list()
      .then((result) => {
        if (!live) return;
        if (result.ok) {
          setWebinars(result.value);
          setError(null);
        } else setError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, [online, reloads]);

  return (
    <section className="lobby" data-testid="lobby">
      <div className="lobby-actions">
        <CreateWebinarForm onCreated={() => setReloads((n) => n + 1)} />
        <JoinByLinkForm onJoin={onJoin} />
      </div>
      <section className="card wide" aria-label="Webinars">
        <h2>My and upcoming webinars</h2>
        <FormError message={error} />
        {webinars === null ? (
          <p className="muted">{online ? 'Loading…' : 'Available when connected.'}</p>
        ) : (
          <WebinarList webinars={webinars} onJoin={onJoin} />
        )}
      </section>
    </section>
  );
}
