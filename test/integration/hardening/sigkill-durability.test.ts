/**
 * Storage survives SIGKILL. The real server runs in its own process; we drive concurrent chat over
 * WebSockets and refresh-token rotation over HTTP, record every *acknowledged* item (a chat when its
 * sender got its own `chat.message` broadcast, which the server sends only after the row is written; a
 * rotation when its 200 arrived), SIGKILL the server mid-stream, restart it on the same DATA_DIR and
 * check: `PRAGMA integrity_check` is ok, the file is in WAL mode, every acknowledged chat is stored and
 * shown to a late joiner, every acknowledged session still works and the last acknowledged refresh
 * token of every chain still rotates. Two kill/restart cycles.
 *
 * Env for this test: WS_RATE_* raised (senders pipeline chat faster than the default 30/s per socket),
 * LOGIN_RATE_* raised (many logins from 127.0.0.1), REFRESH_REUSE_GRACE_S=60: a rotation in flight at
 * the kill may have committed without its response reaching us; the last token we *saw* is then the
 * rotated predecessor, which the documented grace rule accepts once. 60 s instead of the default 10 s
 * keeps that deterministic on a slow machine; the test reports how many chains needed the grace.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashRefreshToken } from '../../../src-server/auth/refresh-token-codec';
import { TokenResponse } from '../../../src-shared/http-api';
import type { ChatMessage } from '../../../src-shared/signaling-protocol';
import { connectWelcomed, type SignalingClient } from '../../helpers/signaling-client';
import { addPanelist, createWebinar, joinWebinar, login, newUser, webinarApi, type TestUser } from '../../helpers/webinar-fixtures';
import { openDbReadOnly, startChildServer, tempDataDir, type ChildServer } from './child-server';

const ENV = {
  WS_RATE_PER_S: '100000',
  WS_RATE_BURST: '100000',
  LOGIN_RATE_ACCOUNT_MAX: '100000',
  LOGIN_RATE_ADDRESS_MAX: '100000',
  REFRESH_REUSE_GRACE_S: '60',
};
const CHAINS = 6;
const WINDOW = 8; // unacknowledged chats in flight per sender
const CYCLES = 2;

const dataDir = tempDataDir('sigkill');
let server: ChildServer | null = null;
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Chain {
  /** The last refresh token whose 200 we saw, and the access token that came with it. */
  refreshToken: string;
  accessToken: string;
  rotations: number;
  /** A rotation was sent and not answered when the server died. */
  inFlight: boolean;
}

async function refresh(url: string, token: string): Promise<{ status: number; body: unknown }> {
  return webinarApi(url, 'POST', '/api/auth/refresh', undefined, { refreshToken: token });
}

describe('SIGKILL in the middle of chat and token rotation', () => {
  it('restarts with an intact WAL database and everything acknowledged', async () => {
    server = await startChildServer({ dataDir, env: ENV });
    let url = server.url;
    const host = await newUser(url, 'Host');
    const panelists: TestUser[] = await Promise.all([1, 2, 3].map((i) => newUser(url, `Panelist ${i}`)));
    const w = await createWebinar(url, host, 'Durability');
    for (const p of panelists) await addPanelist(url, host, w.id, p.email);
    const senders = [host, ...panelists];
    const chainUser = await newUser(url, 'Chains');
    const chains: Chain[] = await Promise.all(
      Array.from({ length: CHAINS }, async () => {
        const t = await login(url, chainUser.email);
        return { refreshToken: t.refreshToken!, accessToken: t.accessToken, rotations: 0, inFlight: false };
      }),
    );
    /** Acknowledged logins: every one must still be a live session after the crash. */
    const sessions: TestUser[] = [host, ...panelists, chainUser];
    const acked = new Map<string, ChatMessage>(); // text → the broadcast the sender saw
    const report: Array<Record<string, number>> = [];

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      // ---- drive traffic ------------------------------------------------------------------------
      const clients: SignalingClient[] = [];
      for (const s of senders) {
        const j = await joinWebinar(url, s, w.id);
        clients.push((await connectWelcomed(j.wsUrl, j.ticket)).client);
      }
      let stop = false;
      let sent = 0;
      const chatLoops = clients.map(async (c, i) => {
        const me = senders[i]!;
        let n = 0;
        const pending = new Set<string>();
        const deadline = Date.now() + 20_000;
        while (!stop && Date.now() < deadline && c.closeCode === null) {
          while (pending.size < WINDOW && !stop) {
            const text = `c${cycle}-s${i}-${n++}`;
            pending.add(text);
            c.send({ type: 'chat.send', text });
            sent++;
          }
          try {
            const m = await c.next('chat.message', (m) => m.from.id === me.id && pending.has(m.text), 2000);
            pending.delete(m.text);
            acked.set(m.text, { id: m.id, from: m.from, text: m.text, ts: m.ts });
          } catch {
            break; // the server died: whatever is still pending was never acknowledged
          }
        }
      });
      const rotationLoops = chains.map(async (chain) => {
        const deadline = Date.now() + 20_000;
        while (!stop && Date.now() < deadline) {
          chain.inFlight = true;
          let r;
          try {
            r = await refresh(url, chain.refreshToken);
          } catch {
            return; // connection reset by the kill: stays in flight
          }
          chain.inFlight = false;
          if (r.status !== 200) throw new Error(`refresh before the kill: ${r.status} ${JSON.stringify(r.body)}`);
          const t = TokenResponse.parse(r.body);
          chain.refreshToken = t.refreshToken!;
          chain.accessToken = t.accessToken;
          chain.rotations++;
        }
      });
      // A login in flight too: acknowledged ones must survive.
      const loginLoop = (async () => {
        const deadline = Date.now() + 20_000;
        while (!stop && Date.now() < deadline) {
          try {
            sessions.push(await login(url, chainUser.email));
          } catch {
            return;
          }
        }
      })();

      // Kill mid-stream, once there is real traffic to lose.
      const ackedBefore = acked.size;
      const rotBefore = chains.reduce((a, c) => a + c.rotations, 0);
      const t0 = Date.now();
      while (Date.now() - t0 < 10_000 && (acked.size - ackedBefore < 300 || chains.reduce((a, c) => a + c.rotations, 0) - rotBefore < 40)) {
        await new Promise((r) => setTimeout(r, 25));
      }
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all([...chatLoops, ...rotationLoops, loginLoop]);
      expect(server.exit?.signal).toBe('SIGKILL');
      expect(server.errors, 'server logged errors before the kill').toEqual([]);

      // ---- restart on the same DATA_DIR ---------------------------------------------------------
      server = await startChildServer({ dataDir, env: ENV });
      url = server.url;
      const db = openDbReadOnly(dataDir);
      let graced = 0;
      const inFlightAtKill = chains.filter((c) => c.inFlight).length;
      let stored: Map<string, { id: string; text: string; user_id: string; ts: number }>;
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        const rows = db.prepare('SELECT id, text, user_id, ts FROM chat_messages WHERE webinar_id = ?').all(w.id) as Array<{
          id: string;
          text: string;
          user_id: string;
          ts: number;
        }>;
        stored = new Map(rows.map((r) => [r.text, r]));
        const sessionRows = db.prepare('SELECT id, revoked_at FROM sessions').all() as Array<{ id: string; revoked_at: number | null }>;
        const live = new Set(sessionRows.filter((s) => s.revoked_at === null).map((s) => s.id));
        for (const s of sessions) expect(live.has(s.sessionId), `session ${s.sessionId}`).toBe(true);
        // Which chains' in-flight rotation committed without its response reaching us.
        const rotated = db.prepare('SELECT rotated_at FROM refresh_tokens WHERE token_hash = ?');
        for (const chain of chains) {
          const row = rotated.get(hashRefreshToken(chain.refreshToken)) as { rotated_at: number | null } | undefined;
          expect(row, 'acknowledged refresh token stored').toBeDefined();
          if (row!.rotated_at !== null) {
            expect(chain.inFlight).toBe(true);
            graced++;
          }
        }
      } finally {
        db.close();
      }
      const lost = [...acked.values()].filter((m) => stored.get(m.text)?.id !== m.id);
      expect(lost, 'acknowledged chat missing after SIGKILL').toEqual([]);

      // A late joiner's welcome shows the stored history (the last 200), acknowledged ones included.
      const late = await newUser(url, 'Late');
      const lj = await joinWebinar(url, late, w.id);
      const { client: lateClient, welcome } = await connectWelcomed(lj.wsUrl, lj.ticket);
      const recent = [...stored.values()].sort((a, b) => a.ts - b.ts || 0).slice(-200);
      expect(welcome.chat.map((m) => m.id).sort()).toEqual(recent.map((r) => r.id).sort());
      for (const m of welcome.chat) if (acked.has(m.text)) expect(m).toEqual(acked.get(m.text));
      await lateClient.close();

      // Every acknowledged session answers; every chain's last acknowledged refresh token rotates.
      for (const s of sessions) expect((await webinarApi(url, 'GET', '/api/me', s.accessToken)).status).toBe(200);
      for (const chain of chains) {
        expect((await webinarApi(url, 'GET', '/api/me', chain.accessToken)).status).toBe(200);
        const r = await refresh(url, chain.refreshToken);
        expect(r.status, `chain refresh after restart (in flight at kill: ${chain.inFlight}) ${JSON.stringify(r.body)}`).toBe(200);
        const t = TokenResponse.parse(r.body);
        chain.refreshToken = t.refreshToken!;
        chain.accessToken = t.accessToken;
        chain.inFlight = false;
      }
      // The server works normally: a fresh login and a chat round trip.
      await login(url, chainUser.email);
      const j = await joinWebinar(url, host, w.id);
      const { client } = await connectWelcomed(j.wsUrl, j.ticket);
      client.send({ type: 'chat.send', text: `after restart ${cycle}` });
      await client.next('chat.message', (m) => m.text === `after restart ${cycle}`);
      await client.close();

      report.push({ cycle, chatsSent: sent, chatsAcked: acked.size, storedRows: stored.size, rotations: chains.reduce((a, c) => a + c.rotations, 0), chainsInFlightAtKill: inFlightAtKill, committedUnacknowledgedRotations: graced, sessions: sessions.length });
    }
    console.log('sigkill durability', JSON.stringify(report));
  }, 90_000);
});
