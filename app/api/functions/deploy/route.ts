import { handleDeploy } from "../../_lib/deploy";
import { handler } from "../../_lib/respond";

// Deploys by name: creates the function on its first deploy (the original single-call flow).
export const POST = handler((request) => handleDeploy(request, (fields) => ({ name: fields.name, runtime: fields.runtime })));
