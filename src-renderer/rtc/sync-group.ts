/**
 * Takes a publisher's camera audio out of libwebrtc's lip-sync group, so that our synchronizer is
 * the only thing moving playout delays.
 *
 * Why: libwebrtc lip-syncs an audio and a video receive stream that share a MediaStream id (the
 * msid "sync group", RtpStreamsSynchronizer in video/rtp_streams_synchronizer2.cc). It raises one
 * side's minimum playout delay by up to 80 ms per second until its own estimate of the two delays
 * agrees. That estimate ends where frames leave its buffers (no render queue, no vsync, no audio
 * sink, nothing done to frames in an encoded transform), so it disagrees with the presentation
 * delays our synchronizer measures, and the two controllers fight: measured in Chromium 156, a
 * camera target of 126 ms gave 182 ms of delay and audio ignored targets 129→139 ms because
 * libwebrtc's own minimum for it was higher. Our synchronizer aligns every stream, this pair
 * included, on measured presentation (src-renderer/sync/aligner.ts), so libwebrtc's pass is
 * redundant where it is right and harmful where it is not.
 *
 * How: the receiver rewrites the incoming description so that an audio track sharing a stream id
 * with a video track gets its own stream id (`<id>~a`); libwebrtc then sees no sync group. The
 * receiver's link puts the audio track back into the video's MediaStream (`StreamRejoiner`), so the
 * rest of the app still sees one camera stream with both tracks.
 *
 * Pure string and bookkeeping logic: no RTCPeerConnection here.
 */

/** Suffix of the stream id an unsynced audio track is given. `~` is an SDP token char (RFC 4566). */
export const UNSYNCED_SUFFIX = '~a';

/** The base stream id of an unsynced audio stream id, or null for any other id. */
export function unsyncedBase(streamId: string): string | null {
  return streamId.endsWith(UNSYNCED_SUFFIX) ? streamId.slice(0, -UNSYNCED_SUFFIX.length) : null;
}

const MSID = /^a=msid:(\S+)(?: (\S+))?$/;

/**
 * The description with every audio m-section whose stream id is also a video m-section's stream id
 * moved to `<id>~a` (in `a=msid` and in legacy `a=ssrc:… msid:` lines). Anything else is unchanged.
 */
export function unsyncAudio(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(new RegExp(`${eol}(?=m=)`));
  const kindOf = (section: string) => /^m=(\w+)/.exec(section)?.[1] ?? null;
  const streamIds = (section: string) =>
    section
      .split(eol)
      .map((line) => MSID.exec(line)?.[1])
      .filter((id): id is string => !!id && id !== '-');
  const videoStreams = new Set(sections.filter((s) => kindOf(s) === 'video').flatMap(streamIds));
  return sections
    .map((section) => {
      if (kindOf(section) !== 'audio') return section;
      const ids = streamIds(section).filter((id) => videoStreams.has(id) && unsyncedBase(id) === null);
      if (ids.length === 0) return section;
      return section
        .split(eol)
        .map((line) => {
          for (const id of ids) {
            if (line.startsWith(`a=msid:${id}`)) return line.replace(`a=msid:${id}`, `a=msid:${id}${UNSYNCED_SUFFIX}`);
            if (/^a=ssrc:\d+ msid:/.test(line)) return line.replace(` msid:${id} `, ` msid:${id}${UNSYNCED_SUFFIX} `);
          }
          return line;
        })
        .join(eol);
    })
    .join(eol);
}

/** The minimal MediaStream surface the rejoiner needs (tests pass plain objects). */
export interface RejoinableStream<T> {
  readonly id: string;
  getTracks(): T[];
  addTrack(track: T): void;
  removeTrack(track: T): void;
}

/**
 * Puts unsynced audio back where it came from: remote 'stream' events go in, the app's streams come
 * out. An `<id>~a` stream is held until stream `<id>` arrives (or merged into it if it already has),
 * so consumers only ever see `<id>`, with the audio track in it; and when the publisher stops
 * sending a stream (renegotiation), reports it gone once its last track, merged audio included, left.
 */
export class StreamRejoiner<S extends RejoinableStream<T>, T = ReturnType<S['getTracks']>[number]> {
  private readonly held = new Map<string, S>();
  private readonly seen = new Map<string, S>();

  constructor(
    private readonly emit: (stream: S) => void,
    private readonly emitRemoved: (stream: S) => void = () => {},
  ) {}

  push(stream: S): void {
    const base = unsyncedBase(stream.id);
    if (base === null) {
      const held = this.held.get(stream.id);
      if (held) {
        this.held.delete(stream.id);
        this.merge(held, stream);
      }
      this.seen.set(stream.id, stream);
      this.emit(stream);
      return;
    }
    const into = this.seen.get(base);
    if (!into) {
      this.held.set(base, stream);
      return;
    }
    this.merge(stream, into);
    this.emit(into);
  }

  /**
   * A remote track left `stream` (its 'removetrack' event: the publisher stopped sending it). An
   * unsynced audio track also leaves the camera stream it was merged into. A stream the app saw that
   * is left with no tracks is reported gone.
   */
  removed(stream: S, track: T): void {
    const base = unsyncedBase(stream.id);
    if (base === null) {
      this.dropIfEmpty(stream.id);
      return;
    }
    if (this.held.get(base) === stream && stream.getTracks().length === 0) this.held.delete(base);
    const into = this.seen.get(base);
    if (!into) return;
    if (into.getTracks().includes(track)) into.removeTrack(track);
    this.dropIfEmpty(base);
  }

  private dropIfEmpty(id: string): void {
    const stream = this.seen.get(id);
    if (!stream || stream.getTracks().length > 0) return;
    this.seen.delete(id);
    this.emitRemoved(stream);
  }

  private merge(from: S, into: S): void {
    const have = new Set(into.getTracks());
    for (const t of from.getTracks()) if (!have.has(t)) into.addTrack(t);
  }
}
