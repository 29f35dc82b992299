/** Turns a service call into an IpcResult: handlers never throw across the bridge. */
import { IpcErrorCode, type IpcFailure, type IpcResult } from '../../src-shared/ipc-contract';

/** Errors that carry a renderer-safe code and message; anything else becomes a generic failure. */
export function toIpcFailure(error: unknown): IpcFailure {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const code = IpcErrorCode.safeParse((error as { code: unknown }).code);
    if (code.success) return { ok: false, error: { code: code.data, message: String((error as { message: unknown }).message) } };
  }
  // Unknown errors may carry internals (paths, tokens in URLs): never forward their text.
  return { ok: false, error: { code: 'unknown', message: 'Something went wrong. Please try again.' } };
}

export async function ipcResult<T>(work: () => Promise<T> | T): Promise<IpcResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return toIpcFailure(error);
  }
}
