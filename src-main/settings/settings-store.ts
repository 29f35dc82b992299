/**
 * Non-secret preferences (the chosen server URL) in a JSON file in the user data dir. Secrets
 * never come here: they live in the OS keychain.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

const Settings = z.object({ serverUrl: z.string().optional() });
export type Settings = z.infer<typeof Settings>;

export class SettingsStore {
  constructor(private readonly file: string) {}

  async read(): Promise<Settings> {
    try {
      const parsed = Settings.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  async update(patch: Settings): Promise<void> {
    const next = { ...(await this.read()), ...patch };
    await mkdir(dirname(this.file), { recursive: true });
    // Write-then-rename so a crash never leaves half a file.
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
