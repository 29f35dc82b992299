import { useState, type FormEvent } from 'react';
import type { SessionState } from '../../../src-shared/session/session-state';
import { getBridge } from '../../bridge';
import { FormError } from './FormError';
import { Field } from './Field';

interface Props {
  state: SessionState;
  onDone(): void;
  onCancel(): void;
}

export function RegisterScreen({ state, onDone, onCancel }: Props) {
  const [serverUrl, setServerUrl] = useState(state.serverUrl);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < 8) {
      setError('Use at least 8 characters for the password.');
      return;
    }
    setBusy(true);
    setError(null);
    const bridge = getBridge();
    const registered = await bridge.session.register({ serverUrl, email, password, displayName });
    if (!registered.ok) {
      setBusy(false);
      setError(registered.error.message);
      return;
    }
    // Registering signs you in: nobody wants to type the password twice.
    const signedIn = await bridge.session.signIn({ serverUrl, email, password });
    setBusy(false);
    if (!signedIn.ok) setError(signedIn.error.message);
    else onDone();
  }

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-label="Create account" data-testid="register-form">
        <h1>Create account</h1>
        <Field label="Server" name="serverUrl" type="url" value={serverUrl} onValue={setServerUrl} required />
        <Field label="Name" name="displayName" value={displayName} maxLength={64} onValue={setDisplayName} required />
        <Field label="Email" name="email" type="email" autoComplete="username" value={email} onValue={setEmail} required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          value={password}
          onValue={setPassword}
          required
        />
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          I already have an account
        </button>
      </form>
    </main>
  );
}
