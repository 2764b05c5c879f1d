import type { ChildProcess } from 'node:child_process';

/** What a child process printed, line by line, and a wait on it. */
export interface ChildLines {
  readonly lines: string[];
  /** Resolves once `ready()` holds, checked now and after every new line; rejects if the process exits first. */
  until(ready: () => boolean): Promise<void>;
}

/** Follows `child`'s stdout by lines; `onLine` sees each one as it comes. `name` names the process in errors. */
export function followLines(child: ChildProcess, name: string, onLine: (line: string) => void = () => undefined): ChildLines {
  const lines: string[] = [];
  const waiting = new Set<{ ready: () => boolean; resolve: () => void }>();
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const line of parts) onLine(line);
    for (const wait of [...waiting]) {
      if (!wait.ready()) continue;
      waiting.delete(wait);
      wait.resolve();
    }
  });
  return {
    lines,
    until: (ready) =>
      new Promise((resolve, reject) => {
        if (ready()) return resolve();
        waiting.add({ ready, resolve });
        child.once('exit', (code, signal) => reject(new Error(`${name} exited (${String(code ?? signal)}); its last lines:\n${lines.slice(-20).join('\n')}`)));
      }),
  };
}
