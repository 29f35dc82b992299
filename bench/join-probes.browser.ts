/**
 * In-page probes for bench/join.bench.ts, bundled by esbuild into an init script (window.__bench).
 * Times are taken in the page (performance.now / requestVideoFrameCallback), so Playwright's own
 * round trips are not counted.
 */
import type SimplePeerType from 'simple-peer';

type SimplePeerCtor = typeof SimplePeerType;

declare global {
  interface Window {
    SimplePeer?: SimplePeerCtor;
    __bench: typeof bench;
    /** Playwright bindings (floor only). */
    __floorSend?: (data: string) => Promise<void>;
    __floorRequest?: () => Promise<void>;
  }
}

const epochNow = () => performance.timeOrigin + performance.now();

/** ms from t0 (performance.now) to the first decoded frame of the first <video> matching selector. */
function firstFrame(selector: string, t0: number, timeoutMs = 20_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no decoded frame in ${selector} after ${timeoutMs} ms`)), timeoutMs);
    const attach = (video: HTMLVideoElement) =>
      video.requestVideoFrameCallback((now) => {
        clearTimeout(deadline);
        resolve(now - t0);
      });
    const found = document.querySelector<HTMLVideoElement>(selector);
    if (found) return attach(found);
    const observer = new MutationObserver(() => {
      const video = document.querySelector<HTMLVideoElement>(selector);
      if (video) {
        observer.disconnect();
        attach(video);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

const arrivals = new Map<string, { arrivedAt: number; shownAt: number }>();
let chatObserver: MutationObserver | null = null;

let floorStream: MediaStream | null = null;
let floorPeer: InstanceType<SimplePeerCtor> | null = null;
let floorResult: Promise<number> | null = null;

const bench = {
  /** Clicks the lobby's Join (the ID is already typed) and waits for the host's first decoded frame. */
  clickJoinAndWaitForFrame(hostId: string): Promise<number> {
    const button = document.querySelector<HTMLButtonElement>('[data-testid="join-form"] button[type="submit"]');
    if (!button) throw new Error('no join button');
    const t0 = performance.now();
    button.click();
    return firstFrame(`video[data-testid="stage-camera"][data-publisher-id="${hostId}"]`, t0);
  },

  /** Records when each chat message text first appears. */
  watchChat(): void {
    if (chatObserver) return;
    const scan = () => {
      for (const el of document.querySelectorAll('[data-testid="chat-message"] .text')) {
        const text = el.textContent ?? '';
        if (arrivals.has(text)) continue;
        // The room stamps when a message reached the client and when it was released to the panel
        // (held until the media shows its moment); fall back to now for the shown time.
        const item = el.closest<HTMLElement>('[data-testid="chat-message"]');
        const shownAt = epochNow();
        const arrivedAt = Number(item?.dataset.arrivedAt ?? shownAt);
        arrivals.set(text, { arrivedAt, shownAt });
      }
    };
    chatObserver = new MutationObserver(scan);
    chatObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
    scan();
  },
  arrivalOf(text: string): { arrivedAt: number; shownAt: number } | null {
    return arrivals.get(text) ?? null;
  },
  /** Clicks Send in the chat form (the text is already typed); returns the epoch time of the click. */
  clickSend(): number {
    const button = document.querySelector<HTMLButtonElement>('[data-testid="chat-form"] button[type="submit"]');
    if (!button) throw new Error('no chat send button');
    const t = epochNow();
    button.click();
    return t;
  },

  // ---- the floor: two bare pages, simple-peer, same fake media, signaled through Playwright ----

  async floorPublisherReady(): Promise<void> {
    floorStream ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  },
  /** Publisher: a receiver asked to join; start an initiator peer with our stream. */
  floorConnect(): void {
    floorPeer?.destroy();
    const peer = new window.SimplePeer!({ initiator: true, trickle: true, streams: [floorStream!], config: { iceServers: [] } });
    peer.on('signal', (data) => void window.__floorSend!(JSON.stringify(data)));
    peer.on('error', () => {});
    floorPeer = peer;
  },
  floorSignal(data: string): void {
    floorPeer?.signal(JSON.parse(data));
  },
  /** Receiver: "join" (ask the publisher), answer, time the first decoded frame. */
  floorJoin(): Promise<number> {
    floorPeer?.destroy();
    document.querySelector('video')?.remove();
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.body.appendChild(video);
    const peer = new window.SimplePeer!({ initiator: false, trickle: true, config: { iceServers: [] } });
    peer.on('signal', (data) => void window.__floorSend!(JSON.stringify(data)));
    peer.on('error', () => {});
    floorPeer = peer;
    const t0 = performance.now();
    floorResult = new Promise<number>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('floor: no frame')), 20_000);
      peer.on('stream', (stream: MediaStream) => {
        video.srcObject = stream;
        void video.play().catch(() => {});
        video.requestVideoFrameCallback((now) => {
          clearTimeout(deadline);
          resolve(now - t0);
        });
      });
    });
    void window.__floorRequest!();
    return floorResult;
  },
};

window.__bench = bench;
