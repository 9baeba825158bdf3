import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { receiveArchiveFile, type ReceivedArchive } from "../../server/archive";
import type { Owner } from "../../server/auth/owner";
import { registerUser } from "../../server/auth/register-user";
import { makeTarGz } from "../fixtures/node-function";

/** A freshly registered owner, as the owner resolution would return it for a session. */
export async function createTestOwner(label = "owner"): Promise<Owner> {
  const user = await registerUser({ email: `${label}-${randomUUID()}@example.com`, password: "long enough password" });
  return { userId: user.id, email: user.email, actor: user.email, via: "session" };
}

/** An uploaded archive as the upload receiver hands it to deploys (validated, in a temp file). */
export async function receivedArchive(files: Record<string, string>): Promise<ReceivedArchive> {
  const bytes = await makeTarGz(files);
  return receiveArchiveFile(Readable.from([bytes]), { declaredSize: bytes.length });
}
