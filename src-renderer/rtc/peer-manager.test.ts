import { beforeEach, describe, expect, it } from 'vitest';
import type { SignalData } from '../../src-shared/signaling-protocol';
import { FRESH_LINK_MS, PeerManager, type RemoteMedia } from './peer-manager';
import { FakePeer, FakeTimers, type FakeStream } from './test-fakes';

function setup(selfId: string, { renegotiates = true } = {}) {
  const link = { online: true };
  const timers = new FakeTimers();
  const peers: FakePeer[] = [];
  const sent: { to: string; data: SignalData }[] = [];
  const media = new Map<string, RemoteMedia<FakeStream>>();
  let n = 0;
  const manager = new PeerManager<FakeStream>({
    selfId,
    createPeer: (options, callbacks) => {
      const peer = new FakePeer(options, callbacks);
      if (!renegotiates) peer.setStreams = undefined;
      peers.push(peer);
      return peer;
    },
    // Like SignalClient.send: false while reconnecting, and the message is gone.
    sendSignal: (to, data) => link.online && sent.push({ to, data }) > 0,
    onRemoteMedia: (id, m) => media.set(id, m),
    newId: () => `peer-${++n}`,
    now: () => timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    retryDelay: () => 100,
  });
  return { timers, peers, sent, media, manager, link };
}

const cam: FakeStream = { id: 'cam-stream' };
const screen: FakeStream = { id: 'screen-stream' };
const room = [
  { id: 'h', role: 'host' as const },
  { id: 'a1', role: 'attendee' as const },
  { id: 'a2', role: 'attendee' as const },
];
const alive = (peers: FakePeer[]) => peers.filter((p) => !p.destroyed);

describe('PeerManager across its own reconnect', () => {
  it('re-offers a link whose offer was lost while signaling was down', () => {
    const t = setup('h');
    t.manager.setParticipants(room);
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    const first = t.peers[0]!;
    first.callbacks.connect();
    t.link.online = false;
    first.callbacks.close({ code: 'ERR_CONNECTION_FAILURE', message: 'gone' });
    t.timers.advance(100);
    const rebuilt = t.peers.at(-1)!;
    rebuilt.callbacks.signal({ type: 'offer', sdp: 'lost' });
    const sentBefore = t.sent.length;
    t.link.online = true;
    t.manager.requestMissing();
    expect(rebuilt.destroyed).toBe(true);
    const fresh = t.peers.at(-1)!;
    expect(fresh).not.toBe(rebuilt);
    fresh.callbacks.signal({ type: 'offer', sdp: 'again' });
    expect(t.sent.slice(sentBefore).map((m) => m.to)).toContain('a1');
  });

  it('leaves links whose signaling went out alone', () => {
    const t = setup('h');
    t.manager.setParticipants(room);
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.peers[0]!.callbacks.signal({ type: 'offer', sdp: 'x' });
    const count = t.peers.length;
    t.manager.requestMissing();
    expect(t.peers.length).toBe(count);
  });

  it('asks a returning publisher for a fresh peer when ours is not connected', () => {
    const t = setup('a1');
    t.manager.setParticipants(room);
    t.manager.handleSignal('h', { publisherId: 'h', payload: { peer: 'hp1', signal: { type: 'offer', sdp: 'o' } } });
    t.manager.participantRejoined('h');
    expect(t.sent.at(-1)).toEqual({ to: 'h', data: { publisherId: 'h', payload: { peer: 'hp1', restart: true } } });
  });
});

describe('PeerManager as publisher', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup('h');
    t.manager.setParticipants(room);
  });

  it('starts no peers until it has local media, then one initiator per receiver', () => {
    expect(t.peers).toHaveLength(0);
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    expect(t.peers).toHaveLength(2);
    expect(t.peers.every((p) => p.options.initiator && p.options.streams[0] === cam)).toBe(true);
  });

  it('tags outgoing signals with publisherId, peer id and stream kinds', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.peers[0]!.callbacks.signal({ type: 'offer', sdp: 'x' });
    expect(t.sent[0]).toEqual({ to: 'a1', data: { publisherId: 'h', payload: { peer: 'peer-1', signal: { type: 'offer', sdp: 'x' }, kinds: { 'cam-stream': 'camera' } } } });
  });

  it('feeds answers only to the peer they belong to', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.manager.handleSignal('a1', { publisherId: 'h', payload: { peer: 'peer-1', signal: { type: 'answer', sdp: 'y' } } });
    t.manager.handleSignal('a1', { publisherId: 'h', payload: { peer: 'stale', signal: { candidate: 'c' } } });
    expect(t.peers[0]!.received).toEqual([{ type: 'answer', sdp: 'y' }]);
  });

  it('builds a NEW peer after an ICE failure destroys one', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    const first = t.peers[0]!;
    first.callbacks.connect();
    first.callbacks.close({ code: 'ERR_ICE_CONNECTION_FAILURE', message: 'Ice connection failed.' });
    expect(t.peers).toHaveLength(2);
    t.timers.advance(100);
    expect(t.peers).toHaveLength(3);
    const replacement = t.peers[2]!;
    expect(replacement).not.toBe(first);
    expect(replacement.options.initiator).toBe(true);
    replacement.callbacks.signal({ type: 'offer', sdp: 'z' });
    expect(t.sent.at(-1)!.data.payload.peer).toBe('peer-3');
  });

  it('does not rebuild a peer for someone who left', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.manager.setParticipants(room.filter((p) => p.id !== 'a1'));
    expect(t.peers[0]!.destroyed).toBe(true);
    t.timers.advance(10_000);
    expect(alive(t.peers)).toHaveLength(1);
  });

  it('renegotiates connected peers when local media change, and sends the new kinds with their signals', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    for (const p of t.peers) p.callbacks.connect();
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }, { kind: 'screen', stream: screen }]);
    expect(t.peers).toHaveLength(2);
    expect(alive(t.peers)).toHaveLength(2);
    const both = { streams: ['cam-stream', 'screen-stream'], kinds: { 'cam-stream': 'camera', 'screen-stream': 'screen' } };
    expect(t.peers.map((p) => p.renegotiations)).toEqual([[both], [both]]);
    t.peers[0]!.callbacks.signal({ type: 'offer', sdp: 're' });
    expect(t.sent.at(-1)!.data.payload).toEqual({ peer: 'peer-1', signal: { type: 'offer', sdp: 're' }, kinds: both.kinds });
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }, { kind: 'screen', stream: screen }]);
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    expect(t.peers[1]!.renegotiations.at(-1)).toEqual({ streams: ['cam-stream'], kinds: { 'cam-stream': 'camera' } });
    expect(t.peers).toHaveLength(2);
  });

  it('rebuilds a peer that is still connecting, and every peer when a stream changes kind', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.peers[0]!.callbacks.connect();
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }, { kind: 'screen', stream: screen }]);
    expect(t.peers[0]!.destroyed).toBe(false);
    expect(t.peers[1]!.destroyed).toBe(true);
    expect(t.peers[2]!.options.streams).toEqual([cam, screen]);
    t.manager.setLocalStreams([{ kind: 'screen', stream: cam }]);
    expect(alive(t.peers).map((p) => p.options.streams)).toEqual([[cam], [cam]]);
    expect(t.peers.slice(0, 3).every((p) => p.destroyed)).toBe(true);
  });

  it('drops every sending peer when we stop publishing', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    for (const p of t.peers) p.callbacks.connect();
    t.manager.setLocalStreams([]);
    expect(alive(t.peers)).toHaveLength(0);
    expect(t.peers.every((p) => p.renegotiations.length === 0)).toBe(true);
  });

  it('rebuilds connected peers that cannot renegotiate', () => {
    const t2 = setup('h', { renegotiates: false });
    t2.manager.setParticipants(room);
    t2.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    for (const p of t2.peers) p.callbacks.connect();
    t2.manager.setLocalStreams([{ kind: 'camera', stream: cam }, { kind: 'screen', stream: screen }]);
    expect(t2.peers.slice(0, 2).every((p) => p.destroyed)).toBe(true);
    expect(alive(t2.peers).map((p) => p.options.streams)).toEqual([
      [cam, screen],
      [cam, screen],
    ]);
  });

  it('honours a restart request for the failed peer, ignores one racing a fresh offer', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.manager.handleSignal('a1', { publisherId: 'h', payload: { peer: '', restart: true } });
    expect(t.peers).toHaveLength(2); // fresh link: ignored
    t.timers.advance(FRESH_LINK_MS + 1);
    t.manager.handleSignal('a1', { publisherId: 'h', payload: { peer: 'peer-1', restart: true } });
    expect(t.peers[0]!.destroyed).toBe(true);
    expect(alive(t.peers)).toHaveLength(2);
  });

  it('keeps sending to an attendee who is promoted (they are still a receiver)', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.manager.setParticipants(room.map((p) => (p.id === 'a1' ? { ...p, role: 'panelist' as const } : p)));
    expect(alive(t.peers)).toHaveLength(2);
  });

  it('dispose destroys everything and cancels retries', () => {
    t.manager.setLocalStreams([{ kind: 'camera', stream: cam }]);
    t.peers[0]!.destroyed = true; // it died on its own
    t.peers[0]!.callbacks.close();
    t.manager.dispose();
    t.timers.advance(10_000);
    expect(alive(t.peers)).toHaveLength(0);
  });
});

describe('PeerManager as receiver', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup('a1');
    t.manager.setParticipants(room);
  });
  const offer = (peer: string, extra: object = {}) => ({ publisherId: 'h', payload: { peer, signal: { type: 'offer', sdp: 's' }, kinds: { 'cam-stream': 'camera', 'screen-stream': 'screen' }, ...extra } });

  it('answers a publisher offer with a non-initiator peer and reports media by kind', () => {
    t.manager.handleSignal('h', offer('p1'));
    expect(t.peers).toHaveLength(1);
    const peer = t.peers[0]!;
    expect(peer.options.initiator).toBe(false);
    expect(peer.received).toHaveLength(1);
    peer.callbacks.stream(cam);
    peer.callbacks.stream(screen);
    expect(t.media.get('h')).toEqual({ camera: cam, screen });
    peer.callbacks.signal({ type: 'answer', sdp: 'a' });
    expect(t.sent[0]).toEqual({ to: 'h', data: { publisherId: 'h', payload: { peer: 'p1', signal: { type: 'answer', sdp: 'a' } } } });
  });

  it('ignores offers from non-publishers and signals claiming someone else as publisher', () => {
    t.manager.handleSignal('a2', { publisherId: 'a2', payload: { peer: 'x', signal: { type: 'offer' } } });
    t.manager.handleSignal('h', { publisherId: 'a2', payload: { peer: 'x', signal: { type: 'offer' } } });
    t.manager.handleSignal('h', { publisherId: 'h', payload: { nonsense: true } });
    expect(t.peers).toHaveLength(0);
  });

  it('swaps to a replacement peer and never revives a retired one', () => {
    t.manager.handleSignal('h', offer('p1'));
    t.peers[0]!.callbacks.stream(cam);
    t.peers[0]!.callbacks.connect();
    t.manager.handleSignal('h', offer('p2'));
    expect(t.peers[0]!.destroyed).toBe(true);
    // the old media stays on screen until the new peer delivers
    expect(t.media.get('h')).toEqual({ camera: cam });
    t.manager.handleSignal('h', { publisherId: 'h', payload: { peer: 'p1', signal: { candidate: 'late' } } });
    expect(t.peers).toHaveLength(2);
    expect(t.peers[1]!.received).toHaveLength(1);
  });

  it('takes a renegotiation on the same peer: new streams filed by their new kinds, removed ones dropped', () => {
    t.manager.handleSignal('h', offer('p1', { kinds: { 'cam-stream': 'camera' } }));
    const peer = t.peers[0]!;
    peer.callbacks.connect();
    peer.callbacks.stream(cam);
    const other: FakeStream = { id: 'other-stream' };
    t.manager.handleSignal('h', offer('p1', { kinds: { 'cam-stream': 'camera', 'other-stream': 'screen' } }));
    expect(t.peers).toHaveLength(1);
    expect(peer.received).toHaveLength(2);
    peer.callbacks.stream(other);
    expect(t.media.get('h')).toEqual({ camera: cam, screen: other });
    peer.callbacks.streamRemoved(other);
    expect(t.media.get('h')).toEqual({ camera: cam });
    peer.callbacks.streamRemoved(cam);
    expect(t.media.get('h')).toEqual({});
  });

  it('asks the publisher for a new peer when its peer dies and none replaces it', () => {
    t.manager.handleSignal('h', offer('p1'));
    t.peers[0]!.callbacks.connect();
    t.peers[0]!.callbacks.close({ code: 'ERR_ICE_CONNECTION_FAILURE', message: 'failed' });
    expect(t.media.get('h')).toEqual({});
    t.timers.advance(1_000);
    expect(t.sent.at(-1)).toEqual({ to: 'h', data: { publisherId: 'h', payload: { peer: 'p1', restart: true } } });
  });

  it('drops the link and media when the publisher is demoted or leaves', () => {
    t.manager.handleSignal('h', offer('p1'));
    t.peers[0]!.callbacks.stream(cam);
    t.manager.setParticipants(room.filter((p) => p.id !== 'h'));
    expect(t.peers[0]!.destroyed).toBe(true);
    expect(t.media.get('h')).toEqual({});
  });

  it('requestMissing asks each publisher without a live link', () => {
    t.manager.requestMissing();
    expect(t.sent).toEqual([{ to: 'h', data: { publisherId: 'h', payload: { peer: '', restart: true } } }]);
  });
});
