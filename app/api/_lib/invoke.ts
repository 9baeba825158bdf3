import "server-only";
import { invokeFunction } from "@/server/deployments/invoke-function";
import { handler } from "./respond";

type Params = { id: string; version?: string; path?: string[] };

/** One handler for every HTTP method of the invoke routes. */
export function invokeHandlers() {
  const handle = handler(async (request, { params }: { params: Promise<Params> }) => {
    const { id, version, path } = await params;
    return invokeFunction(request, id, path, version);
  });
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
