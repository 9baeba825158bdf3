import { NextResponse, type NextRequest } from "next/server";

// Tells server components which page was asked for, so a sign-in redirect from the dashboard
// layout can come back to it (layouts are not given the pathname).
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-dartcloud-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/functions/:path*", "/functions", "/settings/:path*", "/settings"] };
