export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight text-zinc-900">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 text-indigo-600" fill="currentColor">
        <path d="M4 13.5 13.5 4 20 10.5 10.5 20zM2 12 12 2l1.4 1.4L3.4 13.4z" />
      </svg>
      Dart Cloud
    </span>
  );
}
