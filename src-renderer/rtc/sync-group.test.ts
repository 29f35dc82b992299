import { describe, expect, it } from 'vitest';
import { StreamRejoiner, unsyncAudio, unsyncedBase } from './sync-group';

// A trimmed Chromium 156 offer: camera stream (audio + video) and a screen stream (video only).
const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=sendonly',
  'a=msid:cam-stream audio-track',
  'a=ssrc:1001 msid:cam-stream audio-track',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=msid:cam-stream video-track',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=msid:screen-stream screen-track',
  '',
].join('\r\n');

describe('unsyncAudio', () => {
  it('moves audio that shares a stream with video to its own stream id, and nothing else', () => {
    const out = unsyncAudio(OFFER);
    expect(out).toContain('a=msid:cam-stream~a audio-track\r\n');
    expect(out).toContain('a=ssrc:1001 msid:cam-stream~a audio-track\r\n');
    expect(out).toContain('a=msid:cam-stream video-track\r\n');
    expect(out).toContain('a=msid:screen-stream screen-track\r\n');
    expect(out.split('\r\n')).toHaveLength(OFFER.split('\r\n').length);
  });

  it('leaves audio alone when no video shares its stream (microphone only), and is idempotent', () => {
    const micOnly = OFFER.replace('a=msid:cam-stream video-track', 'a=msid:other video-track');
    expect(unsyncAudio(micOnly)).toBe(micOnly);
    expect(unsyncAudio(unsyncAudio(OFFER))).toBe(unsyncAudio(OFFER));
    expect(unsyncAudio(OFFER.replaceAll('\r\n', '\n'))).toContain('a=msid:cam-stream~a audio-track\n');
  });

  it('names the base of an unsynced id', () => {
    expect(unsyncedBase('cam-stream~a')).toBe('cam-stream');
    expect(unsyncedBase('cam-stream')).toBeNull();
  });
});

describe('StreamRejoiner', () => {
  const stream = (id: string, tracks: string[]) => ({
    id,
    tracks: [...tracks],
    getTracks() {
      return this.tracks;
    },
    addTrack(t: string) {
      this.tracks.push(t);
    },
    removeTrack(t: string) {
      this.tracks = this.tracks.filter((x) => x !== t);
    },
  });
  // What the browser does on 'removetrack': the track is already out of the stream when we hear of it.
  const browserRemoves = (r: StreamRejoiner<ReturnType<typeof stream>, string>, s: ReturnType<typeof stream>, t: string) => {
    s.removeTrack(t);
    r.removed(s, t);
  };

  it('holds the unsynced audio until its camera stream arrives, then emits one stream with both', () => {
    const emitted: { id: string; tracks: string[] }[] = [];
    const r = new StreamRejoiner<ReturnType<typeof stream>, string>((s) => emitted.push({ id: s.id, tracks: [...s.getTracks()] }));
    r.push(stream('cam~a', ['audio']));
    expect(emitted).toEqual([]);
    r.push(stream('cam', ['video']));
    r.push(stream('screen', ['screen-video']));
    expect(emitted).toEqual([
      { id: 'cam', tracks: ['video', 'audio'] },
      { id: 'screen', tracks: ['screen-video'] },
    ]);
  });

  it('merges audio that arrives after its camera stream into it and re-emits it', () => {
    const emitted: { id: string; tracks: string[] }[] = [];
    const r = new StreamRejoiner<ReturnType<typeof stream>, string>((s) => emitted.push({ id: s.id, tracks: [...s.getTracks()] }));
    r.push(stream('cam', ['video']));
    r.push(stream('cam~a', ['audio']));
    expect(emitted).toEqual([
      { id: 'cam', tracks: ['video'] },
      { id: 'cam', tracks: ['video', 'audio'] },
    ]);
  });

  it('reports a stream gone once its own tracks and its merged audio have left', () => {
    const gone: string[] = [];
    const r = new StreamRejoiner<ReturnType<typeof stream>, string>(() => {}, (s) => gone.push(s.id));
    const cam = stream('cam', ['video']);
    const camAudio = stream('cam~a', ['audio']);
    const screen = stream('screen', ['screen-video']);
    r.push(cam);
    r.push(camAudio);
    r.push(screen);
    browserRemoves(r, screen, 'screen-video');
    expect(gone).toEqual(['screen']);
    browserRemoves(r, cam, 'video');
    expect(gone).toEqual(['screen']); // the merged audio still plays
    browserRemoves(r, camAudio, 'audio');
    expect(cam.getTracks()).toEqual([]);
    expect(gone).toEqual(['screen', 'cam']);
    browserRemoves(r, screen, 'screen-video');
    expect(gone).toEqual(['screen', 'cam']); // reported once
  });

  it('drops held audio that left before its camera stream came, and keeps a stream that still has tracks', () => {
    const gone: string[] = [];
    const emitted: { id: string; tracks: string[] }[] = [];
    const r = new StreamRejoiner<ReturnType<typeof stream>, string>((s) => emitted.push({ id: s.id, tracks: [...s.getTracks()] }), (s) => gone.push(s.id));
    const camAudio = stream('cam~a', ['audio']);
    r.push(camAudio);
    browserRemoves(r, camAudio, 'audio');
    r.push(stream('cam', ['video']));
    expect(emitted).toEqual([{ id: 'cam', tracks: ['video'] }]);
    const both = stream('both', ['a', 'b']);
    r.push(both);
    browserRemoves(r, both, 'a');
    expect(gone).toEqual([]);
  });
});
