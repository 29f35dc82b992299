import { useEffect, useState } from 'react';
import type { IpcResult } from '../src-shared/ipc-contract';

/**
 * Loads a value through the bridge while `enabled` (and again when `reloadKey` changes), keeping
 * the last value on screen when a reload fails. `load` must be stable (define it at module level).
 * `set` lets the caller apply the answer of a mutation that returns the new value.
 */
export function useBridgeQuery<T>(load: () => Promise<IpcResult<T>>, enabled: boolean, reloadKey: unknown = 0) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void load().then((result) => {
      if (!live) return;
      if (result.ok) {
        setValue(result.value);
        setError(null);
      } else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [load, enabled, reloadKey]);

  const set = (result: IpcResult<T>) => {
    if (result.ok) {
      setValue(result.value);
      setError(null);
    } else setError(result.error.message);
  };
  return { value, error, set };
}
