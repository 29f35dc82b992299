import { useState } from 'react';
import { useSession } from './features/session/use-session';
import { SignInScreen } from './features/session/SignInScreen';
import { RegisterScreen } from './features/session/RegisterScreen';
import { HomeScreen } from './features/session/HomeScreen';

export function App() {
  const session = useSession();
  const [screen, setScreen] = useState<'signIn' | 'register'>('signIn');

  if (!session.state) return <main className="centered" aria-busy="true">Loading…</main>;
  const { status } = session.state;
  // Offline and refreshing keep the signed-in identity on screen: a blip never looks like a sign-out.
  if (session.state.user && (status === 'signedIn' || status === 'refreshing' || status === 'offline')) {
    return <HomeScreen state={session.state} />;
  }
  if (screen === 'register') {
    return <RegisterScreen state={session.state} onDone={() => setScreen('signIn')} onCancel={() => setScreen('signIn')} />;
  }
  return <SignInScreen state={session.state} onRegister={() => setScreen('register')} />;
}
