import { expect, it } from "vitest";
import { TimeoutError, TooManyRequestsError } from "../errors";
import { ConcurrencyGate } from "./concurrency-gate";

it("admits up to the limit, queues in order, and turns away beyond the queue", async () => {
  const gate = new ConcurrencyGate(1, 2);
  const first = await gate.acquire("fn", 1_000);
  const order: string[] = [];
  const second = gate.acquire("fn", 1_000).then((release) => (order.push("second"), release));
  const third = gate.acquire("fn", 1_000).then((release) => (order.push("third"), release));
  await expect(gate.acquire("fn", 1_000)).rejects.toBeInstanceOf(TooManyRequestsError);
  expect([gate.inUse, gate.queued]).toEqual([1, 2]);

  first();
  first(); // releasing twice frees one slot only
  (await second)();
  (await third)();
  expect(order).toEqual(["second", "third"]);
  expect([gate.inUse, gate.queued]).toEqual([0, 0]);
});

it("gives up waiting after the deadline or when the caller aborts", async () => {
  const gate = new ConcurrencyGate(1, 5);
  const held = await gate.acquire("fn", 1_000);
  await expect(gate.acquire("fn", 20)).rejects.toBeInstanceOf(TimeoutError);
  const controller = new AbortController();
  const waiting = gate.acquire("fn", 1_000, controller.signal);
  controller.abort(new Error("client left"));
  await expect(waiting).rejects.toThrow("client left");
  expect(gate.queued).toBe(0);
  held();
  expect(gate.inUse).toBe(0);
});

it("admits waiters when the limit is raised", async () => {
  const gate = new ConcurrencyGate(1, 5);
  await gate.acquire("fn", 1_000);
  const waiting = gate.acquire("fn", 1_000);
  gate.setLimits(2, 5);
  await expect(waiting).resolves.toBeTypeOf("function");
  expect(gate.inUse).toBe(2);
});
