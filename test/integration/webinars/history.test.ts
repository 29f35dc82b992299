/** Late joiners get recent chat and open questions; chat, questions and roles survive a restart. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../helpers/test-server';
import { createWebinar, enter, login, newUser } from '../../helpers/webinar-fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webinar-history-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('history', () => {
  it('late joiner sees recent chat and open questions; everything survives a restart on the same DATA_DIR', async () => {
    let server = await startTestServer({ env: { DATA_DIR: dataDir } });
    const host = await newUser(server.url, 'Host');
    const asker = await newUser(server.url, 'Asker');
    const w = await createWebinar(server.url, host, 'Persisted');
    const h = await enter(server.url, host, w.id);
    const a = await enter(server.url, asker, w.id);
    h.client.send({ type: 'chat.send', text: 'first' });
    h.client.send({ type: 'chat.send', text: 'second' });
    a.client.send({ type: 'qa.ask', text: 'open one?' });
    a.client.send({ type: 'qa.ask', text: 'answered one?' });
    const q2 = await h.client.next('qa.question', (m) => m.question.text === 'answered one?');
    h.client.send({ type: 'qa.answer', questionId: q2.question.id, text: 'yes' });
    h.client.send({ type: 'participant.promote', participantId: asker.id });
    await a.client.next('participant.updated', (m) => m.participant.role === 'panelist');

    const late = await newUser(server.url, 'Late');
    const l = await enter(server.url, late, w.id);
    expect(l.welcome.chat.map((m) => m.text)).toEqual(['first', 'second']);
    expect(l.welcome.chat[0]).toMatchObject({ from: { id: host.id, role: 'host' } });
    expect(l.welcome.questions.map((q) => [q.text, q.status])).toEqual([
      ['open one?', 'open'],
      ['answered one?', 'answered'],
    ]);
    expect(l.welcome.webinar.status).toBe('live');
    await Promise.all([h.client.close(), a.client.close(), l.client.close()]);
    await server.close();

    server = await startTestServer({ env: { DATA_DIR: dataDir } });
    try {
      const again = await enter(server.url, await login(server.url, late.email), w.id);
      expect(again.welcome.chat.map((m) => m.text)).toEqual(['first', 'second']);
      expect(again.welcome.questions.map((q) => q.status)).toEqual(['open', 'answered']);
      expect(again.welcome.questions[1]!.answer).toMatchObject({ text: 'yes', by: { id: host.id } });
      expect(again.welcome.webinar.status).toBe('live');
      // The promotion was persisted: the asker comes back as a panelist.
      const back = await enter(server.url, await login(server.url, asker.email), w.id);
      expect(back.welcome.self.role).toBe('panelist');
      await Promise.all([again.client.close(), back.client.close()]);
    } finally {
      await server.close();
    }
  });

  it('welcome carries at most the last 200 chat messages, in order', async () => {
    const server = await startTestServer({ env: { WS_RATE_PER_S: '100000', WS_RATE_BURST: '100000' } });
    try {
      const host = await newUser(server.url, 'Host');
      const w = await createWebinar(server.url, host);
      const h = await enter(server.url, host, w.id);
      for (let i = 0; i < 230; i++) h.client.send({ type: 'chat.send', text: `m${i}` });
      await h.client.next('chat.message', (m) => m.text === 'm229');
      const l = await enter(server.url, await newUser(server.url, 'Late'), w.id);
      expect(l.welcome.chat).toHaveLength(200);
      expect(l.welcome.chat[0]!.text).toBe('m30');
      expect(l.welcome.chat[199]!.text).toBe('m229');
      await Promise.all([h.client.close(), l.client.close()]);
    } finally {
      await server.close();
    }
  });
});
