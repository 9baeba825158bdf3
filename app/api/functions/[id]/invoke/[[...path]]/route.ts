import { invokeHandlers } from "../../../../_lib/invoke";

export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = invokeHandlers();
