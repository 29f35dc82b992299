// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the e2e tsconfig does not include the renderer's ambient module declaration
/// <reference path="../src-renderer/rtc/simplepeer-min.d.ts" />
/**
 * One page of the sync benchmark / e2e check (bundled by esbuild into a bare page, window.__sync).
 * It runs our real renderer modules: SignalClient (real tickets through a Playwright binding), the
 * SessionClock over clock.ping/pong, PeerManager + simple-peer, and createMediaSync (capture
 * timestamps, probes, aligner). Around them, the apparatus:
 *
 * publisher: camera and screen are canvases painting the (true) epoch time of each frame as a time
 *   code (sync-code.ts) on every other animation frame, captured with requestFrame() right after
 *   painting; audio is a train of tone pulses (sync-audio.browser.ts). Chat with mediaTime.
 * receiver: decodes the code of every presented frame (rVFC → the frame's luma rows, decodeLuma),
 *   detects the pulse onsets it plays (sync-audio.browser.ts: when its <audio> element plays them),
 *   records when each chat message is shown (released by the room's own EventTimeline).
 *
 * Truth clock: the machine's wall clock with sub-ms precision (performance timeline + the median
 * of Date.now() − it), shared by all pages. Perturbations: receive-side frame holds (set after the
 * stamps are read) and a skewed + drifting local clock under one receiver's SessionClock.
 */
import type { JoinResponse } from '../src-shared/signaling-protocol';
import type { IpcResult } from '../src-shared/ipc-contract';
import { PeerManager, type LocalStream, type RemoteMedia } from '../src-renderer/rtc/peer-manager';
import { browserSignalDeps, SignalClient } from '../src-renderer/rtc/signal-client';
import { createSimplePeerFactory } from '../src-renderer/rtc/simple-peer-link';
import { SessionClock } from '../src-renderer/sync/session-clock';
import { createMediaSync, type MediaSync } from '../src-renderer/sync/aligner';
import { EventTimeline } from '../src-renderer/sync/event-timeline';
import type { FrameHolds } from '../src-renderer/sync/capture-worker';
import { pulseTrack, watchAudio } from './sync-audio.browser';
import { codeCanvas, decodeFrom, decodeLuma, mono, truthNow, truthOfPerf } from './sync-time-code.browser';
import { emptySyncLogs, type SyncLogs as Logs } from './sync-code';

declare global {
  interface Window {
    __sync: typeof api;
    __syncTicket: () => Promise<JoinResponse>;
  }
}

// ---- logs collected by node -------------------------------------------------------------------------
let logs: Logs = emptySyncLogs();
const event = (what: string) => logs.events.push({ at: truthNow(), what });

function watchVideo(kind: 'camera' | 'screen', stream: MediaStream): () => void {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.dataset.kind = kind;
  video.width = kind === 'camera' ? 320 : 640;
  video.height = kind === 'camera' ? 240 : 360;
  video.srcObject = stream;
  document.body.appendChild(video);
  void video.play().catch(() => {});
  // This element stands for the room's <video> the user sees: the synchronizer measures the frames
  // it presents (as the room tells it with presentOn), the bench reads their pixels.
  const track = stream.getVideoTracks()[0];
  if (track) sync?.presentOn(track, video);
  const canvas = document.createElement('canvas');
  canvas.width = kind === 'camera' ? 160 : 320;
  canvas.height = kind === 'camera' ? 120 : 180;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  let stopped = false;
  // Reads finish in the order they were taken (logs.frames stays in presentation order).
  let reads: Promise<void> = Promise.resolve();
  const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
    if (stopped) return;
    const luma = decodeLuma(video);
    const read = luma ? luma.catch(() => null) : Promise.resolve(decodeFrom(video, canvas, g));
    // The RTP timestamp names the frame the metadata is about; the pixels may be a newer one (see
    // matchedFrames in bench/sync-frames.ts).
    const rtp = (meta as VideoFrameCallbackMetadata & { rtpTimestamp?: number }).rtpTimestamp;
    const at = truthOfPerf(meta.expectedDisplayTime);
    reads = reads.then(async () => {
      const cap = await read;
      if (cap !== null) logs.frames.push({ kind, at, cap, rtp: typeof rtp === 'number' ? rtp >>> 0 : null });
    });
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  return () => {
    stopped = true;
    if (track) sync?.presentOn(track, null);
    video.remove();
  };
}

// ---- session ----------------------------------------------------------------------------------------
interface StartOptions {
  role: 'publisher' | 'receiver';
  enabled?: boolean;
  holds?: FrameHolds;
  /** This page's local clock under the SessionClock: + offsetMs, drifting driftPpm. */
  clockSkew?: { offsetMs: number; driftPpm: number };
  /** Also time the audio through a WebAudio analysis graph (webAudioOnsets): off by default, since
   *  each graph is one more real-time audio thread on the bench machine's cores. */
  webAudio?: boolean;
}

let signal: SignalClient | null = null;
let clock: SessionClock | null = null;
let sync: MediaSync | null = null;
let peers: PeerManager<MediaStream> | null = null;
let local: LocalStream<MediaStream>[] = [];
let cameraStream: MediaStream | null = null;
let screen: { stream: MediaStream; stop(): void } | null = null;
const watching = new Map<string, () => void>();
const connections = new Set<RTCPeerConnection>();
let chatMode: 'scheduled' | 'arrival' = 'scheduled';
// The room's own release of timed chat (as room-controller.ts sets it up).
const timeline = new EventTimeline<string>({
  media: () => sync?.clock ?? null,
  onRelease: (out) => {
    for (const r of out) logs.chats.push({ text: r.event.payload, at: truthNow(), mediaTime: r.event.mediaTime });
  },
});
let chatSeq = 0;
let webAudioPath = false;

/** Which kind each video track is (remote tracks as received, local ones as sent), for the RTP stats. */
const videoKinds = new Map<string, 'camera' | 'screen'>();
const pcOrder = new WeakMap<RTCPeerConnection, number>();
let pcCount = 0;

/** Logs every video RTP stream's counters and every inbound audio's (see RtpStreamSample): where a
 *  freeze shows whether frames kept arriving undecoded and when a key frame was asked for, and how
 *  each jitter buffer's own target moved. */
function sampleRtpStats(): void {
  setInterval(() => {
    for (const pc of connections) {
      void pc.getStats().then((report) => {
        const at = truthNow();
        const sources = new Map<string, string>();
        report.forEach((x: { type: string; id: string; trackIdentifier?: string }) => {
          if (x.type === 'media-source' && x.trackIdentifier) sources.set(x.id, x.trackIdentifier);
        });
        report.forEach((x: Record<string, unknown>) => {
          const inbound = x.type === 'inbound-rtp';
          if (!(x.kind === 'video' && (inbound || x.type === 'outbound-rtp')) && !(x.kind === 'audio' && inbound)) return;
          const n = (k: string) => (typeof x[k] === 'number' ? (x[k] as number) : 0);
          const track = inbound ? (x.trackIdentifier as string | undefined) : sources.get(x.mediaSourceId as string);
          logs.rtp.push({
            at,
            dir: inbound ? 'in' : 'out',
            pc: pcOrder.get(pc) ?? -1,
            kind: x.kind === 'audio' ? 'audio' : (track && videoKinds.get(track)) || null,
            frames: n(inbound ? 'framesReceived' : 'framesEncoded'),
            decoded: n(inbound ? 'framesDecoded' : 'framesSent'),
            keyFrames: n(inbound ? 'keyFramesDecoded' : 'keyFramesEncoded'),
            plis: n('pliCount') + n('firCount'),
            nacks: n('nackCount'),
            lost: n('packetsLost'),
            freezes: n('freezeCount'),
            freezeMs: Math.round(n('totalFreezesDuration') * 1000),
            jb: inbound ? { delay: n('jitterBufferDelay'), target: n('jitterBufferTargetDelay'), minimum: n('jitterBufferMinimumDelay'), emitted: n('jitterBufferEmittedCount') } : undefined,
          });
        });
      });
    }
  }, 250);
}

function onRemoteMedia(publisherId: string, media: RemoteMedia<MediaStream>): void {
  sync?.setRemoteMedia(publisherId, media);
  for (const kind of ['camera', 'screen'] as const) {
    const stream = media[kind];
    const key = `${publisherId}:${kind}:${stream?.id ?? ''}`;
    for (const [k, stop] of watching) {
      if (k.startsWith(`${publisherId}:${kind}:`) && k !== key) {
        stop();
        watching.delete(k);
      }
    }
    if (!stream || watching.has(key)) continue;
    event(`media:${kind}`);
    for (const t of stream.getVideoTracks()) videoKinds.set(t.id, kind);
    const stops: (() => void)[] = [watchVideo(kind, stream)];
    const audio = stream.getAudioTracks()[0];
    if (audio) {
      stops.push(
        watchAudio(audio, {
          receiverOf: (t) => [...connections].flatMap((pc) => pc.getReceivers()).find((r) => r.track === t) ?? null,
          onHeard: (o) => logs.onsets.push(o),
          onWebAudio: webAudioPath ? (o) => logs.webAudioOnsets.push(o) : null,
          note: event,
        }),
      );
    }
    watching.set(key, () => stops.forEach((s) => s()));
  }
}

const api = {
  async start(opts: StartOptions): Promise<void> {
    const skew = opts.clockSkew;
    webAudioPath = opts.webAudio ?? false;
    const t0 = mono();
    const localNow = skew ? () => mono() + skew.offsetMs + (mono() - t0) * skew.driftPpm * 1e-6 : mono;
    signal = new SignalClient(browserSignalDeps(async (): Promise<IpcResult<JoinResponse>> => ({ ok: true, value: await window.__syncTicket() })));
    clock = new SessionClock({ transport: signal, localNow });
    sync = createMediaSync({ sessionClock: clock, enabled: opts.enabled ?? true, holds: opts.holds });
    sync.onSample((x) => logs.samples.push({ kind: x.kind, at: truthOfPerf(x.at - performance.timeOrigin), d: Math.round(x.delayMs * 10) / 10 }));
    chatMode = (opts.enabled ?? true) ? 'scheduled' : 'arrival';
    const createPeer = createSimplePeerFactory({
      onPeerConnection: (pc, info) => {
        connections.add(pc);
        pcOrder.set(pc, pcCount++);
        pc.addEventListener('connectionstatechange', () => pc.connectionState === 'closed' && connections.delete(pc));
        sync!.onPeerConnection(pc, info);
      },
    });
    let participants: { id: string; role: 'host' | 'panelist' | 'attendee' }[] = [];
    const welcomed = new Promise<void>((resolve) => {
      signal!.on('message', (m) => {
        switch (m.type) {
          case 'welcome':
            participants = m.participants.map((p) => ({ id: p.id, role: p.role }));
            peers ??= new PeerManager<MediaStream>({
              selfId: m.self.id,
              createPeer,
              sendSignal: (to, data) => void signal!.send({ type: 'signal', to, data }),
              onRemoteMedia,
              newId: () => crypto.randomUUID(),
              now: () => performance.now(),
              setTimeout: (fn, ms) => window.setTimeout(fn, ms),
              clearTimeout: (h) => window.clearTimeout(h as number),
            });
            if (signal!.join) peers.setIceServers(signal!.join.iceServers);
            peers.setLocalStreams(local);
            peers.setParticipants(participants);
            resolve();
            break;
          case 'participant.joined':
            participants = [...participants.filter((p) => p.id !== m.participant.id), { id: m.participant.id, role: m.participant.role }];
            peers?.participantRejoined(m.participant.id);
            peers?.setParticipants(participants);
            break;
          case 'participant.updated':
            participants = participants.map((p) => (p.id === m.participant.id ? { id: p.id, role: m.participant.role } : p));
            peers?.setParticipants(participants);
            break;
          case 'participant.left':
            participants = participants.filter((p) => p.id !== m.participantId);
            peers?.setParticipants(participants);
            break;
          case 'signal':
            peers?.handleSignal(m.from, m.data);
            break;
          case 'chat.message':
            if (opts.role === 'publisher') break;
            if (chatMode === 'arrival' || m.mediaTime === undefined) logs.chats.push({ text: m.text, at: truthNow(), mediaTime: m.mediaTime ?? null });
            else timeline.push({ id: m.id, mediaTime: m.mediaTime, payload: m.text });
            break;
          default:
            break;
        }
      });
    });
    signal.start();
    await welcomed;
    event('welcome');
    sampleRtpStats();
    setInterval(() => {
      if (!clock || !sync) return;
      const at = truthNow();
      if (clock.synced) logs.clock.push({ at, err: clock.now() - at, bound: clock.errorBoundMs() });
      const out = sync.lastOutput();
      const stats = sync.stats();
      logs.sync.push({
        at,
        state: stats.state,
        added: out?.addedDelayMs ?? 0,
        delays: Object.fromEntries(stats.streams.map((s) => [s.kind, s.delayMs])),
        targets: Object.fromEntries(stats.streams.map((s) => [s.kind, s.targetMs])),
        arrivals: Object.fromEntries(stats.streams.map((s) => [s.kind, s.arrivalMs])),
      });
    }, 100);
  },

  async waitSynced(timeoutMs = 10_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (!clock?.synced) {
      if (performance.now() > until) throw new Error('session clock did not sync');
      await new Promise((r) => setTimeout(r, 20));
    }
  },

  /** Publisher: camera (+ audio pulses) on. */
  async goLive(): Promise<void> {
    const pulses = await pulseTrack((o) => logs.onsets.push(o), webAudioPath ? (o) => logs.webAudioOnsets.push(o) : null, event);
    const cam = codeCanvas(320, 240, 30);
    cameraStream = new MediaStream([pulses, cam.stream.getVideoTracks()[0]!]);
    videoKinds.set(cam.stream.getVideoTracks()[0]!.id, 'camera');
    local = [{ kind: 'camera', stream: cameraStream }];
    peers?.setLocalStreams(local);
    signal?.send({ type: 'media.state', audio: true, video: true, screen: false });
    event('live');
  },

  startScreen(): void {
    screen = codeCanvas(640, 360, 30);
    for (const t of screen.stream.getVideoTracks()) videoKinds.set(t.id, 'screen');
    local = [...local, { kind: 'screen', stream: screen.stream }];
    peers?.setLocalStreams(local);
    signal?.send({ type: 'media.state', audio: true, video: true, screen: true });
    event('screen');
  },

  /** Publisher: a chat message stamped with the media time it sees (its own live media). */
  sendChat(): string {
    const text = `sync-chat-${chatSeq++}-${Math.random().toString(36).slice(2, 8)}`;
    const at = truthNow();
    signal?.send({ type: 'chat.send', text, mediaTime: clock!.now() });
    logs.chats.push({ text, at, mediaTime: null });
    return text;
  },

  setEnabled(on: boolean): void {
    sync?.setEnabled(on);
    chatMode = on ? 'scheduled' : 'arrival';
    event(on ? 'sync-on' : 'sync-off');
  },

  truthNow,

  /** Receiver: lose the next delta frame of a kind after the packet buffer (freeze-recovery e2e). */
  dropNextFrame(kind: 'camera' | 'screen'): void {
    sync?.dropNextFrame(kind);
    event(`drop:${kind}`);
  },

  /** Receiver: key frames the synchronizer's freeze recovery asked for. */
  keyFrameRequests(): number {
    return sync?.keyFrameRequests() ?? 0;
  },

  videoStats(): unknown {
    return [...document.querySelectorAll('video')].map((v) => ({ kind: v.dataset.kind ?? v.dataset.syncProbe, rs: v.readyState, t: v.currentTime, q: v.getVideoPlaybackQuality(), w: v.videoWidth }));
  },

  drain(): Logs {
    const out = logs;
    logs = emptySyncLogs();
    return out;
  },
};

window.__sync = api;
