import { useEffect, useRef, useState } from 'react';
import { CHAT_MAX, type ClientMessage } from '../../../src-shared/signaling-protocol';
import type { ChatEntry } from './room-state';

/**
 * Chat in media order. Each message carries, for the issue 4 measurements, `data-shown-at` (when it
 * was released to this panel, performance.timeOrigin + performance.now() ms) and `data-media-time`
 * (its session-clock media moment), when known.
 */
export function ChatPanel({ chat, mayChat, isHost, attendeeChat, send }: { chat: ChatEntry[]; mayChat: boolean; isHost: boolean; attendeeChat: boolean; send(m: ClientMessage): boolean }) {
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [chat]);
  return (
    <section className="panel chat" aria-label="Chat">
      <h3>Chat</h3>
      {isHost && (
        <label className="inline">
          <input type="checkbox" data-testid="attendee-chat-toggle" checked={attendeeChat} onChange={(e) => send({ type: 'chat.allowAttendees', allowed: e.target.checked })} />
          Attendees may chat
        </label>
      )}
      <ol className="messages" ref={list} data-testid="chat-messages">
        {chat.map((m) => (
          <li key={m.id} data-testid="chat-message" data-message-id={m.id} data-arrived-at={m.arrivedAt} data-shown-at={m.shownAt} data-media-time={m.mediaTime}>
            <strong>{m.from.displayName}</strong>
            {m.from.role !== 'attendee' && <span className={`role role-${m.from.role}`}>{m.from.role}</span>}: <span className="text">{m.text}</span>
          </li>
        ))}
      </ol>
      {mayChat ? (
        <form
          className="row"
          data-testid="chat-form"
          onSubmit={(e) => {
            e.preventDefault();
            const t = text.trim();
            if (t && send({ type: 'chat.send', text: t })) setText('');
          }}
        >
          <input aria-label="Chat message" name="chat" value={text} maxLength={CHAT_MAX} onChange={(e) => setText(e.target.value)} placeholder="Say something…" />
          <button type="submit" disabled={!text.trim()}>
            Send
          </button>
        </form>
      ) : (
        <p className="muted" data-testid="chat-disabled">
          The host has turned off attendee chat.
        </p>
      )}
    </section>
  );
}
