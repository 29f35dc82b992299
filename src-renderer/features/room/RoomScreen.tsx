export interface RoomScreenProps {
  webinarId: string;
  onLeave: () => void;
}

export function RoomScreen({ webinarId, onLeave }: RoomScreenProps) {
  return (
    <main className="room" data-testid="room" data-webinar-id={webinarId}>
      <button type="button" onClick={onLeave}>
        Leave
      </button>
    </main>
  );
}
