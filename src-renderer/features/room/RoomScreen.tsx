import { useCallback, useState } from 'react';
import { can, isPublisher } from '../../../src-shared/webinar/permissions';
import type { ConnectionState } from '../../rtc/connection-state';
import { SyncIndicator, useSyncStats } from '../../sync/SyncIndicator';
import { SyncOverlay, useSyncOverlaySetting } from '../../sync/SyncOverlay';
import { ChatPanel } from './ChatPanel';
import { Controls } from './Controls';
import { ParticipantList } from './ParticipantList';
import { QaPanel } from './QaPanel';
import { selfOf, stagePublisher } from './room-state';
import { Stage } from './Stage';
import { RemoteAudio } from './VideoView';
import { useRoom } from './use-room';
import './room.css';

export interface RoomScreenProps {
  webinarId: string;
  onLeave: () => void;
}

const END_TEXT: Record<NonNullable<ConnectionState['endReason']>, string> = {
  left: 'You left the webinar.',
  webinar_ended: 'The webinar has ended.',
  removed: 'The host removed you from this webinar.',
  replaced: 'You joined this webinar from another window.',
  session_revoked: 'Your session was signed out.',
  forbidden: 'You may not join this webinar.',
  not_found: 'This webinar does not exist.',
  failed: 'Could not reach the webinar server.',
};

function ConnectionBadge({ state }: { state: ConnectionState }) {
  const text = { idle: 'Connecting…', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', ended: 'Ended' }[state.status];
  return (
    <span className={`badge conn-${state.status}`} data-testid="connection-state" data-state={state.status} role="status" title={state.detail}>
      {text}
    </span>
  );
}

export function RoomScreen({ webinarId, onLeave }: RoomScreenProps) {
  const { controller, snapshot } = useRoom(webinarId);
  const [audioBlocked, setAudioBlocked] = useState(false);
  const onBlocked = useCallback(() => setAudioBlocked(true), []);
  const statsSource = useCallback(() => controller.syncStats(), [controller]);
  const onVideoElement = useCallback((track: MediaStreamTrack, el: HTMLVideoElement | null) => controller.presentOn(track, el), [controller]);
  const syncStats = useSyncStats(statsSource);
  const [syncDetails, setSyncDetails] = useSyncOverlaySetting();
  const leave = () => {
    controller.leave();
    onLeave();
  };

  const { room, connection } = snapshot;
  const self = selfOf(room);
  const attendeeChat = room.webinar?.attendeeChat ?? false;
  const role = self?.role ?? 'attendee';
  const webinarEnded = room.webinar?.status === 'ended' || connection.endReason === 'webinar_ended';
  const ended = connection.status === 'ended' || webinarEnded;
  const publishers = room.participants.filter((p) => isPublisher(p.role));
  const send = (m: Parameters<typeof controller.send>[0]) => controller.send(m);

  return (
    <main className="room" data-testid="room" data-webinar-id={webinarId} data-role={self?.role ?? ''}>
      <header className="topbar">
        <div className="row">
          <strong data-testid="room-title">{room.webinar?.title ?? 'Webinar'}</strong>
          {self && <span className={`role role-${self.role}`} data-testid="my-role">{self.role}</span>}
        </div>
        <div className="row">
          <SyncIndicator stats={syncStats} />
          <label className="inline sync-toggle">
            <input type="checkbox" data-testid="sync-details-toggle" checked={syncDetails} onChange={(e) => setSyncDetails(e.target.checked)} />
            Sync details
          </label>
          <ConnectionBadge state={ended ? { ...connection, status: 'ended' } : connection} />
        </div>
      </header>
      {connection.status === 'reconnecting' && (
        <p className="banner" role="status">
          Connection lost ({connection.detail}). Reconnecting…
        </p>
      )}
      {ended && (
        <div className="banner ended" data-testid="room-ended" role="alert">
          <span>{webinarEnded ? END_TEXT.webinar_ended : room.removed ? END_TEXT.removed : END_TEXT[connection.endReason ?? 'failed']}</span>
          <button type="button" onClick={onLeave}>
            Back to the lobby
          </button>
        </div>
      )}
      {snapshot.notice && (
        <p className="banner" role="alert" data-testid="room-notice">
          {snapshot.notice}
        </p>
      )}
      {room.lastError && !ended && (
        <p className="banner" role="alert" data-testid="room-error" data-code={room.lastError.code}>
          {room.lastError.message}
        </p>
      )}
      {audioBlocked && (
        <p className="banner">
          <button type="button" onClick={() => setAudioBlocked(false)}>
            Click to enable sound
          </button>
        </p>
      )}
      <div className="room-body">
        <div className="room-main">
          {syncDetails && <SyncOverlay stats={syncStats} />}
          <Stage selfId={room.selfId} stage={stagePublisher(room)} publishers={publishers} remote={snapshot.remote} preview={snapshot.preview} onVideoElement={onVideoElement} />
          {!ended && <Controls controller={controller} snapshot={snapshot} self={self} onLeave={leave} />}
        </div>
        <aside className="room-side">
          <ParticipantList participants={room.participants} self={self} attendeeChat={attendeeChat} send={send} />
          <ChatPanel chat={room.chat} mayChat={!ended && can(role, 'chat', { attendeeChat })} isHost={!ended && can(role, 'controlWebinar', { attendeeChat })} attendeeChat={attendeeChat} send={send} />
          <QaPanel questions={room.questions} mayAsk={!ended && can(role, 'ask', { attendeeChat })} mayModerate={!ended && can(role, 'moderateQuestions', { attendeeChat })} send={send} />
        </aside>
      </div>
      {!audioBlocked &&
        [...snapshot.remote.entries()].map(([id, media]) =>
          media.camera && media.camera.getAudioTracks().length > 0 ? <RemoteAudio key={id} stream={media.camera} publisherId={id} onBlocked={onBlocked} /> : null,
        )}
    </main>
  );
}
