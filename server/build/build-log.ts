import "server-only";

const TAIL_MAX_CHARS = 16 * 1024;
const TAIL_LINES = 40;
const STEP_MAX_CHARS = 300;
const STEP_LINE = /^Step \d+\/\d+ : /;

/**
 * Follows the text of a classic-builder build as it arrives: forwards it to the caller's log,
 * remembers the step being run ("Step 3/5 : RUN …") and keeps a tail for error reports.
 */
export class BuildLog {
  private partial = "";
  private tail = "";
  private step: string | null = null;

  constructor(private readonly sink: (text: string) => void) {}

  write(text: string): void {
    if (!text) return;
    try {
      this.sink(text);
    } catch (error) {
      // Losing a log line must not lose the build; the tail still has it for the error report.
      console.warn("build log sink failed:", error);
    }
    this.tail = (this.tail + text).slice(-TAIL_MAX_CHARS);
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.noteLine(line);
    // Docker sends "Step 1/3 : FROM x" and its newline as separate messages.
    if (STEP_LINE.test(this.partial)) this.noteLine(this.partial);
  }

  /** The step that was running last, e.g. "Step 3/5 : RUN exit 1", or null before the first. */
  get currentStep(): string | null {
    return this.step;
  }

  /** The last lines of the log, for error details. */
  lastLines(count = TAIL_LINES): string {
    return this.tail.replace(/\n+$/, "").split("\n").slice(-count).join("\n");
  }

  private noteLine(line: string): void {
    const clean = line.replace(/\r$/, "").trim();
    if (!STEP_LINE.test(clean)) return;
    this.step = clean.length > STEP_MAX_CHARS ? `${clean.slice(0, STEP_MAX_CHARS)}…` : clean;
  }
}
