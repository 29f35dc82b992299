import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../src-shared/signaling-protocol';
import { INITIAL_CONNECTION_STATE, nextConnectionState, type ConnectionEvent, type ConnectionState } from './connection-state';

const run = (events: ConnectionEvent[], from: ConnectionState = INITIAL_CONNECTION_STATE) => events.reduce(nextConnectionState, from);

describe('connection state machine', () => {
  it('goes idle → connecting → live', () => {
    expect(run([{ type: 'start' }]).status).toBe('connecting');
    expect(run([{ type: 'start' }, { type: 'welcome' }])).toEqual({ status: 'live', attempt: 0 });
  });

  it('reconnects after an ordinary drop and counts failed attempts until live again', () => {
    const s = run([{ type: 'start' }, { type: 'welcome' }, { type: 'closed', code: 1006 }]);
    expect(s.status).toBe('reconnecting');
    expect(s.attempt).toBe(0);
    const s2 = run([{ type: 'closed', code: 1006 }, { type: 'ticket_failed', code: 'server_unreachable', message: 'x' }], s);
    expect(s2).toMatchObject({ status: 'reconnecting', attempt: 2 });
    expect(run([{ type: 'welcome' }], s2)).toEqual({ status: 'live', attempt: 0 });
  });

  it.each([
    [CloseCode.removed, 'removed'],
    [CloseCode.ended, 'webinar_ended'],
    [CloseCode.replaced, 'replaced'],
    [CloseCode.sessionRevoked, 'session_revoked'],
  ])('close code %i ends with %s', (code, reason) => {
    expect(run([{ type: 'start' }, { type: 'welcome' }, { type: 'closed', code }])).toMatchObject({ status: 'ended', endReason: reason });
  });

  it('rate limiting and oversize closes are retried', () => {
    for (const code of [CloseCode.rateLimited, CloseCode.tooLarge]) {
      expect(run([{ type: 'start' }, { type: 'welcome' }, { type: 'closed', code }]).status).toBe('reconnecting');
    }
  });

  it('forbidden / not_found tickets end; network failures retry', () => {
    expect(run([{ type: 'start' }, { type: 'ticket_failed', code: 'forbidden', message: 'no' }])).toMatchObject({ status: 'ended', endReason: 'forbidden' });
    expect(run([{ type: 'start' }, { type: 'ticket_failed', code: 'not_found', message: 'no' }])).toMatchObject({ status: 'ended', endReason: 'not_found' });
    expect(run([{ type: 'start' }, { type: 'ticket_failed', code: 'server_unreachable', message: 'no' }]).status).toBe('reconnecting');
  });

  it('ended is terminal', () => {
    const ended = run([{ type: 'start' }, { type: 'welcome' }, { type: 'webinar_ended' }]);
    expect(ended).toMatchObject({ status: 'ended', endReason: 'webinar_ended' });
    expect(run([{ type: 'welcome' }, { type: 'closed', code: 1006 }, { type: 'leave' }], ended)).toBe(ended);
  });

  it('leave ends from any live state', () => {
    expect(run([{ type: 'start' }, { type: 'leave' }])).toMatchObject({ status: 'ended', endReason: 'left' });
  });
});
