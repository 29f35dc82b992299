import { useState } from 'react';
import { getBridge } from '../../bridge';
import { useBridgeQuery } from '../../use-bridge-query';
import { FormError } from '../session/FormError';
import { CreateWebinarForm } from './CreateWebinarForm';
import { JoinByLinkForm } from './JoinByLinkForm';
import { WebinarList } from './WebinarList';

const listWebinars = () => getBridge().webinars.list();

export function LobbyScreen({ onJoin, online }: { onJoin(webinarId: string): void; online: boolean }) {
  const [reloads, setReloads] = useState(0);
  const { value: webinars, error } = useBridgeQuery(listWebinars, online, reloads);

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
