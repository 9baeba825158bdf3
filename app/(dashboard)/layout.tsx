import Link from "next/link";
import { Logo } from "@/components/logo";
import { NavLink } from "@/components/nav-link";
import { Providers } from "@/components/providers";
import { ownerOrRedirect } from "../_lib/page-owner";
import { signOutAction } from "./actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const owner = await ownerOrRedirect();
  return (
    <Providers>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/functions" aria-label="Dart Cloud home">
            <Logo />
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavLink href="/functions">Functions</NavLink>
            <NavLink href="/settings">Settings</NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <span className="max-w-[16rem] truncate text-sm text-zinc-600" data-testid="owner-email">
              {owner.email}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </Providers>
  );
}
