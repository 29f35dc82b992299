import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWebPreferences } from '../../../src-main/windows/web-preferences';

const root = join(__dirname, '..', '..', '..');

describe('electron-builder.yml', () => {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  it.each([
    ['runAsNode', 'false'],
    ['enableCookieEncryption', 'true'],
    ['enableNodeOptionsEnvironmentVariable', 'false'],
    ['enableNodeCliInspectArguments', 'false'],
    ['enableEmbeddedAsarIntegrityValidation', 'true'],
    ['onlyLoadAppFromAsar', 'true'],
  ])('sets the fuse %s: %s', (fuse, value) => {
    const section = yml.split('electronFuses:')[1] ?? '';
    expect(section).toMatch(new RegExp(`^\\s+${fuse}:\\s*${value}\\s*$`, 'm'));
  });
  it('builds AppImage, deb, dmg and nsis', () => {
    for (const target of ['AppImage', 'deb', 'dmg', 'nsis']) expect(yml).toContain(target);
    expect(yml).toMatch(/^appId: \S+/m);
  });
});

describe('createWebPreferences', () => {
  it('locks every window down', () => {
    expect(createWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(createWebPreferences('/p.cjs')).not.toHaveProperty('enableBlinkFeatures');
  });
});
