import { useEffect, useRef } from 'react';

/** Told which element shows a video track (null: no longer), so the synchronizer measures what is seen. */
export type OnVideoElement = (track: MediaStreamTrack, element: HTMLVideoElement | null) => void;

/** A <video> bound to a MediaStream (srcObject cannot be set from JSX). Always muted: audio plays via RemoteAudio. */
export function VideoView({ stream, className, testId, publisherId, label, onElement }: { stream: MediaStream; className?: string; testId: string; publisherId: string; label?: string; onElement?: OnVideoElement }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    void el.play().catch(() => {});
  }, [stream]);
  useEffect(() => {
    const el = ref.current;
    const track = stream.getVideoTracks()[0];
    if (!el || !track || !onElement) return;
    onElement(track, el);
    return () => onElement(track, null);
  }, [stream, onElement]);
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
