import { useEffect, useState } from 'react';
import type { SessionState } from '../../../src-shared/session/session-state';
import { getBridge } from '../../bridge';

export function useSession(): { state: SessionState | null } {
  const [state, setState] = useState<SessionState | null>(null);
  useEffect(() => {
    const bridge = getBridge();
    let live = true;
    // Subscribe first so a change between the two calls is not lost.
    const unsubscribe = bridge.session.onChange((next) => live && setState(next));
    void bridge.session.getState().then((result) => {
      if (live && result.ok) setState((current) => current ?? result.value);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return { state };
}
