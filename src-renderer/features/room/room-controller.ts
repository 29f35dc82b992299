/**
 * One room session: the signaling client, the peer manager and local media, wired together.
 * React reads `snapshot` through useSyncExternalStore (use-room.ts); actions go through methods.
 */
import type { ClientMessage, Participant } from '../../../src-shared/signaling-protocol';
import { getBridge } from '../../bridge';
import { SignalClient, browserSignalDeps } from '../../rtc/signal-client';
import { INITIAL_CONNECTION_STATE, type ConnectionState } from '../../rtc/connection-state';
import { PeerManager, type RemoteMedia } from '../../rtc/peer-manager';
import { createSimplePeer } from '../../rtc/simple-peer-link';
import { MediaManager, type LocalMediaState } from '../../rtc/media-manager';
import { EMPTY_ROOM, roomReducer, selfOf, type RoomState } from './room-state';

export interface RoomSnapshot {
  connection: ConnectionState;
  room: RoomState;
  local: LocalMediaState;
  preview: { camera: MediaStream | null; screen: MediaStream | null };
  remote: ReadonlyMap<string, RemoteMedia<MediaStream>>;
  /** A local problem to show (camera refused, screen share failed …). */
  notice: string | null;
}

const NO_LOCAL: LocalMediaState = { audio: false, video: false, screen: false, micDeviceId: null, cameraDeviceId: null };

export class RoomController {
  private snap: RoomSnapshot = { connection: INITIAL_CONNECTION_STATE, room: EMPTY_ROOM, local: NO_LOCAL, preview: { camera: null, screen: null }, remote: new Map(), notice: null };
  private readonly listeners = new Set<() => void>();
  signal: SignalClient = new SignalClient(browserSignalDeps(async () => ({ ok: false, error: { code: 'unknown', message: 'not started' } })));
  media: MediaManager = new MediaManager();
  private peers: PeerManager<MediaStream> | null = null;
  private running = false;
  private lastSentMedia = '';

  constructor(readonly webinarId: string) {}

  /** Starts (or restarts, after stop()) a session: new signaling client, peers and media. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const webinarId = this.webinarId;
    this.signal = new SignalClient(browserSignalDeps(() => getBridge().webinars.join({ id: webinarId })));
    this.media = new MediaManager();
    this.lastSentMedia = '';
    this.update({ connection: INITIAL_CONNECTION_STATE, room: EMPTY_ROOM, local: NO_LOCAL, preview: { camera: null, screen: null }, remote: new Map(), notice: null });
    this.signal.on('state', (connection) => {
      this.update({ connection });
      if (connection.status === 'ended') this.shutdownMedia();
    });
    this.signal.on('joined', (join) => this.peers?.setIceServers(join.iceServers));
    this.signal.on('message', (msg) => {
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

  send(message: ClientMessage): boolean {
    const ok = this.signal.send(message);
    if (!ok) this.update({ notice: 'Not connected: try again when the connection is back.' });
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
  }

  // ---- internals ---------------------------------------------------------------------------------

  private ensurePeers(selfId: string): void {
    if (this.peers) return;
    this.peers = new PeerManager<MediaStream>({
      selfId,
      createPeer: createSimplePeer,
      sendSignal: (to, data) => {
        this.signal.send({ type: 'signal', to, data });
      },
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
    this.peers?.dispose();
    this.peers = null;
    this.media.dispose();
  }

  private update(patch: Partial<RoomSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
