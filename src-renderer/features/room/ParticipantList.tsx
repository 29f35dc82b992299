import type { ClientMessage, Participant } from '../../../src-shared/signaling-protocol';
import { can, canTarget } from '../../../src-shared/webinar/permissions';

const ROLE_LABEL = { host: 'Host', panelist: 'Panelist', attendee: 'Attendee' } as const;

export function ParticipantList({ participants, self, attendeeChat, send }: { participants: Participant[]; self: Participant | null; attendeeChat: boolean; send(m: ClientMessage): void }) {
  const manage = !!self && can(self.role, 'manageParticipants', { attendeeChat });
  return (
    <section className="panel" aria-label="Participants">
      <h3>
        Participants <span className="muted">({participants.length})</span>
      </h3>
      <ul className="participants" data-testid="participant-list">
        {participants.map((p) => (
          <li key={p.id} data-testid="participant" data-participant-id={p.id} data-role={p.role} data-hand={p.handRaised ? 'raised' : 'down'}>
            <span className="who">
              {p.handRaised && (
                <span className="hand" data-testid="hand-raised">
                  Hand raised
                </span>
              )}
              <span className="name">{p.displayName}</span>
              {p.id === self?.id && <span className="muted"> (you)</span>}
              <span className={`role role-${p.role}`}>{ROLE_LABEL[p.role]}</span>
              <span className="media-flags muted">{[p.media.audio && 'mic', p.media.video && 'camera', p.media.screen && 'screen', p.mutedByHost && 'muted by host'].filter(Boolean).join(' · ')}</span>
            </span>
            {manage && p.id !== self?.id && (
              <span className="actions">
                {canTarget('promote', p.role) && (
                  <button type="button" onClick={() => send({ type: 'participant.promote', participantId: p.id })}>
                    Promote
                  </button>
                )}
                {canTarget('demote', p.role) && (
                  <button type="button" onClick={() => send({ type: 'participant.demote', participantId: p.id })}>
                    Demote
                  </button>
                )}
                {canTarget('mute', p.role) && p.media.audio && (
                  <button type="button" onClick={() => send({ type: 'participant.mute', participantId: p.id })}>
                    Mute
                  </button>
                )}
                {canTarget('remove', p.role) && (
                  <button type="button" className="danger" onClick={() => send({ type: 'participant.remove', participantId: p.id })}>
                    Remove
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
