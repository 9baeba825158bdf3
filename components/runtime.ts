export const runtimeOptions = [
  { value: "node", label: "Node.js" },
  { value: "dart", label: "Dart" },
  { value: "dockerfile", label: "Dockerfile" },
] as const;

export function runtimeLabel(runtime: string): string {
  return runtimeOptions.find((r) => r.value === runtime)?.label ?? runtime;
}
