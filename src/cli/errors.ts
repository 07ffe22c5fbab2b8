/**
 * Exit codes and the one-line error report. Usage errors (a wrong option or value) exit 2,
 * everything else that fails exits 1, an interrupted run exits 130 (128 + SIGINT).
 */

/** Process exit codes used by every command. */
export const ExitCode = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A problem with how the command was invoked: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit code for an error that reached the top level. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? ExitCode.usage : ExitCode.failure;
}

/** The message of any thrown value, on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Write an error to stderr as `simdnet: <message>` (plus the stack with `verbose`) and return
 * its exit code.
 */
export function reportError(error: unknown, verbose: boolean): number {
  process.stderr.write(`simdnet: ${oneLine(error)}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCodeOf(error);
}
