import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // server-only guards Next bundles; in tests the server modules are imported directly.
      "server-only": path.resolve(__dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["server/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/s3-setup.ts"],
    pool: "forks",
    // Integration tests share one Docker Engine, whose containers the runtime reconciles: one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
