/**
 * 100 000 generated hostile WebSocket messages against the real server (its own process), from four
 * participants of every role at once: wrong types, huge and deep values, unicode, `__proto__` /
 * `constructor` / `prototype` keys, truncated JSON, valid-looking messages with wrong fields, binary
 * frames, valid messages the sender's role may not send, frames over 64 KiB and invalid UTF-8.
 *
 * Proves: no crash and no internal error logged; every input gets exactly the answer it is owed (one
 * `error` of the right code, or the socket closed: 1009 over 64 KiB, 1007 for invalid UTF-8, after
 * which the participant reconnects with a new ticket); an observer sees no broadcast caused by any of
 * it; a late joiner's `welcome` (minus serverTime) and every table's row count are identical before
 * and after; the server's RSS stays bounded.
 *
 * WS_RATE_PER_S / WS_RATE_BURST are raised to 1 000 000 (the config maximum) for this test: the point is the parser and
 * the room, not the rate limiter (which has its own tests and would otherwise drop most inputs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src-shared/signaling-protocol';
import { addPanelist, createWebinar, joinWebinar, newUser, type TestUser } from '../../helpers/webinar-fixtures';
import { startChildServer, tableCounts, type ChildServer } from './child-server';
import { RawWs } from './raw-ws';
import { inputsFor, type Expect } from './ws-inputs';
import fs from 'node:fs';

const TOTAL = 100_000;
const BATCH = 400;
const RSS_BOUND = 150 * 1024 * 1024;

let server: ChildServer;
afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

beforeAll(async () => {
  server = await startChildServer({
    env: { WS_RATE_PER_S: '1000000', WS_RATE_BURST: '1000000', LOGIN_RATE_ACCOUNT_MAX: '100000', LOGIN_RATE_ADDRESS_MAX: '100000' },
  });
});

type Welcome = Record<string, unknown> & { participants: Array<{ id: string }> };
const sansTime = (w: Record<string, unknown>) => {
  const { serverTime: _t, ...rest } = w as Welcome;
  return { ...rest, participants: [...rest.participants].sort((a, b) => a.id.localeCompare(b.id)) };
};

describe('100 000 generated WebSocket messages', () => {
  it('are each rejected as owed, change nothing, are seen by no one, and crash nothing', async () => {
    const url = server.url;
    const [host, panelist, a1, a2, observer, stage, late] = await Promise.all(
      ['Host', 'Panelist', 'Attendee 1', 'Attendee 2', 'Observer', 'Stage', 'Late'].map((n) => newUser(url, n)),
    );
    const w = await createWebinar(url, host!, 'Fuzz');
    await addPanelist(url, host!, w.id, panelist!.email);
    await addPanelist(url, host!, w.id, stage!.email);
    const open = async (u: TestUser) => {
      const j = await joinWebinar(url, u, w.id);
      const c = await RawWs.open(j.wsUrl, j.ticket);
      await c.welcome();
      return c;
    };

    // Some real state for a rejected input to damage: chat and a question in history, a raised hand,
    // a panelist with camera on (on participants that are not fuzzed, so reconnects do not reset it).
    const hostC = await open(host!);
    const obs = await open(observer!);
    const stageC = await open(stage!);
    const fuzzers: Array<{ user: TestUser; role: Role; conn: RawWs }> = [
      { user: host!, role: 'host', conn: hostC },
      { user: panelist!, role: 'panelist', conn: await open(panelist!) },
      { user: a1!, role: 'attendee', conn: await open(a1!) },
      { user: a2!, role: 'attendee', conn: await open(a2!) },
    ];
    hostC.ws.send(JSON.stringify({ type: 'chat.send', text: 'history before the fuzz' }));
    fuzzers[2]!.conn.ws.send(JSON.stringify({ type: 'qa.ask', text: 'a question before the fuzz' }));
    obs.ws.send(JSON.stringify({ type: 'hand.raise' }));
    stageC.ws.send(JSON.stringify({ type: 'media.state', audio: false, video: true, screen: false }));
    await obs.until(() => ['chat.message', 'qa.question', 'participant.updated'].every((t) => obs.messages.some((m) => m.type === t)) && obs.messages.filter((m) => m.type === 'participant.updated').length >= 2, 'setup broadcasts');

    const snapshot = async () => {
      const c = await open(late!);
      const welcome = sansTime(await c.welcome());
      await c.close();
      await obs.until(() => obs.messages.some((m) => m.type === 'participant.left' && m.participantId === late!.id && obs.messages.indexOf(m) >= mark), 'late joiner left');
      return welcome;
    };
    let mark = obs.messages.length;
    const before = await snapshot();
    const countsBefore = tableCounts(server.dataDir);
    const baseline = new Map(before.participants.map((p) => [p.id, p]));
    mark = obs.messages.length;
    const rssBefore = server.rssBytes();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      try {
        rssPeak = Math.max(rssPeak, server.rssBytes());
      } catch {
        /* exited: asserted below */
      }
    }, 200);

    const ids = { hostId: host!.id, panelistId: stage!.id, attendeeId: observer!.id };
    const closes: Record<string, Record<number, number>> = {};
    const byTag: Record<string, number> = {};
    const t0 = Date.now();
    try {
      await Promise.all(
        fuzzers.map(async (f, i) => {
          const inputs = inputsFor(f.role, { ...ids, selfId: f.user.id }, TOTAL / fuzzers.length, 1000 + i);
          const expected: Record<Expect, number> = { invalid_message: 0, forbidden: 0, not_found: 0 };
          let base = new Map(f.conn.errors);
          let pending = 0;
          const flush = async () => {
            const c = f.conn;
            const total = () => [...c.errors.values()].reduce((a, b) => a + b, 0) - [...base.values()].reduce((a, b) => a + b, 0);
            await c.until(() => total() >= pending || c.closeCode !== null, `${pending} answers for the ${f.role}`, 90_000);
            expect(c.closeCode, `${f.role} socket closed unexpectedly`).toBe(null);
            for (const code of ['invalid_message', 'forbidden', 'not_found', 'rate_limited'] as const) {
              expect((c.errors.get(code) ?? 0) - (base.get(code) ?? 0), `${f.role}: ${code} answers`).toBe(code === 'rate_limited' ? 0 : expected[code]);
            }
            base = new Map(c.errors);
            pending = 0;
            for (const k of Object.keys(expected) as Expect[]) expected[k] = 0;
          };
          for (const input of inputs) {
            byTag[input.tag] = (byTag[input.tag] ?? 0) + 1;
            if (input.kind === 'closes') {
              await flush();
              f.conn.ws.send(input.data, { binary: false });
              const code = await Promise.race([f.conn.closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
              (closes[input.tag] ??= {})[code] = ((closes[input.tag] ??= {})[code] ?? 0) + 1;
              f.conn = await open(f.user); // a new ticket, as a real client would
              base = new Map(f.conn.errors);
              continue;
            }
            f.conn.ws.send(input.data, { binary: input.kind === 'binary' });
            expected[input.expect]++;
            if (++pending >= BATCH) await flush();
          }
          await flush();
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const fuzzMs = Date.now() - t0;
    // Late answers would show up here as extra errors.
    await new Promise((r) => setTimeout(r, 300));
    rssPeak = Math.max(rssPeak, server.rssBytes());
    const rssAfter = server.rssBytes();

    expect(server.exit, 'the server process died').toBe(null);
    expect(server.errors, 'the server logged internal errors').toEqual([]);
    expect(closes.oversize ?? {}).toEqual({ 1009: byTag.oversize ?? 0 });
    expect(Object.keys(closes['bad-utf8'] ?? {}).every((c) => c === '1007')).toBe(true);

    // Nobody saw anything but the reconnects of closed sockets (and the late joiner).
    const fuzzIds = new Set(fuzzers.map((f) => f.user.id));
    const seen = obs.messages.slice(mark).filter((m) => {
      if (m.type === 'participant.left') return !(fuzzIds.has(m.participantId as string) && m.reason === 'disconnected') && m.participantId !== late!.id;
      if (m.type === 'participant.joined' || m.type === 'participant.updated') {
        const p = m.participant as { id: string };
        if (p.id === late!.id) return false;
        return !(fuzzIds.has(p.id) && JSON.stringify(p) === JSON.stringify(baseline.get(p.id)));
      }
      return true;
    });
    expect(seen, 'broadcasts caused by rejected input').toEqual([]);
    for (const f of fuzzers) {
      expect(f.conn.messages.filter((m) => !m.type.startsWith('participant.') && m.type !== 'welcome')).toEqual([]);
    }

    const after = await snapshot();
    expect(after).toEqual(before);
    expect(tableCounts(server.dataDir)).toEqual(countsBefore);
    // And the room still works.
    const hostNow = fuzzers[0]!.conn;
    hostNow.ws.send(JSON.stringify({ type: 'chat.send', text: 'after the fuzz' }));
    await obs.until(() => obs.messages.some((m) => m.type === 'chat.message' && m.text === 'after the fuzz'), 'chat after the fuzz');

    const growth = rssAfter - rssBefore;
    console.log(
      'ws bad input',
      JSON.stringify({ messages: TOTAL, byTag, closes, fuzzMs, msgsPerS: Math.round(TOTAL / (fuzzMs / 1000)), rssBeforeMB: +(rssBefore / 2 ** 20).toFixed(1), rssPeakMB: +(rssPeak / 2 ** 20).toFixed(1), rssAfterMB: +(rssAfter / 2 ** 20).toFixed(1) }),
    );
    expect(growth).toBeLessThan(RSS_BOUND);
    await Promise.all([obs.close(), stageC.close(), ...fuzzers.map((f) => f.conn.close())]);
  }, 240_000);
});
