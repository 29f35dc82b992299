import { describe, expect, it } from 'vitest';
import { allLinks, diffSets, linkKey, planLinks } from './peer-plan';

const room = [
  { id: 'h', role: 'host' as const },
  { id: 'p', role: 'panelist' as const },
  { id: 'a1', role: 'attendee' as const },
  { id: 'a2', role: 'attendee' as const },
];

describe('peer plan', () => {
  it('a publishing host sends to everyone else and receives from the other publishers', () => {
    const plan = planLinks({ selfId: 'h', participants: room, selfPublishing: true });
    expect([...plan.sendTo].sort()).toEqual(['a1', 'a2', 'p']);
    expect([...plan.receiveFrom]).toEqual(['p']);
  });

  it('a publisher with no local media sends nothing yet', () => {
    expect(planLinks({ selfId: 'h', participants: room, selfPublishing: false }).sendTo.size).toBe(0);
  });

  it('an attendee never sends, even with local media, and receives from every publisher', () => {
    const plan = planLinks({ selfId: 'a1', participants: room, selfPublishing: true });
    expect(plan.sendTo.size).toBe(0);
    expect([...plan.receiveFrom].sort()).toEqual(['h', 'p']);
  });

  it('promotion turns an attendee into a sender to everyone', () => {
    const promoted = room.map((p) => (p.id === 'a1' ? { ...p, role: 'panelist' as const } : p));
    const plan = planLinks({ selfId: 'a1', participants: promoted, selfPublishing: true });
    expect([...plan.sendTo].sort()).toEqual(['a2', 'h', 'p']);
    // and the other attendee now receives from a1 too
    expect([...planLinks({ selfId: 'a2', participants: promoted, selfPublishing: false }).receiveFrom].sort()).toEqual(['a1', 'h', 'p']);
  });

  it('counts links as publishers × (N − 1)', () => {
    expect(allLinks(room)).toHaveLength(2 * 3);
    expect(allLinks(room)).toContain(linkKey('h', 'p'));
    expect(allLinks(room)).toContain(linkKey('p', 'h'));
  });

  it('diffSets', () => {
    expect(diffSets(['a', 'b'], new Set(['b', 'c']))).toEqual({ add: ['c'], remove: ['a'] });
  });
});
