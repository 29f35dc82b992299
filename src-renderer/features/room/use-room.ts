import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { RoomController, type RoomSnapshot } from './room-controller';

/** One RoomController per room; its session runs while mounted (StrictMode's remount restarts it). */
export function useRoom(webinarId: string): { controller: RoomController; snapshot: RoomSnapshot } {
  const controller = useMemo(() => new RoomController(webinarId), [webinarId]);
  useEffect(() => {
    controller.start();
    return () => controller.stop();
  }, [controller]);
  const snapshot = useSyncExternalStore(controller.subscribe, () => controller.snapshot);
  return { controller, snapshot };
}
