"use client";

import clsx from "clsx";
import { useId, useRef, useState } from "react";
import { checkArchiveFile } from "./lib/upload";
import { formatBytes } from "./lib/format";

type Props = {
  maxBytes: number;
  /** A file that passed the browser checks (type and size). */
  onFile: (file: File) => void;
  /** A file that did not, with a message that says why. */
  onInvalid: (message: string) => void;
  disabled?: boolean;
  label?: string;
  hint?: string;
};

/**
 * Drop a .tar.gz here, or click (or press Enter/Space on the focused control) to choose one.
 * The hidden file input stays in the tab order, so the whole zone is keyboard-usable.
 */
export function DropZone({ maxBytes, onFile, onInvalid, disabled, label = "Drop a .tar.gz archive here", hint }: Props) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  function accept(files: FileList | null | undefined) {
    if (disabled || !files || files.length === 0) return;
    if (files.length > 1) return onInvalid("Drop one archive at a time: each upload becomes one version.");
    const file = files[0];
    const problem = checkArchiveFile(file, maxBytes);
    if (problem) onInvalid(problem);
    else onFile(file);
  }

  return (
    <label
      htmlFor={inputId}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        e.preventDefault();
        depth.current += 1;
        if (!disabled) setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? "none" : "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        accept(e.dataTransfer?.files);
      }}
      className={clsx(
        "flex min-h-28 flex-col items-center justify-center gap-1.5 rounded-lg border-2 border-dashed px-4 py-5 text-center transition-colors",
        "has-[input:focus-visible]:outline-2 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-indigo-600",
        disabled
          ? "cursor-not-allowed border-zinc-200 bg-zinc-50 text-zinc-400"
          : over
            ? "cursor-copy border-indigo-500 bg-indigo-50 text-indigo-800"
            : "cursor-pointer border-zinc-300 bg-zinc-50/60 text-zinc-600 hover:border-indigo-400 hover:bg-indigo-50/40",
      )}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path d="M12 15V4m0 0-4 4m4-4 4 4M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="text-sm font-medium">
        {over ? "Release to upload" : label}
      </span>
      <span className="text-xs text-zinc-500">
        {hint ?? <>or <span className="font-medium text-indigo-700 underline">choose a file</span> · .tar.gz up to {formatBytes(maxBytes)}</>}
      </span>
      <input
        ref={input}
        id={inputId}
        type="file"
        accept=".tar.gz,.tgz,application/gzip,application/x-gzip,application/x-tar"
        aria-label="Choose a .tar.gz archive"
        disabled={disabled}
        className="sr-only"
        onChange={(e) => {
          accept(e.target.files);
          e.target.value = ""; // choosing the same file again still fires change
        }}
      />
    </label>
  );
}

/** Upload progress as a bar and a percentage. */
export function UploadProgress({ fraction, fileName }: { fraction: number; fileName: string }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-2 text-xs text-zinc-600">
        <span className="min-w-0 truncate" title={fileName}>
          Uploading {fileName}
        </span>
        <span className="font-mono tabular-nums">{percent}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={`Uploading ${fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-full bg-zinc-200"
      >
        <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-150" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
