import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'aozrun', include: ['test/**/*.test.ts'] } },
      {
        // The language suites again with every section compiled to JavaScript before it runs
        // (src/interpreter/jit.ts): the second tier must pass what the interpreter passes.
        extends: true,
        test: {
          name: 'jit',
          include: [
            'test/golden.test.ts',
            'test/interpreter/**/*.test.ts',
            'test/repl/**/*.test.ts',
            'test/runtime/**/*.test.ts',
          ],
          env: { AOZRUN_JIT: 'always' },
        },
      },
    ],
  },
});
