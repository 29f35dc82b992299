import { useEffect, useState } from 'react';
import { useSession } from './features/session/use-session';
import { SignInScreen } from './features/session/SignInScreen';
import { RegisterScreen } from './features/session/RegisterScreen';
import { HomeScreen } from './features/session/HomeScreen';
import { RoomScreen } from './features/room/RoomScreen';
import { getBridge } from './bridge';

export function App() {
  const session = useSession();
  const [screen, setScreen] = useState<'signIn' | 'register'>('signIn');
  // The webinar to show: set by Join in the lobby or by a webinar://join link from main.
  const [roomId, setRoomId] = useState<string | null>(null);

  useEffect(() => getBridge().webinars.onDeepLink(({ webinarId }) => setRoomId(webinarId)), []);

  if (!session.state) return <main className="centered" aria-busy="true">Loading…</main>;
  const { status, user } = session.state;
  // Offline and refreshing keep the signed-in identity on screen: a blip never looks like a sign-out.
  const signedIn = user !== null && (status === 'signedIn' || status === 'refreshing' || status === 'offline');
  if (signedIn && roomId) return <RoomScreen key={roomId} webinarId={roomId} onLeave={() => setRoomId(null)} />;
  if (signedIn) return <HomeScreen state={session.state} onJoin={setRoomId} />;
  if (screen === 'register') {
    return <RegisterScreen state={session.state} onDone={() => setScreen('signIn')} onCancel={() => setScreen('signIn')} />;
  }
  // A deep link opened while signed out is kept and opens once the user signs in.
  return <SignInScreen state={session.state} onRegister={() => setScreen('register')} />;
}
