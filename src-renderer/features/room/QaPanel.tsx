import { useState } from 'react';
import { QUESTION_MAX, type ClientMessage, type Question } from '../../../src-shared/signaling-protocol';

function AnswerForm({ question, send }: { question: Question; send(m: ClientMessage): boolean }) {
  const [text, setText] = useState('');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim() && send({ type: 'qa.answer', questionId: question.id, text: text.trim() })) setText('');
      }}
    >
      <input aria-label="Answer" value={text} maxLength={QUESTION_MAX} onChange={(e) => setText(e.target.value)} placeholder="Answer…" />
      <button type="submit" disabled={!text.trim()}>
        Answer
      </button>
      <button type="button" className="secondary" onClick={() => send({ type: 'qa.dismiss', questionId: question.id })}>
        Dismiss
      </button>
    </form>
  );
}

export function QaPanel({ questions, mayAsk, mayModerate, send }: { questions: Question[]; mayAsk: boolean; mayModerate: boolean; send(m: ClientMessage): boolean }) {
  const [text, setText] = useState('');
  const visible = questions.filter((q) => q.status !== 'dismissed');
  return (
    <section className="panel qa" aria-label="Questions">
      <h3>Q&amp;A</h3>
      <ol className="questions" data-testid="questions">
        {visible.map((q) => (
          <li key={q.id} data-testid="question" data-status={q.status}>
            <p>
              <strong>{q.from.displayName}</strong>: {q.text}
            </p>
            {q.answer && (
              <p className="answer" data-testid="answer">
                <strong>{q.answer.by.displayName}</strong>: {q.answer.text}
              </p>
            )}
            {mayModerate && q.status === 'open' && <AnswerForm question={q} send={send} />}
          </li>
        ))}
        {visible.length === 0 && <li className="muted">No questions yet.</li>}
      </ol>
      {mayAsk && (
        <form
          className="row"
          data-testid="ask-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim() && send({ type: 'qa.ask', text: text.trim() })) setText('');
          }}
        >
          <input aria-label="Question" value={text} maxLength={QUESTION_MAX} onChange={(e) => setText(e.target.value)} placeholder="Ask a question…" />
          <button type="submit" disabled={!text.trim()}>
            Ask
          </button>
        </form>
      )}
    </section>
  );
}
