import { invokeHandlers } from "../../../../../../_lib/invoke";

// A specific version, for testing it before or after a switch (owner only).
export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = invokeHandlers();
