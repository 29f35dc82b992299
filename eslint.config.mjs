// Lint enforces the process boundaries (DESIGN.md "Boundaries"): which layer may import which, and
// that raw ipcMain/ipcRenderer live only in the two typed IPC wrappers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'tty', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const nodePatterns = [{ group: ['node:*'], message: 'This layer runs without Node: no node: imports.' }];
const nodePaths = NODE_BUILTINS.map((name) => ({ name, message: 'This layer runs without Node.' }));
const electronPath = { name: 'electron', message: 'This layer must not depend on Electron.' };
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed IPC wrappers (src-main/ipc/ipc-main-wrapper.ts, src-preload/index.ts).',
};
const layer = (...names) => names.map((n) => ({ group: [`**/${n}/**`, `**/${n}`], message: `This layer may not import ${n}.` }));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', '.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { paths: [electronPath, ...nodePaths], patterns: [...nodePatterns, ...layer('src-main', 'src-preload', 'src-renderer', 'src-server')] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [electronPath, ...nodePaths], patterns: [...nodePatterns, ...layer('src-main', 'src-preload', 'src-server')] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc], patterns: layer('src-renderer', 'src-server') }] },
  },
  {
    files: ['src-main/ipc/ipc-main-wrapper.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layer('src-renderer', 'src-server') }] },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc, ...nodePaths], patterns: [...nodePatterns, ...layer('src-main', 'src-renderer', 'src-server')] }] },
  },
  {
    files: ['src-preload/index.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: nodePaths, patterns: [...nodePatterns, ...layer('src-main', 'src-renderer', 'src-server')] }] },
  },
  {
    files: ['src-server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronPath], patterns: layer('src-main', 'src-preload', 'src-renderer') }] },
  },
  {
    // The raw ipc objects cannot be reached another way either (e.g. require('electron').ipcMain).
    files: ['src-*/**/*.{ts,tsx}'],
    // The preload's test stands in for Electron's ipcRenderer, so it must name it.
    ignores: ['src-main/ipc/ipc-main-wrapper.ts', 'src-preload/index.ts', 'src-preload/index.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name=/^ipc(Main|Renderer)$/]", message: 'Use the typed IPC wrappers.' },
        { selector: "Identifier[name=/^ipc(Main|Renderer)$/]", message: 'Use the typed IPC wrappers.' },
      ],
    },
  },
);
