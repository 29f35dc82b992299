/**
 * The one place an IPC payload is checked: channel known, sender trusted, payload parsed with the
 * channel's schema. Both the Electron wrapper and the desktop test harness call this, so the
 * harness exercises exactly the checks the app runs.
 */
import { ipcInvoke, type InvokeChannel, type InvokeRequest, type InvokeResponse, type IpcResult } from '../../src-shared/ipc-contract';
import { isTrustedSender, type IpcSender } from './sender-policy';

export type IpcHandler<C extends InvokeChannel> = (request: InvokeRequest<C>) => Promise<IpcResult<InvokeResponse<C>>>;
export type IpcHandlerTable = { [C in InvokeChannel]: IpcHandler<C> };

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(ipcInvoke, channel);
}

export async function dispatchInvoke(
  table: IpcHandlerTable,
  channel: unknown,
  payload: unknown,
  sender: IpcSender,
  appOrigin: string,
): Promise<IpcResult<unknown>> {
  if (!isTrustedSender(sender, appOrigin)) {
    return { ok: false, error: { code: 'forbidden_sender', message: 'IPC refused: not the app’s own top frame' } };
  }
  if (!isInvokeChannel(channel)) {
    return { ok: false, error: { code: 'invalid_payload', message: 'Unknown IPC channel' } };
  }
  const parsed = ipcInvoke[channel].request.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return { ok: false, error: { code: 'invalid_payload', message: `Invalid request${where}: ${first?.message ?? 'bad shape'}` } };
  }
  const handler = table[channel] as (req: unknown) => Promise<IpcResult<unknown>>;
  return handler(parsed.data);
}
