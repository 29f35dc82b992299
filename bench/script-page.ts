/**
 * A bare page on loopback that loads one script: what the benchmarks' browser pages run in.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptPage {
  origin: string;
  close(): void;
}

/** Serves `script` at `/<name>` and, at every other path, an empty page that loads it. */
export async function serveScriptPage(name: string, script: string | Buffer, bodyStyle = ''): Promise<ScriptPage> {
  const server = createServer((req, res) => {
    if (req.url === `/${name}`) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html><body${bodyStyle ? ` style="${bodyStyle}"` : ''}><script src="/${name}"></script></body></html>`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
