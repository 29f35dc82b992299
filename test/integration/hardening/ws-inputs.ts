/**
 * Generated hostile WebSocket inputs (fast-check arbitraries) and the answer the server owes each.
 * Every input here must be *rejected*: schema-invalid (→ `error invalid_message`), valid but not
 * allowed for the sender's role or aimed at nobody (→ `error forbidden` / `not_found`), or a frame
 * that ends the socket (over 64 KiB → 1009; invalid UTF-8 in a text frame). Inputs the server would
 * accept are filtered out with the server's own check (JSON.parse + `ClientMessage.safeParse`).
 */
import fc from 'fast-check';
import { ClientMessage, MAX_MESSAGE_BYTES, type Role } from '../../../src-shared/signaling-protocol';

export type Expect = 'invalid_message' | 'forbidden' | 'not_found';
export type Input =
  | { kind: 'text'; data: string; expect: Expect; tag: string }
  | { kind: 'binary'; data: Buffer; expect: 'invalid_message'; tag: string }
  | { kind: 'closes'; data: string | Buffer; tag: string };

/**
 * Targets for refused messages. Only participants that stay connected throughout (not other fuzzers,
 * which reconnect after a closing frame): a target that is briefly absent answers not_found instead.
 */
export interface RoomIds {
  hostId: string;
  /** A panelist and an attendee that are connected the whole time. */
  panelistId: string;
  attendeeId: string;
  selfId: string;
}

const TYPES = ClientMessage.options.map((o) => o.shape.type.value as string);
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then'];

function acceptedByServer(text: string): boolean {
  try {
    return ClientMessage.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

/** JSON text built by hand so `__proto__` keys and duplicate keys survive into the wire format. */
const objectText = (entries: Array<[string, unknown]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v === undefined ? 'null' : JSON.stringify(v)}`).join(',')}}`;

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', '\udfff', '💥'.repeat(10), 'null', 'NaN', '-0', ...POLLUTION_KEYS),
);
const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('type', 'text', 'to', 'data', 'participantId', 'questionId', 'allowed', 'audio', 'role', ...POLLUTION_KEYS) }, weirdString);
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  weirdString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, [], {}),
  fc.constantFrom(...POLLUTION_KEYS).map((k) => JSON.parse(objectText([[k, { polluted: true, role: 'host' }]])) as unknown),
);

/** A message the schema accepts (used as a base for truncation and for wrong-field mutations). */
const someId = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 64 }));
const bool = fc.boolean();
const validShape: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('signal'), to: someId, data: fc.record({ publisherId: someId, payload: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }) }),
  fc.record({ type: fc.constant('chat.send'), text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }) }),
  fc.record({ type: fc.constantFrom('hand.raise', 'hand.lower', 'webinar.end') }),
  fc.record({ type: fc.constant('qa.ask'), text: fc.string({ minLength: 1, maxLength: 100 }) }),
  fc.record({ type: fc.constant('qa.answer'), questionId: someId, text: fc.string({ minLength: 1, maxLength: 50 }) }),
  fc.record({ type: fc.constant('qa.dismiss'), questionId: someId }),
  fc.record({ type: fc.constantFrom('participant.promote', 'participant.demote', 'participant.remove', 'participant.mute'), participantId: someId }),
  fc.record({ type: fc.constant('media.state'), audio: bool, video: bool, screen: bool }),
  fc.record({ type: fc.constant('chat.allowAttendees'), allowed: bool }),
);

/** Valid-looking messages with one thing wrong: a field of the wrong type, an extra or a missing field. */
const wrongField = fc.tuple(validShape, fc.nat(), key, value, fc.nat(3)).map(([m, i, k, v, how]) => {
  const entries = Object.entries(m);
  const at = i % entries.length;
  if (how === 0) entries[at] = [entries[at]![0], v]; // wrong type/value
  else if (how === 1) entries.push([k, v]); // extra (possibly __proto__) field
  else if (how === 2 && entries.length > 1) entries.splice(Math.max(1, at), 1); // missing field
  else entries.unshift(['type', v]); // duplicate `type`, the last one wins in JSON.parse
  return objectText(entries);
});

const randomObject = fc
  .tuple(fc.option(fc.constantFrom(...TYPES, 'admin.grant', 'Chat.Send', 'chat.send ', ''), { nil: undefined }), fc.array(fc.tuple(key, value), { maxLength: 5 }))
  .map(([type, rest]) => objectText(type === undefined ? rest : [['type', type], ...rest]));

const deep = fc.tuple(fc.integer({ min: 50, max: 10_000 }), fc.constantFrom('array', 'object', 'text')).map(([d, how]) => {
  if (how === 'array') return '['.repeat(d) + ']'.repeat(d);
  if (how === 'object') return '{"type":"chat.send","text":' + '{"a":'.repeat(d) + '1' + '}'.repeat(d + 1);
  return '{"type":"signal","to":"x","data":{"publisherId":"x","payload":' + '{"__proto__":'.repeat(d) + '{}' + '}'.repeat(d) + '}}';
});

/** Big but under the 64 KiB frame limit: answered with invalid_message, not a close. */
const huge = fc
  .tuple(fc.integer({ min: 2_001, max: MAX_MESSAGE_BYTES - 200 }), fc.constantFrom('x', 'é', '💥', '\u0000', '"'), fc.constantFrom('chat', 'qa', 'numbers', 'keys'))
  .map(([n, ch, how]) => {
    const count = Math.floor((n - 60) / (Buffer.byteLength(JSON.stringify(ch)) - 2));
    if (how === 'chat') return JSON.stringify({ type: 'chat.send', text: ch.repeat(count) });
    if (how === 'qa') return JSON.stringify({ type: 'qa.ask', text: ch.repeat(Math.max(501, Math.floor(count / 2))) });
    if (how === 'numbers') return `{"type":"media.state","audio":[${Array(Math.floor(n / 8)).fill('1e999999').join(',')}]}`;
    return `{"type":"hand.raise",${Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  });

const truncated = fc.tuple(validShape, fc.nat()).map(([m, i]) => {
  const s = JSON.stringify(m);
  return s.slice(0, i % s.length);
});
const notJson = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), truncated, fc.constantFrom('', 'undefined', 'NaN', "{'type':'hand.raise'}", '{"type":"hand.raise"', '\ufeff{}'));

const schemaInvalid: fc.Arbitrary<Input> = fc
  .oneof(
    { weight: 6, arbitrary: wrongField },
    { weight: 5, arbitrary: randomObject },
    { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 4, arbitrary: notJson },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: huge },
  )
  .filter((s) => Buffer.byteLength(s) <= MAX_MESSAGE_BYTES && !acceptedByServer(s))
  .map((data) => ({ kind: 'text' as const, data, expect: 'invalid_message' as const, tag: 'schema' }));

const binary: fc.Arbitrary<Input> = fc
  .oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), validShape.map((m) => Buffer.from(JSON.stringify(m))))
  .map((data) => ({ kind: 'binary' as const, data, expect: 'invalid_message' as const, tag: 'binary' }));

const closing: fc.Arbitrary<Input> = fc.oneof(
  fc.integer({ min: MAX_MESSAGE_BYTES + 1, max: MAX_MESSAGE_BYTES * 4 }).map((n) => ({ kind: 'closes' as const, data: JSON.stringify({ type: 'chat.send', text: 'x'.repeat(n) }), tag: 'oversize' })),
  // A text frame whose bytes are not UTF-8 (a lone continuation byte, an overlong NUL, a bare surrogate).
  fc.constantFrom(Buffer.from([0x7b, 0x80, 0x7d]), Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80])).map((data) => ({ kind: 'closes' as const, data, tag: 'bad-utf8' })),
);

/** Valid messages this role may not send, or that target nobody: one error each, nothing else. */
function refusedFor(role: Role, ids: RoomIds): fc.Arbitrary<Input> {
  const unknown = fc.uuid();
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 });
  const m = (arb: fc.Arbitrary<Record<string, unknown>>, expect: Expect) =>
    arb.map((msg) => JSON.stringify(msg)).filter(acceptedByServer).map((data) => ({ kind: 'text' as const, data, expect, tag: `refused:${role}` }));
  const anyone = fc.constantFrom(ids.hostId, ids.panelistId, ids.attendeeId, ids.selfId);
  const manage = fc.constantFrom('participant.promote', 'participant.demote', 'participant.remove', 'participant.mute');
  const common = [
    m(fc.record({ type: fc.constant('signal'), to: unknown, data: fc.record({ publisherId: fc.constant(ids.hostId), payload: fc.constant({ sdp: 'x' }) }) }), 'not_found'),
    m(fc.record({ type: fc.constant('signal'), to: fc.constant(ids.selfId), data: fc.record({ publisherId: fc.constant(ids.selfId), payload: fc.constant({}) }) }), 'forbidden'),
  ];
  if (role === 'attendee') {
    return fc.oneof(
      ...common,
      m(fc.record({ type: fc.constant('chat.send'), text }), 'forbidden'), // attendee chat is off in this room
      m(fc.record({ type: fc.constantFrom('qa.answer'), questionId: unknown, text: fc.constant('a') }), 'forbidden'),
      m(fc.record({ type: fc.constant('qa.dismiss'), questionId: unknown }), 'forbidden'),
      m(fc.record({ type: manage, participantId: anyone }), 'forbidden'),
      m(fc.record({ type: fc.constant('media.state'), audio: fc.constant(true), video: bool, screen: bool }), 'forbidden'),
      m(fc.record({ type: fc.constant('chat.allowAttendees'), allowed: bool }), 'forbidden'),
      m(fc.record({ type: fc.constant('webinar.end') }), 'forbidden'),
      m(fc.record({ type: fc.constant('signal'), to: fc.constant(ids.attendeeId), data: fc.record({ publisherId: fc.constantFrom(ids.selfId, ids.attendeeId, ids.hostId), payload: fc.constant({}) }) }), 'forbidden'),
      m(fc.record({ type: fc.constant('signal'), to: fc.constant(ids.panelistId), data: fc.record({ publisherId: fc.constant(ids.selfId), payload: fc.constant({}) }) }), 'forbidden'),
    );
  }
  if (role === 'panelist') {
    return fc.oneof(
      ...common,
      m(fc.record({ type: fc.constantFrom('hand.raise', 'hand.lower') }), 'forbidden'),
      m(fc.record({ type: fc.constant('qa.ask'), text }), 'forbidden'),
      m(fc.record({ type: manage, participantId: anyone }), 'forbidden'),
      m(fc.record({ type: fc.constant('chat.allowAttendees'), allowed: bool }), 'forbidden'),
      m(fc.record({ type: fc.constant('webinar.end') }), 'forbidden'),
      m(fc.record({ type: fc.constant('qa.answer'), questionId: unknown, text: fc.constant('a') }), 'not_found'),
      m(fc.record({ type: fc.constant('qa.dismiss'), questionId: unknown }), 'not_found'),
    );
  }
  return fc.oneof(
    ...common,
    m(fc.record({ type: fc.constantFrom('hand.raise', 'hand.lower') }), 'forbidden'),
    m(fc.record({ type: fc.constant('qa.ask'), text }), 'forbidden'),
    m(fc.record({ type: manage, participantId: unknown }), 'not_found'),
    m(fc.record({ type: fc.constant('participant.promote'), participantId: fc.constant(ids.panelistId) }), 'forbidden'),
    m(fc.record({ type: fc.constantFrom('participant.demote', 'participant.mute'), participantId: fc.constant(ids.attendeeId) }), 'forbidden'),
    m(fc.record({ type: fc.constant('participant.remove'), participantId: fc.constant(ids.hostId) }), 'forbidden'),
    m(fc.record({ type: fc.constant('qa.answer'), questionId: unknown, text: fc.constant('a') }), 'not_found'),
    m(fc.record({ type: fc.constant('qa.dismiss'), questionId: unknown }), 'not_found'),
  );
}

/** `count` inputs for a sender of `role`; about 1 in 500 ends the socket. */
export function inputsFor(role: Role, ids: RoomIds, count: number, seed: number): Input[] {
  const arb = fc.oneof(
    { weight: 700, arbitrary: schemaInvalid },
    { weight: 200, arbitrary: refusedFor(role, ids) },
    { weight: 100, arbitrary: binary },
    { weight: 2, arbitrary: closing },
  );
  return fc.sample(arb, { numRuns: count, seed });
}
