// Reads from the REST API for react-query, with the server's own error message on failure.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Turns a failed response into an ApiError carrying the server's `{ error }` message. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let message = `The server answered ${response.status} ${response.statusText}.`;
  let code: string | undefined;
  try {
    const body = (await response.json()) as { error?: string; code?: string };
    if (body?.error) message = body.error;
    code = body?.code;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(message, response.status, code);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: "no-store", headers: { accept: "application/json" } });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** Query keys, in one place so mutations invalidate exactly what they change. */
export const keys = {
  functions: ["functions"] as const,
  fn: (id: string) => ["function", id] as const,
  deployments: (id: string) => ["function", id, "deployments"] as const,
  deployment: (id: string, version: number) => ["function", id, "deployment", version] as const,
  logs: (id: string) => ["function", id, "logs"] as const,
  invocations: (id: string) => ["function", id, "invocations"] as const,
  storage: (id: string) => ["function", id, "storage"] as const,
  tokens: ["tokens"] as const,
};

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
