import "server-only";
import { requireOwner, type Owner } from "@/server/auth/owner";
import { asAppError, describeForLog } from "@/server/errors";

/** What every server action returns: data, or an error message for the form to show. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code?: string };

/** The one mapping from domain errors to server action results. */
export function actionError(error: unknown): { ok: false; error: string; code?: string } {
  const appError = asAppError(error);
  if (!appError) {
    console.error("[action] unexpected error:", describeForLog(error));
    return { ok: false, error: "Something went wrong on our side. It has been logged." };
  }
  return { ok: false, error: appError.message, code: appError.code };
}

/** A server action that runs for the signed-in owner, with errors mapped for the UI. */
export function ownerAction<A extends unknown[], T>(fn: (owner: Owner, ...args: A) => Promise<T>) {
  return async (...args: A): Promise<ActionResult<T>> => {
    try {
      const owner = await requireOwner();
      return { ok: true, data: await fn(owner, ...args) };
    } catch (error) {
      return actionError(error);
    }
  };
}
