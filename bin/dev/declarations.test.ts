import { describe, expect, it } from "vitest";
import { emitDeclarations, staleDeclarations } from "./declarations.mjs";

describe("the CLI's JSDoc types", () => {
  it("type-check, and the committed .d.mts files match them", async () => {
    const { diagnostics, declarations } = emitDeclarations();
    expect(diagnostics).toEqual([]);
    expect(declarations.size).toBeGreaterThan(10);
    // When this fails after changing a module: node bin/dev/declarations.mjs --write
    expect(await staleDeclarations(declarations)).toEqual([]);
  });
});
