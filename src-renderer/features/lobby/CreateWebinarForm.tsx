import { useState, type FormEvent } from 'react';
import { getBridge } from '../../bridge';
import { FormError } from '../session/FormError';

export function CreateWebinarForm({ onCreated }: { onCreated(id: string): void }) {
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    // datetime-local has no zone: it is the user's local time, sent as an absolute instant.
    const request = startsAt ? { title, startsAt: new Date(startsAt).toISOString() } : { title };
    const result = await getBridge().webinars.create(request);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setTitle('');
    setStartsAt('');
    onCreated(result.value.id);
  }

  return (
    <form className="card" onSubmit={submit} aria-label="Create webinar" data-testid="create-webinar-form">
      <h2>Create a webinar</h2>
      <label>
        Title
        <input name="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label>
        Starts at (optional)
        <input name="startsAt" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
      </label>
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        Create
      </button>
    </form>
  );
}
