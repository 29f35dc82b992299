import { useEffect, useRef } from 'react';

/** A <video> bound to a MediaStream (srcObject cannot be set from JSX). Always muted: audio plays via RemoteAudio. */
export function VideoView({ stream, className, testId, publisherId, label }: { stream: MediaStream; className?: string; testId: string; publisherId: string; label?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    void el.play().catch(() => {});
  }, [stream]);
  return (
    <figure className={`video ${className ?? ''}`}>
      <video ref={ref} autoPlay playsInline muted data-testid={testId} data-publisher-id={publisherId} />
      {label && <figcaption>{label}</figcaption>}
    </figure>
  );
}

/** Plays a remote stream's audio. If autoplay is refused, offers a button. */
export function RemoteAudio({ stream, publisherId, onBlocked }: { stream: MediaStream; publisherId: string; onBlocked(): void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    void el.play().catch(() => onBlocked());
  }, [stream, onBlocked]);
  return <audio ref={ref} autoPlay data-testid="remote-audio" data-publisher-id={publisherId} />;
}
