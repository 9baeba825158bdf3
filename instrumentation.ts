// Runs once per server process, before it serves: migrations, storage, recovery, containers.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPlatform } = await import("./server/startup");
  await startPlatform();
}
