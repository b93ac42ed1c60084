import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One PostgreSQL server for the run; every test file creates its own databases on it.
    globalSetup: ["test/support/postgres-global-setup.ts"],
  },
});
