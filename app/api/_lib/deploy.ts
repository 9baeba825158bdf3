import "server-only";
import { receiveUpload } from "@/server/archive";
import { requireOwner } from "@/server/auth/owner";
import { deployVersion, type DeployTarget } from "@/server/deployments/deploy-version";
import { InvalidInputError } from "@/server/errors";

/** The two deploy endpoints: multipart upload in, 202 (or the settled state with ?wait=true) out. */
export async function handleDeploy(request: Request, target: (fields: Record<string, string>) => DeployTarget): Promise<Response> {
  const owner = await requireOwner();
  const wait = new URL(request.url).searchParams.get("wait") === "true";
  const upload = await receiveUpload(request);
  if (!upload.archive) {
    throw new InvalidInputError("Attach the function as a .tar.gz file in a multipart form field named \"archive\".");
  }
  const result = await deployVersion(owner, target(upload.fields), upload.archive, { wait });
  if (!wait) return Response.json(result, { status: 202 });
  return Response.json(result.status === "failed" ? { ...result, error: result.error ?? "The build failed." } : result, {
    status: result.status === "failed" ? 422 : 200,
  });
}
