import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src-*/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/fast-check-seed.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/fast-check-seed.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Each file starts its own server on a free loopback port; two cores, so keep it modest.
          maxWorkers: 2,
        },
      },
    ],
  },
});
