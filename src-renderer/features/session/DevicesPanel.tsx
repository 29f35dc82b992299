import { useEffect, useState } from 'react';
import type { DeviceSession } from '../../../src-shared/http-api';
import { getBridge } from '../../bridge';
import { FormError } from './FormError';

export function DevicesPanel({ online }: { online: boolean }) {
  const [devices, setDevices] = useState<DeviceSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    void getBridge()
      .session.listDevices()
      .then((result) => {
        if (!live) return;
        if (result.ok) {
          setDevices(result.value);
          setError(null);
        } else setError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, [online]);

  async function revoke(id: string) {
    const result = await getBridge().session.revokeDevice({ id });
    if (result.ok) setDevices(result.value);
    else setError(result.error.message);
  }

  return (
    <section className="card wide" aria-label="Devices">
      <h2>Signed-in devices</h2>
      <FormError message={error} />
      {devices === null ? (
        <p className="muted">{online ? 'Loading…' : 'Available when connected.'}</p>
      ) : (
        <ul className="devices" data-testid="devices">
          {devices.map((d) => (
            <li key={d.id} data-testid="device-row">
              <span>
                {d.deviceName ?? 'Unnamed device'}
                {d.current && <em className="muted"> (this device)</em>}
              </span>
              <span className="muted">last used {new Date(d.lastUsedAt).toLocaleString()}</span>
              {!d.current && (
                <button type="button" onClick={() => void revoke(d.id)}>
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
