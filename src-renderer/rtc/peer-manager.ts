/**
 * Keeps one simple-peer connection per (publisherId, receiverId) link that involves us, following
 * the participant list (peer-plan.ts). DOM-free: the peer factory and streams are injected, so the
 * reconciliation, replacement and restart logic is unit-tested in node.
 *
 * - We initiate the links where we are the publisher; we answer the ones where we receive.
 * - A peer destroyed by an ICE failure (or any error) on a link we still want is replaced by a NEW
 *   peer with a new id, after a short backoff. A receiver whose peer dies asks the publisher for a
 *   new one (a `restart` payload).
 * - Local media changes are renegotiated on connected peers (a screen share starting or stopping
 *   leaves the voice and camera playing, and the receiver's jitter buffers and synchronizer keep
 *   what they learnt). A peer still connecting, or one that cannot renegotiate, is rebuilt (new id);
 *   receivers swap to the new peer when its first signal arrives, and ignore anything still in
 *   flight for the old id.
 */
import type { IceServer, Role, SignalData } from '../../src-shared/signaling-protocol';
import { diffSets, planLinks, type StreamKind } from './peer-plan';
import { PeerPayload } from './signal-payload';

export interface StreamLike {
  readonly id: string;
}

export interface PeerCallbacks<S> {
  signal(data: Record<string, unknown>): void;
  connect(): void;
  stream(stream: S): void;
  /** A remote stream lost its last track (the publisher stopped sending it). */
  streamRemoved(stream: S): void;
  /** The peer is gone (closed or failed). Not called after our own destroy(). */
  close(error?: { code?: string; message: string }): void;
}

export interface PeerHandle<S = unknown> {
  signal(data: Record<string, unknown>): void;
  destroy(): void;
  /** Sends exactly these streams from now on, by renegotiating (initiator only). */
  setStreams?(streams: S[], kinds: Record<string, StreamKind>): void;
}

export interface PeerOptions<S> {
  initiator: boolean;
  streams: S[];
  /** Kind of each sent stream, by stream id (the capture-timestamp transforms need it). */
  kinds?: Record<string, StreamKind>;
  iceServers: IceServer[];
}

export type PeerFactory<S> = (options: PeerOptions<S>, callbacks: PeerCallbacks<S>) => PeerHandle<S>;

export interface LocalStream<S> {
  kind: StreamKind;
  stream: S;
}

export type RemoteMedia<S> = Partial<Record<StreamKind, S>>;

export interface PeerManagerDeps<S> {
  selfId: string;
  createPeer: PeerFactory<S>;
  /** Sends over signaling; false when it could not be sent (we are reconnecting). */
  sendSignal(to: string, data: SignalData): boolean | void;
  /** Remote media of one publisher changed (empty object: none). */
  onRemoteMedia(publisherId: string, media: RemoteMedia<S>): void;
  onLinkState?(key: { publisherId: string; receiverId: string }, state: 'connecting' | 'connected' | 'closed'): void;
  newId(): string;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Delay before rebuilding a failed peer, by consecutive failures. */
  retryDelay?(failures: number): number;
}

interface SendLink<S> {
  receiverId: string;
  peerId: string;
  handle: PeerHandle<S>;
  /** Kinds of the streams this peer sends, by stream id (sent with every signal). */
  kinds: Record<string, StreamKind>;
  connected: boolean;
  createdAt: number;
  failures: number;
  retryTimer: unknown;
  /** Some of this peer's signaling could not be sent (we were offline): the receiver never got it. */
  undelivered: boolean;
}

interface ReceiveLink<S> {
  publisherId: string;
  peerId: string;
  handle: PeerHandle<S> | null;
  connected: boolean;
  kinds: Record<string, StreamKind>;
  streams: S[];
  /** The previous peer's media, shown until the replacement delivers its own. */
  previous: RemoteMedia<S>;
  restartTimer: unknown;
}

/** A restart request for a link created less than this long ago is ignored: its offer is on the way. */
export const FRESH_LINK_MS = 3_000;

export class PeerManager<S extends StreamLike> {
  private readonly sends = new Map<string, SendLink<S>>();
  private readonly receives = new Map<string, ReceiveLink<S>>();
  private readonly retired = new Set<string>();
  private participants: { id: string; role: Role }[] = [];
  private local: LocalStream<S>[] = [];
  private iceServers: IceServer[] = [];
  private disposed = false;

  constructor(private readonly deps: PeerManagerDeps<S>) {}

  setIceServers(servers: IceServer[]): void {
    this.iceServers = servers;
  }

  /**
   * Replaces what we publish. A connected peer renegotiates to the new set; any other sending peer
   * is rebuilt. A stream that stays but changes kind rebuilds them all (the receiver files media by
   * the kind it first heard).
   */
  setLocalStreams(streams: LocalStream<S>[]): void {
    const before = this.local;
    const same = streams.length === before.length && streams.every((s, i) => s.stream === before[i]?.stream && s.kind === before[i]?.kind);
    this.local = [...streams];
    if (same) return;
    const kindKept = streams.every((s) => before.every((b) => b.stream !== s.stream || b.kind === s.kind));
    const kinds = this.kindsMap();
    for (const [receiverId, link] of [...this.sends]) {
      if (kindKept && streams.length > 0 && link.connected && link.handle.setStreams) {
        link.kinds = kinds;
        link.handle.setStreams(
          streams.map((l) => l.stream),
          kinds,
        );
      } else this.dropSend(receiverId);
    }
    this.reconcile();
  }

  setParticipants(participants: readonly { id: string; role: Role }[]): void {
    this.participants = participants.map((p) => ({ id: p.id, role: p.role }));
    this.reconcile();
  }

  /** A participant (re)joined: any link with them is stale, build fresh ones. */
  participantRejoined(id: string): void {
    if (this.sends.has(id)) this.dropSend(id);
    this.reconcile();
    // A returning publisher may have lost our answer while it was away: ask for a fresh peer.
    const link = this.receives.get(id);
    if (link && !link.connected && this.plan().receiveFrom.has(id)) this.sendRestart(id, link.peerId);
  }

  /**
   * After our signaling connection came back: rebuild our sending links whose offer or candidates
   * were lost while we were away (nobody else would ask for them), and ask each publisher whose
   * link with us is not up for a new peer (they ignore it when a fresh offer is already on its way).
   */
  requestMissing(): void {
    for (const [receiverId, link] of [...this.sends]) if (link.undelivered && !link.connected) this.dropSend(receiverId);
    this.reconcile();
    const { receiveFrom } = this.plan();
    for (const publisherId of receiveFrom) {
      const link = this.receives.get(publisherId);
      if (!link?.connected) this.sendRestart(publisherId, link?.peerId ?? '');
    }
  }

  handleSignal(from: string, data: SignalData): void {
    if (this.disposed) return;
    const parsed = PeerPayload.safeParse(data.payload);
    if (!parsed.success) return;
    const payload = parsed.data;
    if (data.publisherId === this.deps.selfId) {
      // We publish on this link: an answer/candidate or a restart request from the receiver.
      const link = this.sends.get(from);
      if (payload.restart) {
        if (!this.plan().sendTo.has(from)) return;
        if (link && !link.undelivered && link.peerId !== payload.peer && this.deps.now() - link.createdAt < FRESH_LINK_MS) return;
        if (link) this.dropSend(from);
        this.reconcile();
        return;
      }
      if (link && link.peerId === payload.peer && payload.signal) link.handle.signal(payload.signal);
      return;
    }
    if (data.publisherId !== from) return; // a receiver may only signal links whose publisher is itself or us
    if (!this.plan().receiveFrom.has(from) || payload.restart || !payload.signal) return;
    if (this.retired.has(payload.peer)) return;
    let link = this.receives.get(from);
    if (!link || link.peerId !== payload.peer) link = this.openReceive(from, payload.peer, link);
    if (payload.kinds) link.kinds = { ...payload.kinds };
    link.handle?.signal(payload.signal);
  }

  /** Current remote media by publisher. */
  remoteMedia(publisherId: string): RemoteMedia<S> {
    const link = this.receives.get(publisherId);
    return link ? this.mediaOf(link) : {};
  }

  linkCounts(): { sending: number; receiving: number } {
    return { sending: this.sends.size, receiving: this.receives.size };
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.sends.keys()]) this.dropSend(id);
    for (const id of [...this.receives.keys()]) this.dropReceive(id);
  }

  // ---- internals ---------------------------------------------------------------------------------

  private plan() {
    return planLinks({ selfId: this.deps.selfId, participants: this.participants, selfPublishing: this.local.length > 0 });
  }

  private reconcile(): void {
    if (this.disposed) return;
    const plan = this.plan();
    const sends = diffSets(this.sends.keys(), plan.sendTo);
    for (const id of sends.remove) this.dropSend(id);
    for (const id of sends.add) this.openSend(id, 0);
    const receives = diffSets(this.receives.keys(), plan.receiveFrom);
    for (const id of receives.remove) this.dropReceive(id);
  }

  private kindsMap(): Record<string, StreamKind> {
    return Object.fromEntries(this.local.map((l) => [l.stream.id, l.kind]));
  }

  private openSend(receiverId: string, failures: number): void {
    const peerId = this.deps.newId();
    const publisherId = this.deps.selfId;
    const kinds = this.kindsMap();
    const link: SendLink<S> = { receiverId, peerId, handle: null as unknown as PeerHandle<S>, kinds, connected: false, createdAt: this.deps.now(), failures, retryTimer: null, undelivered: false };
    this.sends.set(receiverId, link);
    const current = () => this.sends.get(receiverId) === link;
    this.deps.onLinkState?.({ publisherId, receiverId }, 'connecting');
    link.handle = this.deps.createPeer(
      { initiator: true, streams: this.local.map((l) => l.stream), kinds, iceServers: this.iceServers },
      {
        signal: (signal) => {
          if (current() && this.deps.sendSignal(receiverId, { publisherId, payload: { peer: peerId, signal, kinds: link.kinds } }) === false) link.undelivered = true;
        },
        connect: () => {
          if (!current()) return;
          link.connected = true;
          link.failures = 0;
          this.deps.onLinkState?.({ publisherId, receiverId }, 'connected');
        },
        stream: () => {},
        streamRemoved: () => {},
        close: () => {
          if (!current()) return;
          this.retired.add(peerId);
          this.sends.delete(receiverId);
          this.deps.onLinkState?.({ publisherId, receiverId }, 'closed');
          if (this.disposed || !this.plan().sendTo.has(receiverId)) return;
          // Rebuild with a NEW peer; keep a placeholder so reconcile() does not race us.
          const next = failures + (link.connected ? 0 : 1);
          const delay = this.deps.retryDelay?.(next) ?? Math.min(5_000, 250 * 2 ** next);
          const placeholder: SendLink<S> = { ...link, handle: { signal() {}, destroy() {} }, connected: false, retryTimer: null, undelivered: false };
          this.sends.set(receiverId, placeholder);
          placeholder.retryTimer = this.deps.setTimeout(() => {
            if (this.sends.get(receiverId) !== placeholder) return;
            this.sends.delete(receiverId);
            if (!this.disposed && this.plan().sendTo.has(receiverId)) this.openSend(receiverId, next);
          }, delay);
        },
      },
    );
  }

  private dropSend(receiverId: string): void {
    const link = this.sends.get(receiverId);
    if (!link) return;
    this.sends.delete(receiverId);
    this.retired.add(link.peerId);
    if (link.retryTimer !== null) this.deps.clearTimeout(link.retryTimer);
    link.handle.destroy();
    this.deps.onLinkState?.({ publisherId: this.deps.selfId, receiverId }, 'closed');
  }

  private openReceive(publisherId: string, peerId: string, previous: ReceiveLink<S> | undefined): ReceiveLink<S> {
    const carried = previous ? this.mediaOf(previous) : {};
    if (previous) this.closeReceiveHandle(previous);
    const link: ReceiveLink<S> = { publisherId, peerId, handle: null, connected: false, kinds: {}, streams: [], previous: carried, restartTimer: null };
    this.receives.set(publisherId, link);
    const current = () => this.receives.get(publisherId) === link;
    const receiverId = this.deps.selfId;
    this.deps.onLinkState?.({ publisherId, receiverId }, 'connecting');
    link.handle = this.deps.createPeer(
      { initiator: false, streams: [], iceServers: this.iceServers },
      {
        signal: (signal) => {
          if (current()) this.deps.sendSignal(publisherId, { publisherId, payload: { peer: peerId, signal } });
        },
        connect: () => {
          if (!current()) return;
          link.connected = true;
          link.previous = {};
          this.deps.onLinkState?.({ publisherId, receiverId }, 'connected');
          this.emitMedia(link);
        },
        stream: (stream) => {
          if (!current()) return;
          if (!link.streams.some((s) => s.id === stream.id)) link.streams.push(stream);
          this.emitMedia(link);
        },
        streamRemoved: (stream) => {
          if (!current() || !link.streams.some((s) => s.id === stream.id)) return;
          link.streams = link.streams.filter((s) => s.id !== stream.id);
          this.emitMedia(link);
        },
        close: () => {
          if (!current()) return;
          this.retired.add(peerId);
          link.handle = null;
          link.connected = false;
          link.streams = [];
          link.previous = {};
          this.deps.onLinkState?.({ publisherId, receiverId }, 'closed');
          this.emitMedia(link);
          // If the publisher does not replace it soon, ask for a new one.
          link.restartTimer = this.deps.setTimeout(() => {
            if (current() && !link.handle && this.plan().receiveFrom.has(publisherId)) this.sendRestart(publisherId, peerId);
          }, 1_000);
        },
      },
    );
    return link;
  }

  private closeReceiveHandle(link: ReceiveLink<S>): void {
    this.retired.add(link.peerId);
    if (link.restartTimer !== null) this.deps.clearTimeout(link.restartTimer);
    link.restartTimer = null;
    link.handle?.destroy();
    link.handle = null;
  }

  private dropReceive(publisherId: string): void {
    const link = this.receives.get(publisherId);
    if (!link) return;
    this.receives.delete(publisherId);
    this.closeReceiveHandle(link);
    this.deps.onLinkState?.({ publisherId, receiverId: this.deps.selfId }, 'closed');
    this.deps.onRemoteMedia(publisherId, {});
  }

  private sendRestart(publisherId: string, peerId: string): void {
    this.deps.sendSignal(publisherId, { publisherId, payload: { peer: peerId, restart: true } });
  }

  private mediaOf(link: ReceiveLink<S>): RemoteMedia<S> {
    if (!link.connected && link.streams.length === 0) return link.previous;
    const media: RemoteMedia<S> = {};
    for (const stream of link.streams) {
      const kind = link.kinds[stream.id] ?? (media.camera ? 'screen' : 'camera');
      media[kind] = stream;
    }
    return media;
  }

  private emitMedia(link: ReceiveLink<S>): void {
    this.deps.onRemoteMedia(link.publisherId, this.mediaOf(link));
  }
}
