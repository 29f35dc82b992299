import { useEffect, useState } from 'react';
import type { Participant } from '../../../src-shared/signaling-protocol';
import { can } from '../../../src-shared/webinar/permissions';
import { getBridge } from '../../bridge';
import type { MediaDeviceChoice } from '../../rtc/media-manager';
import type { RoomController, RoomSnapshot } from './room-controller';
import { ScreenPicker } from './ScreenPicker';

export function Controls({ controller, snapshot, self, onLeave }: { controller: RoomController; snapshot: RoomSnapshot; self: Participant | null; onLeave(): void }) {
  const [picking, setPicking] = useState(false);
  const [devices, setDevices] = useState<{ mics: MediaDeviceChoice[]; cameras: MediaDeviceChoice[] }>({ mics: [], cameras: [] });
  const attendeeChat = snapshot.room.webinar?.attendeeChat ?? false;
  const role = self?.role ?? 'attendee';
  const publish = can(role, 'publish', { attendeeChat });
  const isHost = can(role, 'controlWebinar', { attendeeChat });
  const live = snapshot.connection.status === 'live';
  const { local } = snapshot;
  const media = controller.media;

  useEffect(() => {
    if (!publish) return;
    void media.listDevices().then(setDevices, () => {});
  }, [publish, local.audio, local.video, media]);

  return (
    <section className="controls" aria-label="Controls" data-testid="controls">
      {publish && (
        <>
          {!local.audio && !local.video ? (
            <button type="button" data-testid="go-live" disabled={!live} onClick={() => void controller.run('Camera and microphone', () => media.goLive())}>
              Go live (mic + camera)
            </button>
          ) : null}
          <button type="button" data-testid="toggle-mic" aria-pressed={local.audio} disabled={!live} onClick={() => void controller.run('Microphone', () => media.setMic(!local.audio))}>
            {local.audio ? 'Mute mic' : 'Unmute mic'}
          </button>
          <button type="button" data-testid="toggle-camera" aria-pressed={local.video} disabled={!live} onClick={() => void controller.run('Camera', () => media.setCamera(!local.video))}>
            {local.video ? 'Stop camera' : 'Start camera'}
          </button>
          <button
            type="button"
            data-testid="toggle-screen"
            aria-pressed={local.screen}
            disabled={!live}
            onClick={() => (local.screen ? media.stopScreen() : setPicking(true))}
          >
            {local.screen ? 'Stop sharing' : 'Share screen'}
          </button>
          <DeviceSelect
            label="Microphone"
            testId="mic-select"
            value={local.micDeviceId}
            devices={devices.mics}
            onPick={(id) => void controller.run('Microphone', () => media.setMic(true, id))}
          />
          <DeviceSelect
            label="Camera"
            testId="camera-select"
            value={local.cameraDeviceId}
            devices={devices.cameras}
            onPick={(id) => void controller.run('Camera', () => media.setCamera(true, id))}
          />
        </>
      )}
      {can(role, 'hand', { attendeeChat }) && (
        <button
          type="button"
          data-testid="toggle-hand"
          aria-pressed={self?.handRaised ?? false}
          disabled={!live}
          onClick={() => controller.send({ type: self?.handRaised ? 'hand.lower' : 'hand.raise' })}
        >
          {self?.handRaised ? 'Lower hand' : 'Raise hand'}
        </button>
      )}
      <span className="spacer" />
      {isHost && snapshot.connection.status !== 'ended' && (
        <button
          type="button"
          className="danger"
          data-testid="end-webinar"
          disabled={!live}
          onClick={() => {
            if (window.confirm('End the webinar for everyone?')) controller.send({ type: 'webinar.end' });
          }}
        >
          End webinar
        </button>
      )}
      <button type="button" className="secondary" data-testid="leave" onClick={onLeave}>
        Leave
      </button>
      {picking && (
        <ScreenPicker
          onCancel={() => setPicking(false)}
          onPick={(sourceId) => {
            setPicking(false);
            void controller.run('Screen share', async () => {
              const selected = await getBridge().screenShare.select({ sourceId });
              if (!selected.ok) throw new Error(selected.error.message);
              await media.startScreen();
            });
          }}
        />
      )}
    </section>
  );
}

/** A device chooser; the empty value means the system default. */
function DeviceSelect(props: { label: string; testId: string; value: string | null; devices: MediaDeviceChoice[]; onPick(id: string | null): void }) {
  return (
    <label className="device">
      {props.label}
      <select data-testid={props.testId} value={props.value ?? ''} onChange={(e) => props.onPick(e.target.value || null)}>
        <option value="">Default</option>
        {props.devices.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
}
