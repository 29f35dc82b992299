/**
 * The signaling connection's state machine, pure: the SignalClient feeds it events and acts on the
 * state it returns. States: idle → connecting → live ⇄ reconnecting → ended (terminal).
 */
import { CloseCode } from '../../src-shared/signaling-protocol';

export type ConnectionStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'ended';

/** Why a connection ended for good. */
export type EndReason = 'left' | 'webinar_ended' | 'removed' | 'replaced' | 'session_revoked' | 'forbidden' | 'not_found' | 'failed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last time we were live (drives the backoff). */
  attempt: number;
  /** Set when status is 'ended'. */
  endReason?: EndReason;
  /** A human-readable reason for the last drop, shown while reconnecting or ended. */
  detail?: string;
}

export type ConnectionEvent =
  | { type: 'start' }
  /** The server's welcome arrived: we are in the room. */
  | { type: 'welcome' }
  /** The socket closed (or could not open). `code` is the WebSocket close code, if any. */
  | { type: 'closed'; code?: number; reason?: string }
  /** Getting a ticket failed. `code` is the IpcErrorCode. */
  | { type: 'ticket_failed'; code: string; message: string }
  /** The server told us the webinar ended. */
  | { type: 'webinar_ended' }
  | { type: 'leave' }
  /** Too many failed attempts in a row. */
  | { type: 'give_up' };

export const INITIAL_CONNECTION_STATE: ConnectionState = { status: 'idle', attempt: 0 };

/** Close codes after which reconnecting is pointless (the server will refuse or it is over). */
export function terminalCloseReason(code: number | undefined): EndReason | null {
  switch (code) {
    case CloseCode.removed:
      return 'removed';
    case CloseCode.ended:
      return 'webinar_ended';
    case CloseCode.replaced:
      return 'replaced';
    case CloseCode.sessionRevoked:
      return 'session_revoked';
    default:
      return null;
  }
}

/** Ticket errors after which retrying cannot help. */
export function terminalTicketReason(code: string): EndReason | null {
  if (code === 'forbidden') return 'forbidden';
  if (code === 'not_found') return 'not_found';
  if (code === 'not_signed_in') return 'session_revoked';
  return null;
}

export function nextConnectionState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (state.status === 'ended') return state;
  switch (event.type) {
    case 'start':
      return state.status === 'idle' ? { status: 'connecting', attempt: 0 } : state;
    case 'welcome':
      return { status: 'live', attempt: 0 };
    case 'closed': {
      const terminal = terminalCloseReason(event.code);
      if (terminal) return { status: 'ended', attempt: state.attempt, endReason: terminal, detail: event.reason };
      return { status: 'reconnecting', attempt: state.status === 'live' ? 0 : state.attempt + 1, detail: event.reason || `connection closed (${event.code ?? 'no code'})` };
    }
    case 'ticket_failed': {
      const terminal = terminalTicketReason(event.code);
      if (terminal) return { status: 'ended', attempt: state.attempt, endReason: terminal, detail: event.message };
      return { status: 'reconnecting', attempt: state.attempt + 1, detail: event.message };
    }
    case 'webinar_ended':
      return { status: 'ended', attempt: state.attempt, endReason: 'webinar_ended' };
    case 'leave':
      return { status: 'ended', attempt: state.attempt, endReason: 'left' };
    case 'give_up':
      return { status: 'ended', attempt: state.attempt, endReason: 'failed', detail: state.detail };
  }
}
