import type { InputHTMLAttributes } from 'react';

type Props = { label: string; onValue(value: string): void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'>;

/** A labelled text input: the label wraps the input, so clicking it focuses the field. */
export function Field({ label, onValue, ...input }: Props) {
  return (
    <label>
      {label}
      <input {...input} onChange={(e) => onValue(e.target.value)} />
    </label>
  );
}
