import "server-only";
import { asAppError, describeForLog, httpStatusOf, InvalidInputError } from "@/server/errors";

/** The one mapping from domain errors to HTTP: `{ error, code, ...details }` with its status. */
export function errorResponse(error: unknown): Response {
  const appError = asAppError(error);
  if (!appError) {
    console.error("[api] unexpected error:", describeForLog(error));
    return Response.json({ error: "Something went wrong on our side. It has been logged.", code: "internal" }, { status: 500 });
  }
  return Response.json(
    { error: appError.message, code: appError.code, ...appError.details },
    { status: httpStatusOf[appError.code], headers: appError.code === "unauthorized" ? { "WWW-Authenticate": "Bearer" } : undefined },
  );
}

/** Wraps a route handler so every thrown error is answered through errorResponse. */
export function handler<C>(fn: (request: Request, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      return await fn(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new InvalidInputError("The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
