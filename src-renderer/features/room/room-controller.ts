/**
 * One room session: the signaling client, the peer manager and local media, wired together.
 * React reads `snapshot` through useSyncExternalStore (use-room.ts); actions go through methods.
 *
 * Issue 4: each session also runs a SessionClock over the signaling client, a media-sync side
 * plugged in through `createMediaSync` (see media-sync-hook.ts), and an EventTimeline that holds
 * incoming chat messages and Q&A answers until this receiver's presented media reaches their
 * `mediaTime`. What this client sends is stamped with the media time it is seeing.
 */
import type { ClientMessage, Participant, ServerMessage, ServerMessageOf } from '../../../src-shared/signaling-protocol';
import { isPublisher } from '../../../src-shared/webinar/permissions';
import { eventMediaTime } from '../../../src-shared/sync/media-timeline';
import { EventTimeline } from '../../sync/event-timeline';
import { SessionClock } from '../../sync/session-clock';
import type { SyncStats } from '../../sync/sync-contracts';
import { getDefaultMediaSync, NULL_MEDIA_SYNC, type CreateMediaSync, type MediaSync } from './media-sync-hook';
import { getBridge } from '../../bridge';
import { SignalClient, browserSignalDeps } from '../../rtc/signal-client';
import { INITIAL_CONNECTION_STATE, type ConnectionState } from '../../rtc/connection-state';
import { PeerManager, type RemoteMedia } from '../../rtc/peer-manager';
import { createSimplePeerFactory } from '../../rtc/simple-peer-link';
import { MediaManager, type LocalMediaState } from '../../rtc/media-manager';
import { EMPTY_ROOM, roomReducer, selfOf, showChat, type RoomState } from './room-state';

export interface RoomSnapshot {
  connection: ConnectionState;
  room: RoomState;
  local: LocalMediaState;
  preview: { camera: MediaStream | null; screen: MediaStream | null };
  remote: ReadonlyMap<string, RemoteMedia<MediaStream>>;
  /** A local problem to show (camera refused, screen share failed …). */
  notice: string | null;
}

export interface RoomControllerOptions {
  /** The media side of the synchronizer; default: the one set with setDefaultMediaSync (else none). */
  createMediaSync?: CreateMediaSync;
  /** Longest a chat message / answer is held for its media moment, ms (default 1500). */
  eventHoldCapMs?: number;
}

/** Client messages that carry the sender's media time (chat, Q&A, host actions). */
const TIMED_TYPES: ReadonlySet<ClientMessage['type']> = new Set<ClientMessage['type']>([
  'chat.send',
  'qa.ask',
  'qa.answer',
  'qa.dismiss',
  'participant.promote',
  'participant.demote',
  'participant.remove',
  'participant.mute',
  'chat.allowAttendees',
  'webinar.end',
]);

/** What the event timeline holds: chat messages and Q&A answers/dismissals. */
type TimedMessage = ServerMessageOf<'chat.message'> | ServerMessageOf<'qa.answered'>;

/** The clock chat `shownAt` is recorded on (comparable across pages of one machine). */
const shownNow = (): number => performance.timeOrigin + performance.now();

const NO_LOCAL: LocalMediaState = { audio: false, video: false, screen: false, micDeviceId: null, cameraDeviceId: null };

export class RoomController {
  private snap: RoomSnapshot = { connection: INITIAL_CONNECTION_STATE, room: EMPTY_ROOM, local: NO_LOCAL, preview: { camera: null, screen: null }, remote: new Map(), notice: null };
  private readonly listeners = new Set<() => void>();
  signal: SignalClient = new SignalClient(browserSignalDeps(async () => ({ ok: false, error: { code: 'unknown', message: 'not started' } })));
  media: MediaManager = new MediaManager();
  private peers: PeerManager<MediaStream> | null = null;
  private running = false;
  private lastSentMedia = '';
  private clock: SessionClock | null = null;
  private mediaSync: MediaSync | null = null;
  private timeline: EventTimeline<TimedMessage> | null = null;
  /** When each held chat message reached us (reach vs shown: the hold is the media alignment). */
  private readonly chatArrivals = new Map<string, number>();
  /** Questions this client just answered or dismissed: their broadcast is shown at once. */
  private readonly ownQa = new Set<string>();

  constructor(
    readonly webinarId: string,
    private readonly options: RoomControllerOptions = {},
  ) {}

  /** This session's clock (null before start / after stop). */
  get sessionClock(): SessionClock | null {
    return this.clock;
  }

  /** The element a remote video track is shown in (null: no longer), for the synchronizer to measure. */
  presentOn(track: MediaStreamTrack, element: HTMLVideoElement | null): void {
    this.mediaSync?.presentOn?.(track, element);
  }

  /** For the sync indicator and overlay; 'off' without a media side. */
  syncStats(): SyncStats {
    const fallback: SyncStats = { state: 'off', streams: [], skews: [], clockErrorBoundMs: this.clock?.errorBoundMs() ?? Number.POSITIVE_INFINITY };
    if (!this.mediaSync) return fallback;
    try {
      return this.mediaSync.stats();
    } catch {
      return fallback;
    }
  }

  /**
   * The media time this client is seeing now (session ms): a publisher its live media, a viewer
   * now minus its own presentation delay. Null before the session clock has synced.
   */
  mediaTimeNow(): number | null {
    const clock = this.clock;
    if (!clock?.synced) return null;
    const self = selfOf(this.snap.room);
    const delay = self && isPublisher(self.role) ? null : (this.mediaSync?.clock.ownDelayMs() ?? null);
    return eventMediaTime(clock.now(), delay);
  }

  /** Starts (or restarts, after stop()) a session: new signaling client, peers and media. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const webinarId = this.webinarId;
    this.signal = new SignalClient(browserSignalDeps(() => getBridge().webinars.join({ id: webinarId })));
    this.media = new MediaManager();
    this.lastSentMedia = '';
    this.update({ connection: INITIAL_CONNECTION_STATE, room: EMPTY_ROOM, local: NO_LOCAL, preview: { camera: null, screen: null }, remote: new Map(), notice: null });
    this.startSync();
    this.signal.on('state', (connection) => {
      this.update({ connection });
      if (connection.status === 'ended') this.shutdownMedia();
    });
    this.signal.on('joined', (join) => this.peers?.setIceServers(join.iceServers));
    this.signal.on('message', (msg) => {
      if (msg.type === 'welcome') this.timeline?.clear(); // the welcome's history supersedes what is pending
      if (this.holdForMedia(msg)) return;
      const before = this.snap.room;
      const room = roomReducer(before, msg);
      if (room !== before) this.update({ room });
      switch (msg.type) {
        case 'welcome':
          this.ensurePeers(msg.self.id);
          this.peers!.setParticipants(room.participants);
          this.peers!.requestMissing();
          this.applySelf(selfOf(room));
          this.sendMediaState(true);
          break;
        case 'participant.joined':
          // Drop any stale link with them first, then build exactly one fresh link.
          this.peers?.participantRejoined(msg.participant.id);
          this.peers?.setParticipants(room.participants);
          break;
        case 'participant.updated':
          this.peers?.setParticipants(room.participants);
          if (msg.participant.id === room.selfId) this.applySelf(msg.participant);
          break;
        case 'participant.left':
          this.peers?.setParticipants(room.participants);
          break;
        case 'signal':
          this.peers?.handleSignal(msg.from, msg.data);
          break;
        default:
          break;
      }
    });
    this.media.on('streams', (streams) => this.peers?.setLocalStreams(streams));
    this.media.on('state', (local) => {
      this.update({ local });
      this.sendMediaState(false);
    });
    this.media.on('preview', (preview) => this.update({ preview }));
    this.signal.start();
  }

  get snapshot(): RoomSnapshot {
    return this.snap;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Sends a client message; chat, Q&A and host actions get this client's `mediaTime`. */
  send(message: ClientMessage): boolean {
    const ok = this.signal.send(this.stamp(message));
    if (!ok) this.update({ notice: 'Not connected: try again when the connection is back.' });
    else if (message.type === 'qa.answer' || message.type === 'qa.dismiss') this.ownQa.add(message.questionId);
    return ok;
  }

  async run(label: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
      if (this.snap.notice) this.update({ notice: null });
    } catch (err) {
      this.update({ notice: `${label}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  leave(): void {
    this.stop();
  }

  /** Ends this session (leaves the room, stops media). start() may begin a new one. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.signal.leave();
    this.shutdownMedia();
    this.timeline?.dispose();
    this.timeline = null;
    this.clock?.dispose();
    this.clock = null;
    this.ownQa.clear();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private startSync(): void {
    this.clock?.dispose();
    this.timeline?.dispose();
    this.ownQa.clear();
    const clock = new SessionClock({ transport: this.signal });
    this.clock = clock;
    this.timeline = new EventTimeline<TimedMessage>({
      media: () => this.mediaSync?.clock ?? null,
      onRelease: (released) => this.showReleased(released.map((r) => r.event.payload)),
      maxHoldMs: this.options.eventHoldCapMs,
    });
    const factory = this.options.createMediaSync ?? getDefaultMediaSync();
    const deps = {
      clock,
      signal: this.signal,
      media: this.media,
      peers: () => this.peers,
      snapshot: () => this.snap,
      subscribe: this.subscribe,
    };
    try {
      this.mediaSync = factory(deps);
    } catch (err) {
      // The synchronizer is an enhancement: a failing media side must not take the room down.
      console.error('media sync failed to start', err);
      this.mediaSync = NULL_MEDIA_SYNC(deps);
    }
  }

  /**
   * Chat messages and Q&A answers from others wait on the event timeline for their media moment.
   * Our own are shown at once (a sender must see what they typed), as is anything without a
   * mediaTime (an old server). Returns true when the message was taken over here.
   */
  private holdForMedia(msg: ServerMessage): boolean {
    const timeline = this.timeline;
    if (!timeline) return false;
    if (msg.type === 'chat.message') {
      this.chatArrivals.set(msg.id, shownNow());
      if (msg.mediaTime === undefined || msg.from.id === this.snap.room.selfId) {
        this.showReleased([msg]);
      } else {
        timeline.push({ id: `chat:${msg.id}`, mediaTime: msg.mediaTime, payload: msg });
      }
      return true;
    }
    if (msg.type === 'qa.answered' && msg.mediaTime !== undefined) {
      if (this.ownQa.delete(msg.question.id)) return false;
      timeline.push({ id: `qa:${msg.question.id}:${msg.question.status}`, mediaTime: msg.mediaTime, payload: msg });
      return true;
    }
    return false;
  }

  /** Puts released messages into the room state; chat entries get their `shownAt`. */
  private showReleased(released: TimedMessage[]): void {
    const shownAt = shownNow();
    let room = this.snap.room;
    for (const msg of released) {
      if (msg.type === 'chat.message') {
        const { type: _type, ...message } = msg;
        const arrivedAt = this.chatArrivals.get(msg.id) ?? shownAt;
        this.chatArrivals.delete(msg.id);
        room = showChat(room, { ...message, arrivedAt, shownAt });
      } else {
        room = roomReducer(room, msg);
      }
    }
    if (room !== this.snap.room) this.update({ room });
  }

  private stamp(message: ClientMessage): ClientMessage {
    if (!TIMED_TYPES.has(message.type) || ('mediaTime' in message && message.mediaTime !== undefined)) return message;
    const mediaTime = this.mediaTimeNow();
    return mediaTime === null ? message : ({ ...message, mediaTime } as ClientMessage);
  }

  private ensurePeers(selfId: string): void {
    if (this.peers) return;
    this.peers = new PeerManager<MediaStream>({
      selfId,
      createPeer: createSimplePeerFactory({ onPeerConnection: (pc, info) => this.mediaSync?.onPeerConnection?.(pc, info) }),
      sendSignal: (to, data) => this.signal.send({ type: 'signal', to, data }),
      onRemoteMedia: (publisherId, media) => {
        const remote = new Map(this.snap.remote);
        if (media.camera || media.screen) remote.set(publisherId, media);
        else remote.delete(publisherId);
        this.update({ remote });
      },
      newId: () => crypto.randomUUID(),
      now: () => performance.now(),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number),
    });
    const join = this.signal.join;
    if (join) this.peers.setIceServers(join.iceServers);
    this.peers.setLocalStreams(this.media.streams);
  }

  /** Our own participant changed: demotion stops publishing; a host mute turns the mic off. */
  private applySelf(self: Participant | null): void {
    if (!self) return;
    if (self.role === 'attendee' && this.media.streams.length > 0) this.media.stopAll();
    if (self.mutedByHost && this.media.state.audio) void this.media.setMic(false);
  }

  private sendMediaState(force: boolean): void {
    const { audio, video, screen } = this.media.state;
    const key = `${audio}${video}${screen}`;
    if (!force && key === this.lastSentMedia) return;
    const self = selfOf(this.snap.room);
    if (!self) return;
    if (self.role === 'attendee' && !audio && !video && !screen) return;
    if (this.signal.send({ type: 'media.state', audio, video, screen })) this.lastSentMedia = key;
  }

  private shutdownMedia(): void {
    // Whatever waits for its media moment is shown now: the media is going away.
    this.timeline?.flush();
    const sync = this.mediaSync;
    this.mediaSync = null;
    try {
      sync?.dispose();
    } catch (err) {
      console.error('media sync dispose failed', err);
    }
    this.peers?.dispose();
    this.peers = null;
    this.media.dispose();
  }

  private update(patch: Partial<RoomSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
