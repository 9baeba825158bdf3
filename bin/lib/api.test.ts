import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ApiClient, errorFromResponse } from "./api.mjs";
import { EXIT } from "./errors.mjs";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("server errors", () => {
  it("keep the server's message and map each code to its exit code", async () => {
    const cases: [number, string, number][] = [
      [400, "invalid_input", EXIT.REJECTED],
      [404, "not_found", EXIT.NOT_FOUND],
      [409, "conflict", EXIT.REJECTED],
      [413, "payload_too_large", EXIT.REJECTED],
      [422, "build_failed", EXIT.BUILD_FAILED],
      [503, "unavailable", EXIT.UNAVAILABLE],
    ];
    for (const [status, code, exitCode] of cases) {
      const error = await errorFromResponse(json(status, { error: `reason for ${code}`, code }), "http://s");
      expect(error).toMatchObject({ message: `reason for ${code}`, code, exitCode, status });
    }
  });

  it("say how to sign in on 401", async () => {
    const error = await errorFromResponse(json(401, { error: "The API token is not valid.", code: "unauthorized" }), "http://s");
    expect(error.exitCode).toBe(EXIT.NOT_SIGNED_IN);
    expect(error.message).toMatch(/Not signed in to http:\/\/s: The API token is not valid\..*dart-cloud login/);
  });

  it("fall back on the status for answers that are not the API's error shape", async () => {
    const error = await errorFromResponse(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }), "http://s");
    expect(error).toMatchObject({ exitCode: EXIT.UNAVAILABLE, code: "http_502", message: "The server answered HTTP 502 Bad Gateway." });
    expect((await errorFromResponse(new Response("", { status: 500 }), "http://s")).exitCode).toBe(EXIT.UNEXPECTED);
  });

  it("keep extra fields of the error body as details", async () => {
    const error = await errorFromResponse(json(409, { error: "busy", code: "conflict", status: "building" }), "http://s");
    expect(error.details).toEqual({ status: "building" });
  });
});

describe("the API client", () => {
  it("says the server is unreachable when nothing listens", async () => {
    // Take a free port on 127.0.0.1, then close it so the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const api = new ApiClient({ url: `http://127.0.0.1:${port}`, token: "t" });
    await expect(api.listFunctions()).rejects.toMatchObject({ exitCode: EXIT.UNAVAILABLE, code: "unreachable", message: expect.stringMatching(/Cannot reach .*ECONNREFUSED/) });
  });

  it("refuses to call an authenticated endpoint without a token", async () => {
    const api = new ApiClient({ url: "http://127.0.0.1:9", token: null });
    await expect(api.listFunctions()).rejects.toMatchObject({ exitCode: EXIT.NOT_SIGNED_IN });
  });
});
