import { useState, type FormEvent } from 'react';
import { parseJoinLink } from '../../../src-shared/deep-link';
import { FormError } from '../session/FormError';

export function JoinByLinkForm({ onJoin }: { onJoin(id: string): void }) {
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const id = parseJoinLink(link);
    if (!id) return setError('Paste a webinar link (webinar://join/…) or its ID.');
    setError(null);
    onJoin(id);
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Join webinar" data-testid="join-form">
      <h2>Join by link or ID</h2>
      <label>
        Link or ID
        <input name="link" value={link} onChange={(e) => setLink(e.target.value)} placeholder="webinar://join/…" required />
      </label>
      <FormError message={error} />
      <button type="submit">Join</button>
    </form>
  );
}
