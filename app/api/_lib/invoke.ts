import "server-only";
import { invokeFunction } from "@/server/deployments/invoke-function";
import { errorResponse } from "./respond";

type Params = { id: string; version?: string; path?: string[] };

/** One handler for every HTTP method of the invoke routes. */
export function invokeHandlers() {
  const handle = async (request: Request, { params }: { params: Promise<Params> }) => {
    try {
      const { id, version, path } = await params;
      return await invokeFunction(request, id, path, version);
    } catch (error) {
      return errorResponse(error);
    }
  };
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
