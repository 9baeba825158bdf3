import "server-only";
import { getDb } from "../db/client";
import { invocations } from "../db/schema";

// Invocation history is written off the request path: rows are buffered in memory and
// written with one multi-row INSERT per second (or per BATCH_SIZE rows). A database outage
// keeps rows for later, up to MAX_BUFFERED, and never reaches the caller.

export type InvocationRecord = {
  functionId: string;
  deploymentId: string | null;
  version: number;
  statusCode: number;
  durationMs: number;
};

type Row = typeof invocations.$inferInsert;

const FLUSH_INTERVAL_MS = 1_000;
const BATCH_SIZE = 500;
/** Beyond this many unwritten rows (a long DB outage) the oldest are dropped. */
const MAX_BUFFERED = 20_000;

type RecorderState = {
  buffer: Row[];
  timer?: NodeJS.Timeout;
  flushing?: Promise<number>;
  /** Set while writes fail, so an outage logs once instead of every second. */
  failing: boolean;
  dropped: number;
};

// One buffer per process, even if Next loads this module in several bundles.
const g = globalThis as unknown as { __dartCloudInvocations?: RecorderState };
const state = (g.__dartCloudInvocations ??= { buffer: [], failing: false, dropped: 0 });

/** Queues one invocation for writing. Cheap and synchronous; never throws. */
export function recordInvocation(record: InvocationRecord): void {
  state.buffer.push({
    functionId: record.functionId,
    deploymentId: record.deploymentId,
    version: record.version,
    statusCode: record.statusCode,
    durationMs: Math.max(0, Math.round(record.durationMs)),
    createdAt: new Date(),
  });
  if (state.buffer.length > MAX_BUFFERED) {
    const excess = state.buffer.length - MAX_BUFFERED;
    state.buffer.splice(0, excess);
    state.dropped += excess;
  }
  if (state.buffer.length >= BATCH_SIZE) void flushInvocations();
  else if (!state.timer) {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void flushInvocations();
    }, FLUSH_INTERVAL_MS);
    state.timer.unref();
  }
}

/**
 * Writes everything buffered so far; resolves with the number of rows written. Never throws:
 * on failure the rows stay buffered for the next attempt. Call on shutdown and in tests.
 */
export async function flushInvocations(): Promise<number> {
  while (state.flushing) await state.flushing.catch(() => 0);
  if (state.buffer.length === 0) return 0;
  state.flushing = writeAll();
  try {
    return await state.flushing;
  } finally {
    state.flushing = undefined;
  }
}

/** Rows waiting to be written (for health and tests). */
export function pendingInvocations(): number {
  return state.buffer.length;
}

async function writeAll(): Promise<number> {
  let written = 0;
  while (state.buffer.length > 0) {
    const batch = state.buffer.splice(0, BATCH_SIZE);
    try {
      written += await writeBatch(batch);
      if (state.failing) console.warn("[invocations] writing invocation history works again");
      state.failing = false;
    } catch (error) {
      state.buffer.unshift(...batch);
      if (!state.failing) console.warn(`[invocations] could not write invocation history, will retry: ${(error as Error).message}`);
      state.failing = true;
      scheduleRetry();
      break;
    }
  }
  if (state.dropped > 0) {
    console.warn(`[invocations] dropped ${state.dropped} invocation rows while the database was unavailable`);
    state.dropped = 0;
  }
  return written;
}

async function writeBatch(batch: Row[]): Promise<number> {
  const db = await getDb();
  try {
    await db.insert(invocations).values(batch);
    return batch.length;
  } catch (error) {
    if (!isForeignKeyViolation(error)) throw error;
    // A function deleted since its invocation fails the whole batch: write rows one by one and
    // drop those whose function is gone, so one stale row cannot block the rest forever.
    // Written or dropped rows leave `batch`, so a later failure re-queues only the rest.
    let written = 0;
    while (batch.length > 0) {
      try {
        await db.insert(invocations).values(batch[0]);
        written++;
      } catch (rowError) {
        if (!isForeignKeyViolation(rowError)) throw rowError;
      }
      batch.shift();
    }
    return written;
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "23503" || e?.cause?.code === "23503";
}

function scheduleRetry(): void {
  if (state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void flushInvocations();
  }, FLUSH_INTERVAL_MS * 5);
  state.timer.unref();
}
