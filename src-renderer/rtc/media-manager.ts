/**
 * Local media: microphone and camera through getUserMedia (device choice from enumerateDevices),
 * and screen share. In Electron, screen share goes: screenShare.listSources() → our own picker →
 * screenShare.select({sourceId}) → navigator.mediaDevices.getDisplayMedia(), which main answers
 * with exactly the picked source (session.setDisplayMediaRequestHandler).
 *
 * Publishes a list of LocalStreams for the PeerManager: a 'camera' stream (mic + camera tracks)
 * and a 'screen' stream. A new MediaStream object is made whenever the set of tracks changes, so
 * the peers renegotiate; muting the mic only toggles `track.enabled` (no renegotiation).
 */
import { Emitter } from './emitter';
import type { LocalStream } from './peer-manager';

export interface MediaDeviceChoice {
  deviceId: string;
  label: string;
}

export interface LocalMediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  micDeviceId: string | null;
  cameraDeviceId: string | null;
}

export interface MediaManagerEvents extends Record<string, unknown> {
  /** Streams to publish changed (new stream objects). */
  streams: LocalStream<MediaStream>[];
  state: LocalMediaState;
  /** Camera preview (may be null). */
  preview: { camera: MediaStream | null; screen: MediaStream | null };
}

export class MediaManager {
  private readonly events = new Emitter<MediaManagerEvents>();
  private mic: MediaStreamTrack | null = null;
  private camera: MediaStreamTrack | null = null;
  private screen: MediaStreamTrack | null = null;
  private micEnabled = false;
  private micDeviceId: string | null = null;
  private cameraDeviceId: string | null = null;
  private cameraStream: MediaStream | null = null;
  private screenStream: MediaStream | null = null;
  private disposed = false;

  constructor(private readonly media: MediaDevices = navigator.mediaDevices) {}

  on<K extends keyof MediaManagerEvents>(event: K, listener: (payload: MediaManagerEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get state(): LocalMediaState {
    return {
      audio: !!this.mic && this.micEnabled,
      video: !!this.camera,
      screen: !!this.screen,
      micDeviceId: this.micDeviceId,
      cameraDeviceId: this.cameraDeviceId,
    };
  }

  get streams(): LocalStream<MediaStream>[] {
    const out: LocalStream<MediaStream>[] = [];
    if (this.cameraStream) out.push({ kind: 'camera', stream: this.cameraStream });
    if (this.screenStream) out.push({ kind: 'screen', stream: this.screenStream });
    return out;
  }

  async listDevices(): Promise<{ mics: MediaDeviceChoice[]; cameras: MediaDeviceChoice[] }> {
    const devices = await this.media.enumerateDevices();
    const pick = (kind: MediaDeviceKind, fallback: string) =>
      devices.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
    return { mics: pick('audioinput', 'Microphone'), cameras: pick('videoinput', 'Camera') };
  }

  async setMic(on: boolean, deviceId: string | null = this.micDeviceId): Promise<void> {
    if (!on) {
      this.micEnabled = false;
      if (this.mic) this.mic.enabled = false;
      this.emitState();
      return;
    }
    if (!this.mic || deviceId !== this.micDeviceId) {
      const stream = await this.media.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
      if (this.disposed) return stopAll(stream);
      this.mic?.stop();
      this.mic = stream.getAudioTracks()[0] ?? null;
      this.micDeviceId = deviceId ?? this.mic?.getSettings().deviceId ?? null;
      this.micEnabled = true;
      this.rebuildCameraStream();
    } else {
      this.micEnabled = true;
      this.mic.enabled = true;
    }
    this.emitState();
  }

  async setCamera(on: boolean, deviceId: string | null = this.cameraDeviceId): Promise<void> {
    if (!on) {
      if (!this.camera) return;
      this.camera.stop();
      this.camera = null;
      this.rebuildCameraStream();
      this.emitState();
      return;
    }
    if (this.camera && deviceId === this.cameraDeviceId) return;
    const stream = await this.media.getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId }, width: 640, height: 360 } : { width: 640, height: 360 } });
    if (this.disposed) return stopAll(stream);
    this.camera?.stop();
    this.camera = stream.getVideoTracks()[0] ?? null;
    this.cameraDeviceId = deviceId ?? this.camera?.getSettings().deviceId ?? null;
    this.rebuildCameraStream();
    this.emitState();
  }

  /** Mic and camera together (one permission prompt). */
  async goLive(): Promise<void> {
    if (this.mic || this.camera) {
      await this.setMic(true);
      await this.setCamera(true);
      return;
    }
    const stream = await this.media.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    if (this.disposed) return stopAll(stream);
    this.mic = stream.getAudioTracks()[0] ?? null;
    this.camera = stream.getVideoTracks()[0] ?? null;
    this.micEnabled = !!this.mic;
    this.micDeviceId = this.mic?.getSettings().deviceId ?? null;
    this.cameraDeviceId = this.camera?.getSettings().deviceId ?? null;
    this.rebuildCameraStream();
    this.emitState();
  }

  /**
   * Starts sharing. `sourceId` comes from our picker (Electron: screenShare.select() was called
   * with it before this, so main hands getDisplayMedia exactly that source).
   */
  async startScreen(): Promise<void> {
    const stream = await this.media.getDisplayMedia({ video: true, audio: false });
    if (this.disposed) return stopAll(stream);
    this.screen?.stop();
    this.screen = stream.getVideoTracks()[0] ?? null;
    if (this.screen) this.screen.addEventListener('ended', () => this.stopScreen(), { once: true });
    this.screenStream = this.screen ? new MediaStream([this.screen]) : null;
    this.emitStreams();
    this.emitState();
  }

  stopScreen(): void {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    this.screenStream = null;
    this.emitStreams();
    this.emitState();
  }

  /** Stops everything we publish (e.g. on demotion). */
  stopAll(): void {
    this.mic?.stop();
    this.camera?.stop();
    this.mic = this.camera = null;
    this.micEnabled = false;
    this.stopScreen();
    this.rebuildCameraStream();
    this.emitState();
  }

  dispose(): void {
    this.stopAll();
    this.disposed = true;
    this.events.clear();
  }

  private rebuildCameraStream(): void {
    const tracks = [this.mic, this.camera].filter((t): t is MediaStreamTrack => !!t);
    this.cameraStream = tracks.length ? new MediaStream(tracks) : null;
    this.emitStreams();
  }

  private emitStreams(): void {
    this.events.emit('streams', this.streams);
    this.events.emit('preview', { camera: this.camera ? this.cameraStream : null, screen: this.screenStream });
  }

  private emitState(): void {
    this.events.emit('state', this.state);
  }
}

function stopAll(stream: MediaStream): void {
  for (const t of stream.getTracks()) t.stop();
}
