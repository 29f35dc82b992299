/**
 * Which one-way media connections should exist, from the participant list (pure).
 *
 * Topology: each publisher (host, panelists) sends to each other participant; the publisher
 * initiates. A link is keyed by (publisherId, receiverId). Attendees publish nothing until promoted.
 */
import type { Role } from '../../src-shared/signaling-protocol';

export type StreamKind = 'camera' | 'screen';

export function isPublisherRole(role: Role): boolean {
  return role === 'host' || role === 'panelist';
}

export function linkKey(publisherId: string, receiverId: string): string {
  return `${publisherId}>${receiverId}`;
}

export interface PlanInput {
  selfId: string;
  participants: readonly { id: string; role: Role }[];
  /** True when we have local tracks to send (and a publisher role). */
  selfPublishing: boolean;
}

export interface LinkPlan {
  /** Receivers we send to (we are their publisher). */
  sendTo: Set<string>;
  /** Publishers we receive from. */
  receiveFrom: Set<string>;
}

export function planLinks({ selfId, participants, selfPublishing }: PlanInput): LinkPlan {
  const self = participants.find((p) => p.id === selfId);
  const sending = selfPublishing && !!self && isPublisherRole(self.role);
  const sendTo = new Set<string>();
  const receiveFrom = new Set<string>();
  for (const p of participants) {
    if (p.id === selfId) continue;
    if (sending) sendTo.add(p.id);
    if (isPublisherRole(p.role)) receiveFrom.add(p.id);
  }
  return { sendTo, receiveFrom };
}

/** Set difference helpers for reconciling current links with a plan. */
export function diffSets(current: Iterable<string>, wanted: ReadonlySet<string>): { add: string[]; remove: string[] } {
  const have = new Set(current);
  return { add: [...wanted].filter((id) => !have.has(id)), remove: [...have].filter((id) => !wanted.has(id)) };
}

/** Every (publisher, receiver) link in a room, for documentation and tests: n publishers × (N − 1). */
export function allLinks(participants: readonly { id: string; role: Role }[]): string[] {
  const out: string[] = [];
  for (const pub of participants) {
    if (!isPublisherRole(pub.role)) continue;
    for (const rec of participants) if (rec.id !== pub.id) out.push(linkKey(pub.id, rec.id));
  }
  return out;
}
