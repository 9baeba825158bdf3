import "server-only";
import { getOwner } from "../auth/owner";
import { asAppError, ConflictError, httpStatusOf, InvalidInputError, UnauthorizedError } from "../errors";
import { functionNotFound } from "../functions/load-function";
import { getExecutor, recordInvocation, type RunTarget } from "../runtime";
import { resolveRoute, resolveVersionTarget } from "./routing";

const VERSION_HEADER = "x-function-version";

/**
 * Invokes a function: the active version, or a specific one (owner only) named by the
 * `X-Function-Version` request header or `pinnedVersion` (the /versions/{n}/invoke path).
 * Public functions need no token; otherwise only the owner may call (others get 404).
 */
export async function invokeFunction(
  request: Request,
  functionId: string,
  pathSegments: string[] | undefined,
  pinnedVersion?: string,
): Promise<Response> {
  const route = await resolveRoute(functionId);
  const requested = pinnedVersion ?? request.headers.get(VERSION_HEADER) ?? undefined;
  if (!route.publicInvoke || requested !== undefined) {
    const owner = await getOwner();
    if (!owner) throw new UnauthorizedError();
    if (owner.userId !== route.ownerId) throw functionNotFound(functionId);
  }

  let target: RunTarget;
  if (requested !== undefined) {
    const version = Number(requested);
    if (!Number.isInteger(version) || version < 1) throw new InvalidInputError(`"${requested}" is not a version number; versions are 1, 2, 3…`);
    target = await resolveVersionTarget(route, version);
  } else if (route.target) {
    target = route.target;
  } else {
    throw new ConflictError(`${route.name} has no active version yet. Deploy one first.`);
  }

  const url = new URL(request.url);
  const path = `/${(pathSegments ?? []).map(encodeURIComponent).join("/")}`;
  const headers = new Headers(request.headers);
  headers.delete("authorization"); // the platform's credential is not the function's business
  headers.delete(VERSION_HEADER);
  const started = performance.now();
  const record = (statusCode: number) =>
    recordInvocation({
      functionId: route.functionId,
      deploymentId: target.deploymentId,
      version: target.version,
      statusCode,
      durationMs: Math.round(performance.now() - started),
    });
  try {
    return await getExecutor().invoke(target, {
      method: request.method,
      path,
      search: url.search,
      headers,
      body: request.body,
      signal: request.signal,
      // Recorded once the response has been sent in full (or failed): the real duration.
      onFinish: (outcome) => record(outcome.statusCode || 502),
    });
  } catch (error) {
    const code = asAppError(error)?.code;
    record(code ? httpStatusOf[code] : 500);
    throw error;
  }
}
