"use client";

import { useState } from "react";
import type { FunctionView } from "@/server/deployments/present";
import { DropZone, UploadProgress } from "../drop-zone";
import { Card } from "../ui/card";
import { Button } from "../ui/button";
import { Notice } from "../ui/field";
import { uploadArchive, type UploadHandle } from "../lib/upload";
import { errorMessage } from "../lib/api";
import { BuildProgress } from "./build-log";
import { isInProgress, useRefreshFunction } from "./queries";

type Upload = { fileName: string; fraction: number; handle: UploadHandle };

/** Drop a new archive: upload with progress, then the build streams below until it settles. */
export function DeployPanel({ fn, maxBytes, watchVersion = null }: { fn: FunctionView; maxBytes: number; watchVersion?: number | null }) {
  const refresh = useRefreshFunction(fn.id);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [watched, setWatched] = useState<number | null>(
    watchVersion ?? (isInProgress(fn.latestDeployment?.status) ? (fn.latestDeployment?.version ?? null) : null),
  );
  // A build started elsewhere (the CLI, another tab) shows up here too.
  const live = isInProgress(fn.latestDeployment?.status) ? (fn.latestDeployment?.version ?? 0) : 0;
  const shown = Math.max(watched ?? 0, live) || null;

  function start(file: File) {
    setProblem(null);
    const handle = uploadArchive(`/api/functions/${fn.id}/deployments`, file, {}, (fraction) =>
      setUpload((u) => (u ? { ...u, fraction } : u)),
    );
    setUpload({ fileName: file.name, fraction: 0, handle });
    handle.promise.then(
      (accepted) => {
        setUpload(null);
        setWatched(accepted.version);
        void refresh();
      },
      (error) => {
        setUpload(null);
        setProblem(errorMessage(error));
      },
    );
  }

  return (
    <Card
      id="deploy"
      title="Deploy a new version"
      description="Every upload becomes the next version. It goes live once it builds; the current version keeps serving until then."
    >
      <div className="space-y-4">
        {upload ? (
          <div className="flex min-h-28 flex-col justify-center gap-3 rounded-lg border border-zinc-200 bg-zinc-50 px-4 py-5">
            <UploadProgress fraction={upload.fraction} fileName={upload.fileName} />
            <div>
              <Button size="sm" onClick={() => upload.handle.abort()}>
                Cancel upload
              </Button>
            </div>
          </div>
        ) : (
          <DropZone
            maxBytes={maxBytes}
            onFile={start}
            onInvalid={setProblem}
            label={`Drop a .tar.gz to deploy v${(fn.latestDeployment?.version ?? 0) + 1}`}
          />
        )}
        <div>{problem ? <Notice tone="error">{problem}</Notice> : null}</div>
        {shown ? <BuildProgress key={shown} functionId={fn.id} version={shown} /> : null}
      </div>
    </Card>
  );
}
