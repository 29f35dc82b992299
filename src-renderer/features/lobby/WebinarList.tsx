import { useState } from 'react';
import type { WebinarResponse } from '../../../src-shared/signaling-protocol';
import { getBridge } from '../../bridge';

type Listed = WebinarResponse & { role?: 'host' | 'panelist' | 'attendee' };

function when(startsAt: string | null): string {
  return startsAt ? new Date(startsAt).toLocaleString() : 'No start time';
}

export function WebinarList({ webinars, onJoin }: { webinars: Listed[]; onJoin(id: string): void }) {
  if (webinars.length === 0) return <p className="muted">No webinars yet. Create one or join by link.</p>;
  return (
    <ul className="webinars" data-testid="webinar-list">
      {webinars.map((w) => (
        <li key={w.id} data-testid="webinar-row" data-webinar-id={w.id}>
          <div>
            <strong>{w.title}</strong>
            <span className="muted">
              {' '}
              · {when(w.startsAt)} · {w.status}
              {w.role ? ` · you are ${w.role}` : ''}
            </span>
            <div className="muted small">
              Link: <code>webinar://join/{w.id}</code>
            </div>
            {w.role === 'host' && w.status !== 'ended' && <AddPanelist webinarId={w.id} />}
          </div>
          <button type="button" disabled={w.status === 'ended'} onClick={() => onJoin(w.id)}>
            {w.role === 'host' ? 'Start' : 'Join'}
          </button>
        </li>
      ))}
    </ul>
  );
}

function AddPanelist({ webinarId }: { webinarId: string }) {
  const [email, setEmail] = useState('');
  const [note, setNote] = useState<string | null>(null);
  return (
    <form
      className="row small"
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await getBridge().webinars.addPanelist({ webinarId, email });
        setNote(result.ok ? `${email} will join as a panelist.` : result.error.message);
        if (result.ok) setEmail('');
      }}
    >
      <input type="email" placeholder="Panelist email" value={email} onChange={(e) => setEmail(e.target.value)} required aria-label="Panelist email" />
      <button type="submit">Add panelist</button>
      {note && <span className="muted">{note}</span>}
    </form>
  );
}
