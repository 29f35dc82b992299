/**
 * What we put in SignalData.payload (opaque to the server): the simple-peer signal, tagged with
 * the id of the peer connection it belongs to, so a replaced connection's late candidates are
 * never fed to its successor; the publisher's stream-id → kind map; or a receiver's restart request.
 */
import { z } from 'zod';

export const PeerPayload = z.object({
  /** The publisher-side peer connection this belongs to ('' in a restart request when we have none). */
  peer: z.string().max(64),
  signal: z.record(z.string(), z.unknown()).optional(),
  kinds: z.record(z.string(), z.enum(['camera', 'screen'])).optional(),
  /** Receiver → publisher: this connection failed or is missing; please build a new one. */
  restart: z.literal(true).optional(),
});
export type PeerPayload = z.infer<typeof PeerPayload>;
