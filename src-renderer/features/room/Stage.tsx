import type { Participant } from '../../../src-shared/signaling-protocol';
import type { RemoteMedia } from '../../rtc/peer-manager';
import { VideoView, type OnVideoElement } from './VideoView';

interface StageProps {
  selfId: string | null;
  stage: Participant | null;
  publishers: Participant[];
  remote: ReadonlyMap<string, RemoteMedia<MediaStream>>;
  preview: { camera: MediaStream | null; screen: MediaStream | null };
  /** Told which element shows each received video track (not our own preview). */
  onVideoElement?: OnVideoElement;
}

/** Media of one publisher: our own preview for us, the received streams for others. */
function mediaOf(id: string, { selfId, remote, preview }: Pick<StageProps, 'selfId' | 'remote' | 'preview'>): RemoteMedia<MediaStream> {
  if (id === selfId) return { camera: preview.camera ?? undefined, screen: preview.screen ?? undefined };
  return remote.get(id) ?? {};
}

/**
 * The stage: the host's camera; when someone shares a screen, the screen large with the sharer's
 * camera small. Other publishers' cameras run along the bottom.
 */
export function Stage(props: StageProps) {
  const { stage, publishers } = props;
  const sharer = publishers.find((p) => mediaOf(p.id, props).screen) ?? null;
  const main = sharer ?? stage;
  const mainMedia = main ? mediaOf(main.id, props) : {};
  const others = publishers.filter((p) => p.id !== main?.id);
  const shown = (id: string) => (id === props.selfId ? undefined : props.onVideoElement);
  return (
    <section className="stage" aria-label="Stage" data-testid="stage">
      <div className={`stage-main ${mainMedia.screen ? 'with-screen' : ''}`}>
        {main && mainMedia.screen ? (
          <>
            <VideoView stream={mainMedia.screen} testId="stage-screen" publisherId={main.id} className="screen" label={`${main.displayName}’s screen`} onElement={shown(main.id)} />
            {mainMedia.camera && <VideoView stream={mainMedia.camera} testId="stage-camera" publisherId={main.id} className="pip" label={main.displayName} onElement={shown(main.id)} />}
          </>
        ) : main && mainMedia.camera && mainMedia.camera.getVideoTracks().length > 0 ? (
          <VideoView stream={mainMedia.camera} testId="stage-camera" publisherId={main.id} className="main" label={main.displayName} onElement={shown(main.id)} />
        ) : (
          <p className="stage-empty muted" data-testid="stage-empty">
            {main ? `${main.displayName} is not sharing video yet.` : 'Waiting for the host…'}
          </p>
        )}
      </div>
      {others.length > 0 && (
        <div className="stage-strip">
          {others.map((p) => {
            const m = mediaOf(p.id, props);
            return m.camera && m.camera.getVideoTracks().length > 0 ? (
              <VideoView key={p.id} stream={m.camera} testId="publisher-camera" publisherId={p.id} className="tile" label={p.displayName} onElement={shown(p.id)} />
            ) : (
              <figure key={p.id} className="video tile placeholder" data-testid="publisher-placeholder" data-publisher-id={p.id}>
                <figcaption>{p.displayName}</figcaption>
              </figure>
            );
          })}
        </div>
      )}
    </section>
  );
}
