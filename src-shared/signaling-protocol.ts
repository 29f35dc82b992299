/**
 * Every WebSocket message between the app and the server, as zod schemas shared by both sides.
 * Documented in docs/PROTOCOL.md. Messages are JSON objects with a `type`.
 */
import { z } from 'zod';

export const Role = z.enum(['host', 'panelist', 'attendee']);
export type Role = z.infer<typeof Role>;

export const Id = z.string().min(1).max(64);

export const MediaState = z.object({ audio: z.boolean(), video: z.boolean(), screen: z.boolean() }).strict();
export type MediaState = z.infer<typeof MediaState>;

export const Participant = z.object({
  /** The participant id is the user id: one participant per user per webinar (a reconnect resumes it). */
  id: Id,
  displayName: z.string(),
  role: Role,
  handRaised: z.boolean(),
  media: MediaState,
  /** Set by the host: the panelist's microphone is muted until they unmute it themselves. */
  mutedByHost: z.boolean(),
});
export type Participant = z.infer<typeof Participant>;

export const WebinarStatus = z.enum(['scheduled', 'live', 'ended']);
export const WebinarInfo = z.object({
  id: Id,
  title: z.string(),
  hostId: Id,
  startsAt: z.iso.datetime().nullable(),
  status: WebinarStatus,
  attendeeChat: z.boolean(),
});
export type WebinarInfo = z.infer<typeof WebinarInfo>;

export const Author = z.object({ id: Id, displayName: z.string(), role: Role });

export const CHAT_MAX = 2000;
export const QUESTION_MAX = 500;
export const ChatText = z.string().trim().min(1).max(CHAT_MAX);
export const QuestionText = z.string().trim().min(1).max(QUESTION_MAX);

export const ChatMessage = z.object({ id: Id, from: Author, text: z.string(), ts: z.number() });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Question = z.object({
  id: Id,
  from: Author,
  text: z.string(),
  ts: z.number(),
  status: z.enum(['open', 'answered', 'dismissed']),
  answer: z.object({ text: z.string(), by: Author, ts: z.number() }).nullable(),
});
export type Question = z.infer<typeof Question>;

/** SDP/ICE from simple-peer, opaque to the server, tagged with whose media the connection carries. */
export const SignalData = z
  .object({
    publisherId: Id,
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SignalData = z.infer<typeof SignalData>;

// ---- session clock and media time (issue 4) -------------------------------------------------------

/**
 * Session-clock milliseconds (the server's epoch clock as the sender estimates it) of the media the
 * sender was seeing when it acted: a publisher its live media, a viewer now minus its own
 * presentation delay. Optional everywhere (older clients omit it). The server never trusts it for
 * ordering or storage; it relays a sane value (see MEDIA_TIME_*).
 */
export const MediaTime = z.number();
/** A relayed mediaTime may be at most this far in the server's future, ms; beyond it → serverTime. */
export const MEDIA_TIME_MAX_AHEAD_MS = 1_000;
/** A relayed mediaTime may be at most this far in the server's past, ms; beyond it → serverTime. */
export const MEDIA_TIME_MAX_BEHIND_MS = 10_000;

/**
 * The mediaTime the server relays: the sender's value when it is within
 * [serverTime − MEDIA_TIME_MAX_BEHIND_MS, serverTime + MEDIA_TIME_MAX_AHEAD_MS], else serverTime
 * (absent, or a sender whose clock is not synced yet / is broken: treated as live).
 */
export function saneMediaTime(mediaTime: number | undefined, serverTime: number): number {
  if (mediaTime === undefined || !Number.isFinite(mediaTime)) return serverTime;
  if (mediaTime > serverTime + MEDIA_TIME_MAX_AHEAD_MS || mediaTime < serverTime - MEDIA_TIME_MAX_BEHIND_MS) return serverTime;
  return mediaTime;
}

/** Ping ids are the client's own counter; t0 is its local clock when sending (echoed untouched). */
export const ClockPing = z.object({ type: z.literal('clock.ping'), id: z.number().int().nonnegative(), t0: z.number() }).strict();

// ---- client → server ------------------------------------------------------------------------------

const empty = <T extends string>(type: T) => z.object({ type: z.literal(type) }).strict();
const timedEmpty = <T extends string>(type: T) => z.object({ type: z.literal(type), mediaTime: MediaTime.optional() }).strict();

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('signal'), to: Id, data: SignalData }).strict(),
  ClockPing,
  z.object({ type: z.literal('chat.send'), text: ChatText, mediaTime: MediaTime.optional() }).strict(),
  empty('hand.raise'),
  empty('hand.lower'),
  z.object({ type: z.literal('qa.ask'), text: QuestionText, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('qa.answer'), questionId: Id, text: QuestionText, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('qa.dismiss'), questionId: Id, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('participant.promote'), participantId: Id, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('participant.demote'), participantId: Id, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('participant.remove'), participantId: Id, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('participant.mute'), participantId: Id, mediaTime: MediaTime.optional() }).strict(),
  z.object({ type: z.literal('media.state'), audio: z.boolean(), video: z.boolean(), screen: z.boolean() }).strict(),
  z.object({ type: z.literal('chat.allowAttendees'), allowed: z.boolean(), mediaTime: MediaTime.optional() }).strict(),
  timedEmpty('webinar.end'),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];

// ---- server → client ------------------------------------------------------------------------------

export const ErrorCode = z.enum(['forbidden', 'invalid_message', 'rate_limited', 'not_found']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    self: Participant,
    participants: z.array(Participant),
    chat: z.array(ChatMessage),
    questions: z.array(Question),
    webinar: WebinarInfo,
    serverTime: z.number(),
  }),
  z.object({ type: z.literal('participant.joined'), participant: Participant }),
  // mediaTime (optional on every broadcast below): present when the change came from a client
  // message that can carry one (a host action, Q&A, chat), already made sane by the server.
  z.object({ type: z.literal('participant.left'), participantId: Id, reason: z.enum(['left', 'removed', 'disconnected']), mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('participant.updated'), participant: Participant, mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('signal'), from: Id, data: SignalData }),
  z.object({ type: z.literal('chat.message'), id: Id, from: Author, text: z.string(), ts: z.number(), mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('qa.question'), question: Question, mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('qa.answered'), question: Question, mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('webinar.updated'), webinar: WebinarInfo, mediaTime: MediaTime.optional() }),
  z.object({ type: z.literal('webinar.ended'), webinar: WebinarInfo, mediaTime: MediaTime.optional() }),
  /** Answer to clock.ping, to its sender only: id and t0 echoed, serverTime read just before sending. */
  z.object({ type: z.literal('clock.pong'), id: z.number().int().nonnegative(), t0: z.number(), serverTime: z.number() }),
  z.object({ type: z.literal('error'), code: ErrorCode, message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** WebSocket close codes the server uses (4000–4999 are application codes). */
export const CloseCode = {
  tooLarge: 1009,
  removed: 4001,
  ended: 4002,
  replaced: 4003,
  sessionRevoked: 4004,
  rateLimited: 4008,
} as const;

export const MAX_MESSAGE_BYTES = 64 * 1024;

// ---- HTTP: webinars --------------------------------------------------------------------------------

export const CreateWebinarRequest = z.object({ title: z.string().trim().min(1).max(200), startsAt: z.iso.datetime().optional() }).strict();
export const AddPanelistRequest = z.object({ email: z.email().max(254) }).strict();
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;
export const JoinResponse = z.object({ ticket: z.string(), wsUrl: z.string(), role: Role, iceServers: z.array(IceServer) });
export type JoinResponse = z.infer<typeof JoinResponse>;
export const WebinarResponse = z.object({ id: Id, title: z.string(), hostId: Id, startsAt: z.iso.datetime().nullable(), status: WebinarStatus });
export type WebinarResponse = z.infer<typeof WebinarResponse>;
export const WebinarListResponse = z.object({ webinars: z.array(WebinarResponse.extend({ role: Role.optional() })) });
