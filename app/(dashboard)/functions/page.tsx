import type { Metadata } from "next";
import { ownerOrRedirect } from "@/app/_lib/page-owner";
import { FunctionsList } from "@/components/functions-list";
import { config } from "@/server/config";
import { listFunctions } from "@/server/functions/list-functions";

export const metadata: Metadata = { title: "Functions" };

export default async function FunctionsPage() {
  const owner = await ownerOrRedirect("/functions");
  const functions = await listFunctions(owner);
  return <FunctionsList initial={functions} maxBytes={config.limits.archiveMaxBytes} />;
}
