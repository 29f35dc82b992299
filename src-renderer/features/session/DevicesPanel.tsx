import { getBridge } from '../../bridge';
import { useBridgeQuery } from '../../use-bridge-query';
import { FormError } from './FormError';

const listDevices = () => getBridge().session.listDevices();

export function DevicesPanel({ online }: { online: boolean }) {
  const { value: devices, error, set } = useBridgeQuery(listDevices, online);

  async function revoke(id: string) {
    set(await getBridge().session.revokeDevice({ id }));
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
