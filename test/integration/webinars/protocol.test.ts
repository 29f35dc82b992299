/** Bad input on the signaling socket: answered, never fatal, never a state change, never felt by others. */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessage, CloseCode } from '../../../src-shared/signaling-protocol';
import type { SignalingClient } from '../../helpers/signaling-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createWebinar, enter, newUser, type TestUser } from '../../helpers/webinar-fixtures';

let server: TestServer;
let host: TestUser;
let sender: TestUser;
let watcher: TestUser;
let open: SignalingClient[] = [];
beforeAll(async () => {
  // A generous rate limit: these tests send thousands of messages from one socket on purpose.
  server = await startTestServer({ env: { WS_RATE_PER_S: '1000000', WS_RATE_BURST: '1000000' } });
  [host, sender, watcher] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Sender'), newUser(server.url, 'Watcher')]);
});
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});
afterAll(() => server.close());

async function room() {
  const w = await createWebinar(server.url, host);
  const h = await enter(server.url, host, w.id);
  const s = await enter(server.url, sender, w.id);
  const o = await enter(server.url, watcher, w.id);
  open.push(h.client, s.client, o.client);
  for (const c of [h.client, s.client, o.client]) c.drain();
  return { webinarId: w.id, host: h.client, sender: s.client, watcher: o.client };
}

/** The host chats; the watcher must see exactly that and nothing else since `mark`. */
async function expectQuiet(r: Awaited<ReturnType<typeof room>>, mark: number) {
  const text = `barrier ${Math.random()}`;
  r.host.send({ type: 'chat.send', text });
  await r.watcher.next('chat.message', (m) => m.text === text, 10_000);
  expect(r.watcher.received.slice(mark).map((m) => m.type)).toEqual(['chat.message']);
}

describe('malformed messages: error invalid_message, connection stays open', () => {
  it.each([
    ['not JSON', '{"type":'],
    ['empty', ''],
    ['a JSON string', '"chat.send"'],
    ['null', 'null'],
    ['an array', '[{"type":"chat.send","text":"x"}]'],
    ['unknown type', '{"type":"admin.grant"}'],
    ['no type', '{"text":"x"}'],
    ['wrong field type', '{"type":"chat.send","text":5}'],
    ['extra field', '{"type":"hand.raise","role":"host"}'],
    ['empty chat', '{"type":"chat.send","text":"   "}'],
    ['chat too long', JSON.stringify({ type: 'chat.send', text: 'x'.repeat(2001) })],
    ['question too long', JSON.stringify({ type: 'qa.ask', text: 'x'.repeat(501) })],
    ['__proto__ key', '{"type":"hand.raise","__proto__":{"role":"host"}}'],
    ['signal without publisherId', '{"type":"signal","to":"x","data":{"payload":{}}}'],
    ['media.state with strings', '{"type":"media.state","audio":"true","video":false,"screen":false}'],
  ])('%s', async (_name, raw) => {
    const r = await room();
    const mark = r.watcher.received.length;
    r.sender.sendRaw(raw);
    expect((await r.sender.next('error')).code).toBe('invalid_message');
    await expectQuiet(r, mark);
    // Still usable afterwards.
    r.sender.send({ type: 'hand.raise' });
    await r.watcher.next('participant.updated', (m) => m.participant.handRaised);
  });

  it('a binary frame is invalid_message', async () => {
    const r = await room();
    r.sender.sendRaw(Buffer.from('{"type":"hand.raise"}'));
    expect((await r.sender.next('error')).code).toBe('invalid_message');
  });

  it('the boundaries are accepted: chat 2000 chars, question 500', async () => {
    const r = await room();
    r.host.send({ type: 'chat.send', text: 'c'.repeat(2000) });
    r.sender.send({ type: 'qa.ask', text: 'q'.repeat(500) });
    await r.watcher.next('chat.message', (m) => m.text.length === 2000);
    await r.watcher.next('qa.question', (m) => m.question.text.length === 500);
  });
});

describe('size limit', () => {
  it('a message over 64 KiB closes that socket with 1009; others are unaffected', async () => {
    const r = await room();
    r.sender.sendRaw(JSON.stringify({ type: 'chat.send', text: 'x'.repeat(70 * 1024) }));
    expect(await r.sender.closed).toBe(CloseCode.tooLarge);
    await r.watcher.next('participant.left', (m) => m.participantId === sender.id && m.reason === 'disconnected');
    r.host.send({ type: 'chat.send', text: 'still here' });
    await r.watcher.next('chat.message', (m) => m.text === 'still here');
  });
});

describe('signal routing', () => {
  it('unknown target: not_found; attendee posing as publisher: forbidden', async () => {
    const r = await room();
    r.sender.send({ type: 'signal', to: 'nobody', data: { publisherId: host.id, payload: {} } });
    expect((await r.sender.next('error')).code).toBe('not_found');
    r.sender.send({ type: 'signal', to: host.id, data: { publisherId: sender.id, payload: {} } });
    expect((await r.sender.next('error')).code).toBe('forbidden');
    r.sender.send({ type: 'signal', to: watcher.id, data: { publisherId: host.id, payload: {} } });
    expect((await r.sender.next('error')).code).toBe('forbidden');
    expect(await r.host.none('signal')).toBe(true);
  });
});

/** Arbitrary JSON that the schema rejects: every one must earn exactly one invalid_message. */
const invalidJson = fc
  .oneof(
    fc.jsonValue(),
    fc.record({ type: fc.constantFrom(...ClientMessage.options.map((o) => o.shape.type.value)) }, { requiredKeys: [] }).chain((base) =>
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }).map((extra) => ({ ...extra, ...base })),
    ),
    fc.constantFrom({ __proto__: null, type: 'hand.raise', x: 1 }, { type: 'chat.send', text: { toString: 'x' } }),
  )
  .map((v) => JSON.stringify(v))
  .filter((s) => s !== undefined && !ClientMessage.safeParse(JSON.parse(s)).success);

const notJson = fc.string({ maxLength: 200 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

describe('property: thousands of arbitrary inputs on one socket', () => {
  it('each gets invalid_message; nobody else sees anything; the server still answers', async () => {
    const r = await room();
    const before = r.watcher.received.length;
    const inputs = fc.sample(fc.oneof(invalidJson, notJson), { numRuns: 5000, seed: 42 });
    for (const raw of inputs) r.sender.sendRaw(raw);
    for (let i = 0; i < inputs.length; i++) {
      const e = await r.sender.next('error', () => true, 10_000);
      expect(e.code).toBe('invalid_message');
    }
    await expectQuiet(r, before);
    const late = await enter(server.url, (await newUser(server.url, 'Late')), r.webinarId);
    open.push(late.client);
    expect(late.welcome.participants.find((p) => p.id === sender.id)).toMatchObject({ role: 'attendee', handRaised: false });
    expect(late.welcome.questions).toEqual([]);
  });

  it('fast-check property over the live socket (shrinks on failure)', async () => {
    const r = await room();
    const mark = r.watcher.received.length;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(invalidJson, notJson), { minLength: 1, maxLength: 20 }), async (batch) => {
        for (const raw of batch) r.sender.sendRaw(raw);
        for (let i = 0; i < batch.length; i++) expect((await r.sender.next('error')).code).toBe('invalid_message');
      }),
      { numRuns: 100 },
    );
    await expectQuiet(r, mark);
  });
});
