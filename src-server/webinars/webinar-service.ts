/** Who a user is in a webinar, and the webinar's public shape. Shared by the HTTP routes and signaling. */
import type { Role, WebinarInfo, WebinarResponse } from '../../src-shared/signaling-protocol';
import type { WebinarRow, WebinarStore } from '../store/webinars';

export function toWebinarResponse(row: WebinarRow): WebinarResponse {
  return {
    id: row.id,
    title: row.title,
    hostId: row.host_id,
    startsAt: row.starts_at === null ? null : new Date(row.starts_at).toISOString(),
    status: row.status,
  };
}

export function toWebinarInfo(row: WebinarRow): WebinarInfo {
  return { ...toWebinarResponse(row), attendeeChat: row.attendee_chat === 1 };
}

/** The creator hosts; emails named (or promoted) as panelists are panelists; everyone else attends. */
export async function roleIn(store: WebinarStore, row: WebinarRow, user: { id: string; email: string }): Promise<Role> {
  if (row.host_id === user.id) return 'host';
  return (await store.isPanelist(row.id, user.email)) ? 'panelist' : 'attendee';
}
