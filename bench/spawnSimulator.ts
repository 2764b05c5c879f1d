/**
 * Starts bench/simulatorProcess.ts as a child process and talks to it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../src/simulator/index.js';

export interface SimulatorChild {
  readonly url: string;
  readonly apiKey: string;
  stats(): Promise<SimulatorStats>;
  close(): Promise<void>;
}

export async function spawnSimulator(options: SimulatorOptions): Promise<SimulatorChild> {
  // Compiled (npm run bench) the sibling is simulatorProcess.js; run from source it needs tsx.
  const compiled = import.meta.url.endsWith('.js');
  const script = fileURLToPath(new URL(compiled ? './simulatorProcess.js' : './simulatorProcess.ts', import.meta.url));
  const loader = compiled ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...loader, script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve));
  const { url, apiKey } = JSON.parse(await nextLine()) as { url: string; apiKey: string };
  return {
    url,
    apiKey,
    stats: async () => {
      const line = nextLine();
      child.stdin.write('stats\n');
      return JSON.parse(await line) as SimulatorStats;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
