/**
 * One live webinar: its state, its sockets, and a queue that runs every join, leave and message
 * one at a time, so state changes and their broadcasts happen in one order for everyone and chat
 * is stored before anyone is told about it.
 */
import type { Clock } from '../../src-shared/clock';
import { CloseCode, type ClientMessage, type Role, type ServerMessage } from '../../src-shared/signaling-protocol';
import type { RoomHistoryStore } from '../store/room-history';
import type { WebinarStore } from '../store/webinars';
import { toWebinarInfo } from '../webinars/webinar-service';
import { closeConn, sendRaw, type Conn } from './connection';
import { handleMessage } from './message-handler';
import { CHAT_HISTORY, CLOSED_QUESTIONS_HISTORY, newParticipant, welcomeFor, type Effect, type PersistOp, type RoomState } from './room-state';

export interface RoomDeps {
  history: RoomHistoryStore;
  webinars: WebinarStore;
  clock: Clock;
  log: (err: unknown, what: string) => void;
  /** Called (inside the queue) once the room is empty and can be forgotten. */
  onEmpty: (room: Room) => void;
}

export interface JoinInfo {
  displayName: string;
  email: string;
  role: Role;
}

export class Room {
  state!: RoomState;
  private readonly conns = new Map<string, Conn>();
  private tail: Promise<void> = Promise.resolve();
  private failed = false;
  /** Joins acquired but not yet run: the room must not be forgotten under them. */
  private pending = 0;
  disposed = false;

  constructor(
    readonly webinarId: string,
    private readonly deps: RoomDeps,
  ) {
    this.run(() => this.load());
  }

  /** Queue a task; tasks never overlap and a failing task does not stop the queue. */
  run(task: () => Promise<void> | void): Promise<void> {
    const next = this.tail.then(task).catch((err: unknown) => this.deps.log(err, `room ${this.webinarId}`));
    this.tail = next;
    return next;
  }

  acquire(): void {
    this.pending += 1;
  }

  /** Undo an `acquire` whose join never happened (the upgrade failed). */
  release(): void {
    void this.run(() => {
      this.pending -= 1;
      this.maybeDispose();
    });
  }

  join(conn: Conn, info: JoinInfo): Promise<void> {
    return this.run(async () => {
      this.pending -= 1;
      if (this.failed) return closeConn(conn, 1011, 'room unavailable');
      if (this.state.webinar.status === 'ended') return closeConn(conn, CloseCode.ended, 'webinar ended');
      const { members } = this.state;
      const existing = this.conns.get(conn.userId);
      let member = members.get(conn.userId);
      if (member) {
        // A reconnect resumes the same participant; the role comes fresh from the store.
        Object.assign(member.participant, { role: info.role, displayName: info.displayName });
        member.email = info.email;
      } else {
        member = { participant: newParticipant(conn.userId, info.displayName, info.role), email: info.email };
        members.set(conn.userId, member);
      }
      this.conns.set(conn.userId, conn);
      if (existing) closeConn(existing, CloseCode.replaced, 'replaced by a newer connection');

      const effects: Effect[] = [];
      if (info.role === 'host' && this.state.webinar.status === 'scheduled') {
        this.state.webinar = { ...this.state.webinar, status: 'live' };
        effects.push({ kind: 'persist', op: { op: 'status', status: 'live' } });
        effects.push({ kind: 'broadcast', msg: { type: 'webinar.updated', webinar: this.state.webinar }, except: conn.userId });
      }
      effects.push({ kind: 'send', to: conn.userId, msg: welcomeFor(this.state, conn.userId, this.deps.clock.now()) });
      const type = existing ? 'participant.updated' : 'participant.joined';
      effects.push({ kind: 'broadcast', msg: { type, participant: member.participant }, except: conn.userId });
      await this.execute(effects);
    });
  }

  /** The socket closed: if it is still this user's connection, the participant leaves. */
  leave(conn: Conn, reason: 'left' | 'disconnected'): Promise<void> {
    return this.run(async () => {
      if (this.conns.get(conn.userId) === conn) {
        this.conns.delete(conn.userId);
        this.state.members.delete(conn.userId);
        await this.execute([{ kind: 'broadcast', msg: { type: 'participant.left', participantId: conn.userId, reason } }]);
      }
      this.maybeDispose();
    });
  }

  message(conn: Conn, msg: ClientMessage): Promise<void> {
    return this.run(async () => {
      if (this.failed || this.conns.get(conn.userId) !== conn) return;
      const effects = handleMessage(this.state, conn.userId, msg, { now: this.deps.clock.now(), newId: () => crypto.randomUUID() });
      await this.execute(effects);
    });
  }

  /** Close every socket (server shutdown); leaves follow through the close events. */
  closeAll(code: number, reason: string): void {
    for (const c of this.conns.values()) closeConn(c, code, reason);
  }

  /** Resolves when every queued task so far has run. */
  idle(): Promise<void> {
    return this.run(() => undefined);
  }

  private async load(): Promise<void> {
    try {
      const row = await this.deps.webinars.find(this.webinarId);
      if (!row) throw new Error('webinar vanished');
      const chat = await this.deps.history.recentChat(this.webinarId, CHAT_HISTORY);
      const questions = await this.deps.history.questions(this.webinarId, CLOSED_QUESTIONS_HISTORY);
      this.state = { webinar: toWebinarInfo(row), members: new Map(), chat, questions: new Map(questions.map((q) => [q.id, q])) };
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  private maybeDispose(): void {
    const ended = !this.failed && this.state.webinar.status === 'ended';
    if (this.disposed || this.pending > 0 || (this.conns.size > 0 && !ended && !this.failed)) return;
    this.disposed = true;
    this.deps.onEmpty(this);
  }

  /** Persist first (an acknowledged message is a stored one), then tell people. */
  private async execute(effects: Effect[]): Promise<void> {
    for (const e of effects) {
      switch (e.kind) {
        case 'persist':
          await this.persist(e.op);
          break;
        case 'send': {
          const c = this.conns.get(e.to);
          if (c) sendRaw(c, JSON.stringify(e.msg));
          break;
        }
        case 'broadcast':
          this.broadcast(e.msg, e.except);
          break;
        case 'close': {
          const c = this.conns.get(e.who);
          this.conns.delete(e.who);
          if (c) closeConn(c, e.code, e.reason);
          break;
        }
        case 'closeAll':
          for (const c of this.conns.values()) closeConn(c, e.code, e.reason);
          this.conns.clear();
          this.state.members.clear();
          this.maybeDispose();
          break;
      }
    }
  }

  private broadcast(msg: ServerMessage, except?: string): void {
    // Serialized once: fan-out to thousands must not stringify per socket.
    const data = JSON.stringify(msg);
    for (const [id, c] of this.conns) if (id !== except) sendRaw(c, data);
  }

  private async persist(op: PersistOp): Promise<void> {
    const { history, webinars, clock } = this.deps;
    const id = this.webinarId;
    switch (op.op) {
      case 'chat':
        return history.addChat(id, op.message);
      case 'question.add':
        return history.addQuestion(id, op.question);
      case 'question.update':
        return history.updateQuestion(id, op.question);
      case 'panelist.add':
        return webinars.addPanelist(id, op.email, clock.now());
      case 'panelist.remove':
        return webinars.removePanelist(id, op.email);
      case 'ban':
        return webinars.ban(id, op.userId, clock.now());
      case 'status':
        return webinars.setStatus(id, op.status, clock.now());
      case 'attendeeChat':
        return webinars.setAttendeeChat(id, op.allowed);
    }
  }
}
