import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function FunctionNotFound() {
  return (
    <section className="mx-auto max-w-md rounded-xl border border-zinc-200 bg-white px-6 py-10 text-center shadow-xs">
      <h1 className="text-xl font-semibold">Function not found</h1>
      <p className="mt-2 text-sm text-zinc-600">
        There is no function at this address in your account. It may have been deleted, or it belongs to someone else.
      </p>
      <Link href="/functions" className={buttonClass("primary", "md", "mt-6")}>
        Back to your functions
      </Link>
    </section>
  );
}
