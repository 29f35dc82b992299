import { useState, type FormEvent } from 'react';
import type { SessionState } from '../../../src-shared/session/session-state';
import { getBridge } from '../../bridge';
import { FormError } from './FormError';
import { Field } from './Field';

interface Props {
  state: SessionState;
  onRegister(): void;
}

export function SignInScreen({ state, onRegister }: Props) {
  const [serverUrl, setServerUrl] = useState(state.serverUrl);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A problem from main (keychain missing, session expired) is shown until the user acts.
  const shown = error ?? state.problem?.message ?? null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await getBridge().session.signIn({ serverUrl, email, password });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
    else if (result.value.status !== 'signedIn') setError(result.value.problem?.message ?? 'Sign-in did not complete');
    setPassword('');
  }

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-label="Sign in" data-testid="sign-in-form">
        <h1>Sign in</h1>
        <Field label="Server" name="serverUrl" type="url" value={serverUrl} onValue={setServerUrl} required />
        <Field label="Email" name="email" type="email" autoComplete="username" value={email} onValue={setEmail} required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onValue={setPassword} required />
        <FormError message={shown} />
        <button type="submit" disabled={busy || state.status === 'signingIn'}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className="link" onClick={onRegister}>
          Create an account
        </button>
      </form>
    </main>
  );
}
