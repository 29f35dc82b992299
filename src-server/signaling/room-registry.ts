/** Live rooms by webinar id. A room is created on first join and forgotten once empty or ended. */
import { Room, type RoomDeps } from './room';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly deps: Omit<RoomDeps, 'onEmpty'>) {}

  /** The room for a webinar, held open (acquired) until the caller joins or releases it. */
  acquire(webinarId: string): Room {
    let room = this.rooms.get(webinarId);
    if (!room || room.disposed) {
      room = new Room(webinarId, {
        ...this.deps,
        onEmpty: (r) => {
          if (this.rooms.get(r.webinarId) === r) this.rooms.delete(r.webinarId);
        },
      });
      this.rooms.set(webinarId, room);
    }
    room.acquire();
    return room;
  }

  list(): Room[] {
    return [...this.rooms.values()];
  }
}
