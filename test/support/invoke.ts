import type { Owner } from "../../server/auth/owner";
import { resolveRoute } from "../../server/deployments/routing";
import { getExecutor } from "../../server/runtime";

/** Invokes a function's active version the way the invoke route does, minus HTTP auth. */
export async function invokeFunctionAs(owner: Owner, functionId: string, path: string, init: { method?: string; body?: string } = {}) {
  const route = await resolveRoute(functionId);
  if (route.ownerId !== owner.userId || !route.target) throw new Error("not invocable");
  return getExecutor().invoke(route.target, {
    method: init.method ?? "GET",
    path,
    search: "",
    headers: new Headers(),
    body: init.body ? (new Response(init.body).body as ReadableStream<Uint8Array>) : null,
  });
}
