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
  // The platform's credentials are not the function's business: neither the Bearer token nor the
  // dashboard's session cookie (the invoke URL shares the dashboard's origin) reach its code.
  headers.delete("authorization");
  headers.delete(VERSION_HEADER);
  const cookie = withoutPlatformCookies(headers.get("cookie"));
  if (cookie) headers.set("cookie", cookie);
  else headers.delete("cookie");
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
    const response = await getExecutor().invoke(target, {
      method: request.method,
      path,
      search: url.search,
      headers,
      body: request.body,
      signal: request.signal,
      // Recorded once the response has been sent in full (or failed): the real duration.
      onFinish: (outcome) => record(outcome.statusCode || 502),
    });
    return confineToFunction(response);
  } catch (error) {
    const code = asAppError(error)?.code;
    record(code ? httpStatusOf[code] : 500);
    throw error;
  }
}

// next-auth's cookies (plain, __Secure- and __Host- prefixed).
const PLATFORM_COOKIE = /^(__Secure-|__Host-)?authjs\./;

function withoutPlatformCookies(header: string | null): string {
  if (!header) return "";
  return header
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair && !PLATFORM_COOKIE.test(pair))
    .join("; ");
}

/**
 * A function's answer is served from the dashboard's origin, so it must not be able to act as
 * the dashboard: it cannot set the platform's cookies, and its pages run sandboxed (scripts in
 * an opaque origin, without the visitor's dashboard session or storage).
 */
function confineToFunction(response: Response): Response {
  const cookies = response.headers.getSetCookie();
  if (cookies.some((c) => PLATFORM_COOKIE.test(c.trim()))) {
    response.headers.delete("set-cookie");
    for (const c of cookies) if (!PLATFORM_COOKIE.test(c.trim())) response.headers.append("set-cookie", c);
  }
  response.headers.append("content-security-policy", "sandbox allow-scripts allow-forms allow-popups allow-downloads");
  return response;
}
