/**
 * Join tickets: the only credential on the WebSocket upgrade (browsers cannot set an Authorization
 * header there). 256 random bits, valid 60 s, single-use, bound to webinar, user, role and the auth
 * session that asked for it, so revoking the session also voids its unused tickets. In memory: a
 * restart voids them, which costs a client one more POST /join.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src-shared/clock';
import type { Role } from '../../src-shared/signaling-protocol';

export const TICKET_TTL_MS = 60_000;
/** Bounds memory if someone asks for tickets and never uses them. */
const MAX_TICKETS = 100_000;

export interface Ticket {
  webinarId: string;
  userId: string;
  role: Role;
  sessionId: string;
  expiresAt: number;
}

export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = TICKET_TTL_MS,
  ) {}

  issue(grant: Omit<Ticket, 'expiresAt'>): { ticket: string; expiresAt: number } {
    if (this.tickets.size >= MAX_TICKETS) this.sweep();
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = this.clock.now() + this.ttlMs;
    this.tickets.set(ticket, { ...grant, expiresAt });
    return { ticket, expiresAt };
  }

  /** Takes the ticket out (single use) and returns it if it was still valid. */
  consume(ticket: string): Ticket | null {
    const grant = this.tickets.get(ticket);
    if (!grant) return null;
    this.tickets.delete(ticket);
    return this.clock.now() < grant.expiresAt ? grant : null;
  }

  revokeSession(sessionId: string): void {
    for (const [t, g] of this.tickets) if (g.sessionId === sessionId) this.tickets.delete(t);
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [t, g] of this.tickets) if (now >= g.expiresAt) this.tickets.delete(t);
    // Still full of live tickets: drop the oldest (Map keeps insertion order).
    for (const t of this.tickets.keys()) {
      if (this.tickets.size < MAX_TICKETS) break;
      this.tickets.delete(t);
    }
  }

  get size(): number {
    return this.tickets.size;
  }
}
